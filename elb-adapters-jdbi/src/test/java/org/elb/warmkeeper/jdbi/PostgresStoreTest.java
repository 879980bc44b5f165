package org.elb.warmkeeper.jdbi;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.function.Consumer;
import org.elb.warmkeeper.core.cluster.OwnerId;
import org.elb.warmkeeper.core.provision.JobId;
import org.elb.warmkeeper.core.provision.JobState;
import org.elb.warmkeeper.core.provision.NewJob;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

class PostgresStoreTest extends StoreScenarios {

    @Override
    TestDatabase open(Consumer<Jdbi> customizer) {
        return TestDatabase.postgres(customizer);
    }

    @Test
    void the_payload_is_jsonb_and_its_region_is_readable_in_sql() {
        JobState job = db.store.jobStateRepository().create(new NewJob(JobId.random(), TYPE, OwnerId.of("alice"),
                Map.of("region", "koreacentral", "cluster_name", "elb-1"), T0));

        Map<String, Object> row = db.jdbi().withHandle(h -> h.createQuery("SELECT payload->>'region' AS region,"
                        + " payload->>'cluster_name' AS cluster, pg_typeof(payload)::text AS type FROM "
                        + db.table("job_state") + " WHERE id = :id")
                .bind("id", job.id().value()).mapToMap().one());

        assertThat(row).containsEntry("region", "koreacentral").containsEntry("cluster", "elb-1")
                .containsEntry("type", "jsonb");
    }
}
