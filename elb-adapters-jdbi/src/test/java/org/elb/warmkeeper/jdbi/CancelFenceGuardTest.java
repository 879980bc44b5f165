package org.elb.warmkeeper.jdbi;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.elb.warmkeeper.core.cluster.OwnerId;
import org.elb.warmkeeper.core.provision.JobId;
import org.elb.warmkeeper.core.provision.JobState;
import org.elb.warmkeeper.core.provision.JobStatus;
import org.elb.warmkeeper.core.provision.JobTransitions;
import org.elb.warmkeeper.core.provision.JobUpdate;
import org.elb.warmkeeper.core.provision.NewJob;
import org.elb.warmkeeper.core.provision.UpdateResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The SQL guard of the JDBI update, run in the database, admits exactly the rows the core's rule
 * ({@link JobState#rejection}) accepts, for every status, with and without the cancel fence, for every
 * kind of update; on H2 and on PostgreSQL. The V6 backfill marks rows fenced before the column existed.
 */
class CancelFenceGuardTest {

    private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");
    private static final Map<String, TestDatabase> DBS = new java.util.HashMap<>();

    static TestDatabase db(String backend) {
        return DBS.computeIfAbsent(backend, b -> b.equals("h2") ? TestDatabase.h2() : TestDatabase.postgres());
    }

    @AfterAll
    static void close() {
        DBS.values().forEach(TestDatabase::close);
    }

    static List<JobUpdate> updates() {
        List<JobUpdate> all = new ArrayList<>(CompareAndSetRuleTest.updates());
        all.add(JobUpdate.payload(Map.of(JobTransitions.FENCE_KEY, "delete_cluster")));
        all.add(JobUpdate.payload(Map.of(JobTransitions.KEY_REPORTED_OUTCOME, "succeeded")));
        all.add(JobUpdate.status(JobStatus.CANCELLED).withPayload("cancel_action", "delete_cluster"));
        return all;
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void the_sql_guard_admits_exactly_what_the_core_accepts(String backend) {
        TestDatabase db = db(backend);
        for (JobStatus status : JobStatus.values()) {
            for (boolean fenced : new boolean[] {false, true}) {
                Map<String, String> payload = fenced ? Map.of(JobTransitions.FENCE_KEY, "stop") : Map.of();
                JobId jobId = db.store
                        .jobStateRepository()
                        .create(new NewJob(JobId.random(), "aks_provision", OwnerId.of("o"), payload, T0))
                        .id();
                UUID id = jobId.value();
                db.jdbi()
                        .useHandle(h -> h.createUpdate("UPDATE " + db.table("job_state")
                                        + " SET status = :status, row_version = 3 WHERE id = :id")
                                .bind("id", id)
                                .bind("status", status.wireName())
                                .execute());
                JobState row = new JobState(
                        jobId, "aks_provision", OwnerId.of("o"), status, null, null, null, payload, 3, T0, T0);
                for (JobUpdate u : updates()) {
                    String guard = JdbiJobStateRepository.guardSql(JobTransitions.guard(u));
                    long admitted = db.jdbi().withHandle(h -> {
                        var q = h.createQuery("SELECT COUNT(*) FROM " + db.table("job_state") + " WHERE id = :id AND "
                                        + guard)
                                .bind("id", id);
                        if (u.taskId() != null) {
                            q.bind("newTaskId", u.taskId().value());
                        }
                        return q.mapTo(Long.class).one();
                    });
                    assertThat(admitted == 1)
                            .as("%s %s row, update %s, guard %s", status, fenced ? "fenced" : "unfenced", u, guard)
                            .isEqualTo(row.rejection(u).isEmpty());
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void a_fenced_row_cannot_be_ended_succeeded_even_from_an_out_of_date_snapshot(String backend) {
        JdbiJobStateRepository repo = db(backend).store.jobStateRepository();
        JobState job = repo.create(new NewJob(JobId.random(), "aks_provision", OwnerId.of("alice"), Map.of(), T0));
        JobState running = ((UpdateResult.Updated)
                        repo.update(job.id(), 0, JobUpdate.status(JobStatus.RUNNING), T0.plusSeconds(1)))
                .state();
        JobState fenced = ((UpdateResult.Updated) repo.update(
                        running,
                        JobUpdate.payload(Map.of(JobTransitions.FENCE_KEY, "delete_cluster")),
                        T0.plusSeconds(2)))
                .state();
        // A writer that ignores the rules: the version it expects is the fenced row's, its snapshot is not fenced.
        JobState unfencedView = new JobState(
                fenced.id(),
                fenced.type(),
                fenced.owner(),
                fenced.status(),
                fenced.taskId(),
                fenced.clusterState(),
                fenced.error(),
                Map.of(),
                fenced.version(),
                fenced.createdAt(),
                fenced.updatedAt());
        JobUpdate succeed = JobUpdate.status(JobStatus.SUCCEEDED);

        int written = db(backend)
                .jdbi()
                .withHandle(h -> repo.write(h, unfencedView, succeed, unfencedView.apply(succeed, T0.plusSeconds(3))));

        assertThat(written).isZero();
        assertThat(repo.get(job.id()).orElseThrow().status()).isEqualTo(JobStatus.RUNNING);
        assertThat(repo.update(fenced, succeed, T0.plusSeconds(4))).isInstanceOf(UpdateResult.Rejected.class);
        assertThat(repo.update(fenced, JobUpdate.status(JobStatus.CANCELLED), T0.plusSeconds(5)))
                .isInstanceOf(UpdateResult.Updated.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void the_v5_backfill_fences_rows_whose_payload_holds_the_key(String backend) throws IOException {
        TestDatabase db = db(backend);
        JdbiJobStateRepository repo = db.store.jobStateRepository();
        JobState fencedBefore = repo.create(new NewJob(
                JobId.random(), "aks_provision", OwnerId.of("o"), Map.of(JobTransitions.FENCE_KEY, "stop"), T0));
        JobState plain = repo.create(new NewJob(
                JobId.random(),
                "aks_provision",
                OwnerId.of("o"),
                Map.of("note", "cancel_requested", "cancel_requested\": ", "x"),
                T0));
        // As before V6: the column did not exist (its default is false).
        db.jdbi().useHandle(h -> h.execute("UPDATE " + db.table("job_state") + " SET cancel_fenced = FALSE"));
        String sql;
        try (InputStream in =
                getClass().getResourceAsStream("/org/elb/warmkeeper/jdbi/migration/V6__job_cancel_fence.sql")) {
            sql = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        String backfill = sql.substring(sql.indexOf("UPDATE "), sql.lastIndexOf(';'))
                .replace("${prefix}job_state", db.table("job_state"))
                .replace("${payload_text}", backend.equals("h2") ? "CAST(payload AS VARCHAR)" : "payload::text");

        db.jdbi().useHandle(h -> h.execute(backfill));

        assertThat(fencedColumn(db, fencedBefore.id())).isTrue();
        assertThat(fencedColumn(db, plain.id())).isFalse();
    }

    private static boolean fencedColumn(TestDatabase db, JobId id) {
        return db.jdbi()
                .withHandle(h -> h.createQuery("SELECT cancel_fenced FROM " + db.table("job_state") + " WHERE id = :id")
                        .bind("id", id.value())
                        .mapTo(Boolean.class)
                        .one());
    }
}
