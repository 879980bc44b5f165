package org.elb.warmkeeper.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.elb.warmkeeper.core.cluster.ClusterRef;
import org.elb.warmkeeper.core.cluster.OwnerId;
import org.elb.warmkeeper.core.provision.ErrorCategory;
import org.elb.warmkeeper.core.provision.JobState;
import org.elb.warmkeeper.core.provision.JobStatus;
import org.elb.warmkeeper.core.provision.ProvisionAccepted;
import org.elb.warmkeeper.core.provision.ProvisionRequest;
import org.elb.warmkeeper.core.provision.ProvisioningService;
import org.elb.warmkeeper.core.provision.ResumeReport;
import org.junit.jupiter.api.Test;

/** {@link ProvisioningService#resumeUnfinished}: resumable rows resume, stale ones fail "interrupted". */
class ProvisioningServiceResumeTest {

    private static final OwnerId OWNER = OwnerId.of("alice");
    private static final Duration WINDOW = Duration.ofMinutes(10);

    private final MutableClock clock = MutableClock.start();
    private final InMemoryJobStateRepository repository = new InMemoryJobStateRepository();

    private ProvisioningService service(FakeClusterProvisioner provisioner) {
        return ProvisioningService.builder(repository, provisioner).clock(clock).build();
    }

    private static ProvisionRequest request(String name) {
        return new ProvisionRequest(
                ClusterRef.of("00000000-0000-0000-0000-000000000001", "rg", name),
                "koreacentral",
                "Standard_E32s_v5",
                3,
                null);
    }

    private JobState row(ProvisionAccepted accepted) {
        return repository.get(accepted.jobId()).orElseThrow();
    }

    @Test
    void checkpointed_row_is_resumed_under_its_task_id_and_reports_to_the_same_row() {
        FakeClusterProvisioner before = new FakeClusterProvisioner();
        ProvisionAccepted accepted = service(before).provision(OWNER, request("c1"));
        before.publishState(accepted.taskId(), "Creating");
        before.checkpoint(accepted.taskId(), Map.of(FakeClusterProvisioner.CHECKPOINT_KEY, "op-1"));
        clock.advance(Duration.ofHours(1)); // way past the window: a checkpoint still wins

        FakeClusterProvisioner after = new FakeClusterProvisioner(); // the restarted process
        ResumeReport report = service(after).resumeUnfinished(WINDOW);

        assertThat(report.resumed()).containsExactly(accepted.jobId());
        assertThat(report.interrupted()).isEmpty();
        assertThat(after.resumed()).containsExactly(accepted.taskId());
        after.start(accepted.taskId());
        after.publishState(accepted.taskId(), "Succeeded");
        after.succeed(accepted.taskId());
        assertThat(row(accepted).status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(row(accepted).clusterState()).isEqualTo("Succeeded");
    }

    @Test
    void stale_row_without_checkpoint_is_failed_as_interrupted_and_a_fresh_one_is_left() {
        FakeClusterProvisioner before = new FakeClusterProvisioner();
        ProvisioningService first = service(before);
        ProvisionAccepted stale = first.provision(OWNER, request("c1"));
        before.start(stale.taskId());
        clock.advance(WINDOW.plusSeconds(1));
        ProvisionAccepted fresh = first.provision(OWNER, request("c2"));

        ResumeReport report = service(new FakeClusterProvisioner()).resumeUnfinished(WINDOW);

        assertThat(report.interrupted()).containsExactly(stale.jobId());
        assertThat(report.untouched()).containsExactly(fresh.jobId());
        JobState failed = row(stale);
        assertThat(failed.status()).isEqualTo(JobStatus.FAILED);
        assertThat(failed.error()).isNotNull();
        assertThat(failed.error().code()).isEqualTo(ProvisioningService.CODE_INTERRUPTED);
        assertThat(failed.error().category()).isEqualTo(ErrorCategory.UNKNOWN);
        assertThat(row(fresh).status()).isEqualTo(JobStatus.QUEUED);
        assertThat(service(new FakeClusterProvisioner())
                        .recentFailed(OWNER, null, null)
                        .jobs())
                .extracting(f -> f.jobId())
                .containsExactly(stale.jobId());
    }

    @Test
    void a_failing_resume_of_a_stale_row_still_ends_the_row() {
        FakeClusterProvisioner before = new FakeClusterProvisioner();
        ProvisionAccepted accepted = service(before).provision(OWNER, request("c1"));
        before.checkpoint(accepted.taskId(), Map.of(FakeClusterProvisioner.CHECKPOINT_KEY, "op-1"));
        clock.advance(WINDOW.multipliedBy(2));
        FakeClusterProvisioner after = new FakeClusterProvisioner();
        after.faults().failNext(1);

        ResumeReport report = service(after).resumeUnfinished(WINDOW);

        assertThat(report.interrupted()).containsExactly(accepted.jobId());
        assertThat(row(accepted).error().message()).contains("resuming failed");
        assertThat(row(accepted).status()).isEqualTo(JobStatus.FAILED);
    }

    @Test
    void finished_rows_are_not_touched_and_the_window_must_be_positive() {
        FakeClusterProvisioner before = new FakeClusterProvisioner();
        ProvisioningService service = service(before);
        ProvisionAccepted done = service.provision(OWNER, request("c1"));
        before.start(done.taskId());
        before.succeed(done.taskId());
        clock.advance(Duration.ofDays(1));

        ResumeReport report = service.resumeUnfinished(WINDOW);

        assertThat(report.resumed()).isEmpty();
        assertThat(report.interrupted()).isEmpty();
        assertThat(row(done).status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThatThrownBy(() -> service.resumeUnfinished(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("heartbeatWindow");
    }
}
