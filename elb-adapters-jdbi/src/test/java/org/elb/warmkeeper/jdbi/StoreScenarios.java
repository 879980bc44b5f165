package org.elb.warmkeeper.jdbi;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.elb.warmkeeper.core.cluster.ClusterRef;
import org.elb.warmkeeper.core.cluster.DatabaseName;
import org.elb.warmkeeper.core.cluster.OwnerId;
import org.elb.warmkeeper.core.provision.JobId;
import org.elb.warmkeeper.core.provision.JobState;
import org.elb.warmkeeper.core.provision.JobStatus;
import org.elb.warmkeeper.core.provision.JobUpdate;
import org.elb.warmkeeper.core.provision.NewJob;
import org.elb.warmkeeper.core.provision.ProvisioningService;
import org.elb.warmkeeper.core.provision.UpdateResult;
import org.elb.warmkeeper.core.warm.AutoWarmPreference;
import org.elb.warmkeeper.jdbi.internal.PayloadCodec;
import org.elb.warmkeeper.jdbi.internal.Times;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jdbi.v3.core.statement.SqlLogger;
import org.jdbi.v3.core.statement.SqlStatements;
import org.jdbi.v3.core.statement.StatementContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Store scenarios beyond the contracts, run on PostgreSQL and on H2 by the subclasses. */
abstract class StoreScenarios {

    static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");
    static final String TYPE = ProvisioningService.JOB_TYPE;

    final AtomicInteger statements = new AtomicInteger();
    TestDatabase db;

    abstract TestDatabase open(java.util.function.Consumer<Jdbi> customizer);

    @BeforeEach
    void openStore() {
        db = open(j -> j.getConfig(SqlStatements.class).setSqlLogger(new SqlLogger() {
            @Override
            public void logBeforeExecution(StatementContext context) {
                statements.incrementAndGet();
            }
        }));
    }

    @AfterEach
    void closeStore() {
        db.close();
    }

    /**
     * The seed's bug: recent-failed read the owner's newest 200 rows and filtered them in memory, so a
     * failed provision behind 5 000 newer jobs of other types was never shown. The store's indexed query
     * finds it; the seed's approach, run on the same rows, does not.
     */
    @Test
    void a_failed_provision_behind_5000_newer_jobs_of_other_types_is_still_found() {
        JdbiJobStateRepository repo = db.store.jobStateRepository();
        OwnerId alice = OwnerId.of("alice-" + UUID.randomUUID());
        JobState job = repo.create(new NewJob(JobId.random(), TYPE, alice, Map.of("region", "koreacentral"), T0));
        JobState failed = ((UpdateResult.Updated)
                        repo.update(job.id(), 0, JobUpdate.status(JobStatus.FAILED), T0.plusSeconds(60)))
                .state();
        insertOtherJobs(alice, 5_000, T0.plusSeconds(120));

        Instant since = T0.minusSeconds(3600);
        assertThat(repo.recentFailed(alice, TYPE, since, 10)).containsExactly(failed);
        assertThat(SeedApproach.recentFailed(db, alice, TYPE, since, 10)).isEmpty();
    }

    /** Rows of another type, created one second apart from {@code from}, written in one batch. */
    void insertOtherJobs(OwnerId owner, int count, Instant from) {
        String sql = "INSERT INTO " + db.table("job_state")
                + " (id, job_type, owner_id, status, payload, row_version, created_at, updated_at) VALUES"
                + " (:id, 'db_warmup', :owner, 'succeeded', "
                + (db.store.dialect() == SqlDialect.POSTGRESQL ? "CAST(:payload AS jsonb)" : ":payload FORMAT JSON")
                + ", 2, :at, :at)";
        String payload = PayloadCodec.toJson(Map.of("region", "eastus"));
        db.jdbi().useHandle(h -> {
            PreparedBatch batch = h.prepareBatch(sql);
            for (int i = 0; i < count; i++) {
                batch.bind("id", UUID.randomUUID())
                        .bind("owner", owner.value())
                        .bind("payload", payload)
                        .bind("at", Times.arg(from.plusSeconds(i)))
                        .add();
            }
            batch.execute();
        });
    }

    @Test
    void one_tick_reads_preferences_and_inventory_in_one_query_each_whatever_the_cluster_count() {
        JdbiAutoWarmPreferences prefs = db.store.autoWarmPreferences();
        JdbiDatabaseInventory inventory = db.store.databaseInventory();
        for (int clusters : new int[] {3, 60}) {
            db.truncate();
            List<ClusterRef> refs = new ArrayList<>();
            for (int i = 0; i < clusters; i++) {
                ClusterRef c = ClusterRef.of(String.format("%08x-0000-4000-8000-000000000000", i), "rg", "elb-" + i);
                refs.add(c);
                prefs.enable(c, List.of(DatabaseName.of("core_nt"), DatabaseName.of("swissprot")));
                inventory.markDownloaded(c, DatabaseName.of("core_nt"));
            }

            statements.set(0);
            List<AutoWarmPreference> enabled = prefs.enabledClusters();
            assertThat(statements)
                    .as("enabledClusters with %d clusters", clusters)
                    .hasValue(1);
            assertThat(enabled).hasSize(clusters);

            statements.set(0);
            var downloaded = inventory.downloaded(
                    enabled.stream().map(AutoWarmPreference::cluster).toList());
            assertThat(statements).as("downloaded with %d clusters", clusters).hasValue(1);
            assertThat(downloaded)
                    .hasSize(clusters)
                    .allSatisfy((c, dbs) -> assertThat(dbs).containsExactly(DatabaseName.of("core_nt")));
        }
    }

    @Test
    void an_update_from_a_current_snapshot_is_one_statement_and_a_stale_one_two() {
        JdbiJobStateRepository jobs = db.store.jobStateRepository();
        JobState job = jobs.create(new NewJob(
                JobId.random(),
                TYPE,
                OwnerId.of("alice"),
                Map.of("cluster_name", "elb-a", "region", "koreacentral"),
                T0));

        statements.set(0);
        UpdateResult first = jobs.update(job, JobUpdate.status(JobStatus.RUNNING), T0.plusSeconds(1));
        int current = statements.get();
        statements.set(0);
        UpdateResult stale = jobs.update(job, JobUpdate.clusterState("Creating"), T0.plusSeconds(2));

        assertThat(first.isUpdated()).isTrue();
        assertThat(current).as("statements for a current snapshot").isEqualTo(1);
        assertThat(stale).isEqualTo(new UpdateResult.Stale(1));
        assertThat(statements.get())
                .as("statements for a stale snapshot (write, then read to explain)")
                .isEqualTo(2);
    }

    @Test
    void migrating_again_changes_nothing_and_another_prefix_is_another_store() {
        assertThat(db.store.migrate()).isZero();

        String url = db.store.dialect() == SqlDialect.POSTGRESQL ? TestDatabase.postgresUrl() : null;
        JdbiStore other = url != null
                ? JdbiStore.builder(url).schema(db.schema).tablePrefix("other_").build()
                : JdbiStore.builder("jdbc:h2:mem:" + db.schema + ";DB_CLOSE_DELAY=-1")
                        .tablePrefix("other_")
                        .build();
        try {
            OwnerId alice = OwnerId.of("alice");
            JobState mine = db.store.jobStateRepository().create(new NewJob(JobId.random(), TYPE, alice, Map.of(), T0));
            assertThat(other.jobStateRepository().get(mine.id())).isEmpty();
            assertThat(other.migrate()).isZero();
        } finally {
            other.close();
        }
    }

    @Test
    void the_ready_edge_time_is_recorded_on_false_to_true_only() {
        JdbiAutoWarmPreferences prefs = db.store.autoWarmPreferences();
        ClusterRef c = ClusterRef.of("00000000-0000-4000-8000-000000000001", "rg", "elb");
        prefs.enable(c, List.of(DatabaseName.of("core_nt")));
        assertThat(readyEdgeAt()).isEmpty();
        prefs.recordReadiness(c, false);
        assertThat(readyEdgeAt()).isEmpty();
        prefs.recordReadiness(c, true);
        java.util.Optional<java.time.OffsetDateTime> first = readyEdgeAt();
        assertThat(first).isPresent();
        prefs.recordReadiness(c, true);
        assertThat(readyEdgeAt()).isEqualTo(first);
    }

    @Test
    void configuration_seeds_a_cluster_once_and_a_reseed_on_purpose_writes_it_again() {
        JdbiAutoWarmPreferences prefs = db.store.autoWarmPreferences();
        ClusterRef c = ClusterRef.of("00000000-0000-4000-8000-000000000001", "rg", "elb");
        List<DatabaseName> configured = List.of(DatabaseName.of("core_nt"), DatabaseName.of("nr"));

        assertThat(db.store.seedCluster(c, configured, List.of(DatabaseName.of("core_nt")), false))
                .isTrue();
        assertThat(prefs.enabledClusters())
                .extracting(AutoWarmPreference::databases)
                .containsExactly(configured);

        // what a user does through the API, then a restart seeds again: the user's choice stays
        prefs.disableDatabase(c, DatabaseName.of("nr"));
        assertThat(db.store.seedCluster(c, configured, List.of(), false)).isFalse();
        assertThat(prefs.enabledClusters())
                .extracting(AutoWarmPreference::databases)
                .containsExactly(List.of(DatabaseName.of("core_nt")));
        prefs.disable(c);
        assertThat(db.store.seedCluster(c, configured, List.of(), false)).isFalse();
        assertThat(prefs.enabledClusters()).isEmpty();

        // a re-seed on purpose applies the configuration again
        assertThat(db.store.seedCluster(c, configured, List.of(), true)).isTrue();
        assertThat(prefs.enabledClusters())
                .extracting(AutoWarmPreference::databases)
                .containsExactly(configured);
        assertThat(db.store.databaseInventory().downloaded(List.of(c)).get(c))
                .containsExactly(DatabaseName.of("core_nt"));
    }

    @Test
    void a_cluster_with_preferences_before_its_first_seed_keeps_them() {
        JdbiAutoWarmPreferences prefs = db.store.autoWarmPreferences();
        ClusterRef c = ClusterRef.of("00000000-0000-4000-8000-000000000001", "rg", "elb");
        prefs.enable(c, List.of(DatabaseName.of("swissprot")));

        assertThat(prefs.seed(c, List.of(DatabaseName.of("core_nt")), false)).isFalse();
        prefs.disable(c);
        assertThat(prefs.seed(c, List.of(DatabaseName.of("core_nt")), false)).isFalse();
        assertThat(prefs.enabledClusters()).isEmpty();
    }

    @Test
    void replicas_seeding_at_once_write_the_cluster_once() throws Exception {
        JdbiAutoWarmPreferences prefs = db.store.autoWarmPreferences();
        ClusterRef c = ClusterRef.of("00000000-0000-4000-8000-000000000001", "rg", "elb");
        var pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            var start = new java.util.concurrent.CountDownLatch(1);
            var futures = new ArrayList<java.util.concurrent.Future<Boolean>>();
            for (int t = 0; t < 4; t++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return prefs.seed(c, List.of(DatabaseName.of("core_nt")), false);
                }));
            }
            start.countDown();
            int written = 0;
            for (var f : futures) {
                written += f.get(30, java.util.concurrent.TimeUnit.SECONDS) ? 1 : 0;
            }
            assertThat(written).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
        assertThat(prefs.enabledClusters()).hasSize(1);
    }

    private java.util.Optional<java.time.OffsetDateTime> readyEdgeAt() {
        return db.jdbi()
                .withHandle(h -> h.createQuery("SELECT ready_edge_at FROM " + db.table("autowarm_cluster"))
                        .map((rs, ctx) ->
                                java.util.Optional.ofNullable(rs.getObject(1, java.time.OffsetDateTime.class)))
                        .one());
    }
}
