package org.elb.warmkeeper.jdbi;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.elb.warmkeeper.core.cluster.ClusterRef;
import org.elb.warmkeeper.core.cluster.DatabaseName;
import org.elb.warmkeeper.core.cluster.OwnerId;
import org.elb.warmkeeper.core.provision.JobId;
import org.elb.warmkeeper.core.provision.JobState;
import org.elb.warmkeeper.core.provision.NewJob;
import org.elb.warmkeeper.core.warm.AutoWarmPreference;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

class PostgresStoreTest extends StoreScenarios {

    @Override
    TestDatabase open(Consumer<Jdbi> customizer) {
        return TestDatabase.postgres(customizer);
    }

    @Test
    void concurrent_enables_of_a_new_cluster_leave_one_preference() throws Exception {
        ClusterRef c = ClusterRef.of("00000000-0000-4000-8000-000000000009", "rg", "elb-race");
        var pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            var start = new java.util.concurrent.CountDownLatch(1);
            var futures = new java.util.ArrayList<java.util.concurrent.Future<?>>();
            for (int t = 0; t < 8; t++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    db.store
                            .autoWarmPreferences()
                            .enable(c, List.of(DatabaseName.of("core_nt"), DatabaseName.of("nr")));
                    return null;
                }));
            }
            start.countDown();
            for (var f : futures) {
                f.get(30, java.util.concurrent.TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(db.store.autoWarmPreferences().enabledClusters())
                .containsExactly(
                        new AutoWarmPreference(c, List.of(DatabaseName.of("core_nt"), DatabaseName.of("nr")), false));
    }

    @Test
    void the_payload_is_jsonb_and_its_region_is_readable_in_sql() {
        JobState job = db.store
                .jobStateRepository()
                .create(new NewJob(
                        JobId.random(),
                        TYPE,
                        OwnerId.of("alice"),
                        Map.of("region", "koreacentral", "cluster_name", "elb-1"),
                        T0));

        Map<String, Object> row = db.jdbi()
                .withHandle(h -> h.createQuery("SELECT payload->>'region' AS region,"
                                + " payload->>'cluster_name' AS cluster, pg_typeof(payload)::text AS type FROM "
                                + db.table("job_state") + " WHERE id = :id")
                        .bind("id", job.id().value())
                        .mapToMap()
                        .one());

        assertThat(row)
                .containsEntry("region", "koreacentral")
                .containsEntry("cluster", "elb-1")
                .containsEntry("type", "jsonb");
    }
}
