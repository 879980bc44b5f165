package org.elb.warmkeeper.jdbi;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.elb.warmkeeper.core.cluster.OwnerId;
import org.elb.warmkeeper.core.provision.ErrorCategory;
import org.elb.warmkeeper.core.provision.ErrorClassification;
import org.elb.warmkeeper.core.provision.JobId;
import org.elb.warmkeeper.core.provision.JobState;
import org.elb.warmkeeper.core.provision.JobStatus;
import org.elb.warmkeeper.core.provision.JobTransitions;
import org.elb.warmkeeper.core.provision.JobUpdate;
import org.elb.warmkeeper.core.provision.NewJob;
import org.elb.warmkeeper.core.provision.TaskId;
import org.elb.warmkeeper.core.provision.UpdateResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The SQL guard of the compare-and-set update says what {@link JobState#rejection} says, and holds on its own. */
class CompareAndSetRuleTest {

    private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");
    private static TestDatabase db;

    @BeforeAll
    static void open() {
        db = TestDatabase.h2();
    }

    @AfterAll
    static void close() {
        db.close();
    }

    static List<JobUpdate> updates() {
        List<JobUpdate> all = new ArrayList<>();
        for (JobStatus s : JobStatus.values()) {
            all.add(JobUpdate.status(s));
            all.add(JobUpdate.status(s).withClusterState("Creating"));
            all.add(JobUpdate.taskId(TaskId.of("t-1")).withStatus(s));
        }
        all.add(JobUpdate.taskId(TaskId.of("t-1")));
        all.add(JobUpdate.clusterState("Creating"));
        all.add(JobUpdate.payload(Map.of("k", "v")));
        all.add(JobUpdate.cancelActionEnded("Canceled", null));
        all.add(JobUpdate.cancelActionEnded("DeleteFailed", "ARM said no"));
        all.add(JobUpdate.payload(Map.of("cancel_action_state", "x", "other", "y")));
        all.add(new JobUpdate(null, null, null, new ErrorClassification(ErrorCategory.UNKNOWN, "X", "y"), Map.of()));
        return all;
    }

    @Test
    void the_generated_guard_admits_exactly_what_the_core_allows_for_a_row_without_task_id() {
        for (JobStatus status : JobStatus.values()) {
            JobState row = new JobState(
                    JobId.random(), "aks_provision", OwnerId.of("o"), status, null, null, null, Map.of(), 3, T0, T0);
            for (JobUpdate u : updates()) {
                boolean sqlAllows = JobTransitions.guard(u).admits(status, false);
                assertThat(sqlAllows)
                        .as("%s row, update %s", status, u)
                        .isEqualTo(row.rejection(u).isEmpty());
            }
        }
    }

    @Test
    void the_sql_guard_refuses_to_move_a_terminal_row_even_from_an_out_of_date_snapshot() {
        JdbiJobStateRepository repo = db.store.jobStateRepository();
        JobState job = repo.create(new NewJob(JobId.random(), "aks_provision", OwnerId.of("alice"), Map.of(), T0));
        JobState running = ((UpdateResult.Updated)
                        repo.update(job.id(), 0, JobUpdate.status(JobStatus.RUNNING), T0.plusSeconds(1)))
                .state();
        // A writer that ignores the rules marks the row failed without bumping the version.
        db.jdbi()
                .useHandle(
                        h -> h.createUpdate("UPDATE " + db.table("job_state") + " SET status = 'failed' WHERE id = :id")
                                .bind("id", job.id().value())
                                .execute());

        JobUpdate succeed = JobUpdate.status(JobStatus.SUCCEEDED);
        int written =
                db.jdbi().withHandle(h -> repo.write(h, running, succeed, running.apply(succeed, T0.plusSeconds(2))));

        assertThat(written).isZero();
        assertThat(repo.get(job.id()).orElseThrow().status()).isEqualTo(JobStatus.FAILED);
        assertThat(repo.update(job.id(), running.version(), succeed, T0.plusSeconds(3)))
                .isInstanceOf(UpdateResult.Rejected.class);
    }

    @Test
    void the_sql_guard_refuses_to_overwrite_a_task_id_from_an_out_of_date_snapshot() {
        JdbiJobStateRepository repo = db.store.jobStateRepository();
        JobState job = repo.create(new NewJob(JobId.random(), "aks_provision", OwnerId.of("alice"), Map.of(), T0));
        db.jdbi()
                .useHandle(
                        h -> h.createUpdate("UPDATE " + db.table("job_state") + " SET task_id = 'other' WHERE id = :id")
                                .bind("id", job.id().value())
                                .execute());

        JobUpdate stamp = JobUpdate.taskId(TaskId.of("mine"));
        int written = db.jdbi().withHandle(h -> repo.write(h, job, stamp, job.apply(stamp, T0.plusSeconds(1))));

        assertThat(written).isZero();
        assertThat(repo.get(job.id()).orElseThrow().taskId()).isEqualTo(TaskId.of("other"));
    }
}
