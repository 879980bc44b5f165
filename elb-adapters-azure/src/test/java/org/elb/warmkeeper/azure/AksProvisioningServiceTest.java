package org.elb.warmkeeper.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import org.elb.warmkeeper.core.cluster.OwnerId;
import org.elb.warmkeeper.core.provision.CancelMode;
import org.elb.warmkeeper.core.provision.CancelOutcome;
import org.elb.warmkeeper.core.provision.ErrorCategory;
import org.elb.warmkeeper.core.provision.FailedProvision;
import org.elb.warmkeeper.core.provision.JobState;
import org.elb.warmkeeper.core.provision.JobStateChange;
import org.elb.warmkeeper.core.provision.JobStatus;
import org.elb.warmkeeper.core.provision.ProvisionAccepted;
import org.elb.warmkeeper.core.provision.ProvisioningService;
import org.elb.warmkeeper.core.provision.ResumeReport;
import org.elb.warmkeeper.testkit.InMemoryJobStateEvents;
import org.elb.warmkeeper.testkit.InMemoryJobStateRepository;
import org.elb.warmkeeper.testkit.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** End to end: {@link ProvisioningService} + {@link AksClusterProvisioner} + the in-memory job store. */
class AksProvisioningServiceTest {

    private static final OwnerId OWNER = OwnerId.of("alice");
    private static final Duration WAIT = Duration.ofSeconds(10);

    private FakeArm arm;
    private AksClusterProvisioner provisioner;
    private final InMemoryJobStateRepository repository = new InMemoryJobStateRepository();
    private final InMemoryJobStateEvents events = new InMemoryJobStateEvents();
    private final MutableClock clock = MutableClock.start();
    private ProvisioningService service;

    @BeforeEach
    void setUp() throws Exception {
        arm = new FakeArm();
        provisioner = newProvisioner();
        service = newService(provisioner);
    }

    @AfterEach
    void tearDown() {
        provisioner.close();
        arm.close();
    }

    private AksClusterProvisioner newProvisioner() {
        return AksClusterProvisioner.builder(arm.connection())
                .pollInterval(Duration.ofMillis(5))
                .build();
    }

    private ProvisioningService newService(AksClusterProvisioner p) {
        return ProvisioningService.builder(repository, p)
                .events(events)
                .clock(clock)
                .tenant("contoso.onmicrosoft.com")
                .build();
    }

    private JobState row(ProvisionAccepted a) {
        return repository.get(a.jobId()).orElseThrow();
    }

    private List<JobStatus> statuses(ProvisionAccepted a) {
        return events.published().stream()
                .filter(c -> c.jobId().equals(a.jobId()))
                .map(JobStateChange::status)
                .distinct()
                .toList();
    }

    private List<String> clusterStates(ProvisionAccepted a) {
        return events.published().stream()
                .filter(c -> c.jobId().equals(a.jobId()) && c.clusterState() != null)
                .map(JobStateChange::clusterState)
                .distinct()
                .toList();
    }

    @Test
    void success_row_goes_queued_running_succeeded_with_states_in_order() {
        ProvisionAccepted a = service.provision(OWNER, AksClusterProvisionerTest.request("e2e-ok"));

        await().atMost(WAIT).until(() -> row(a).status().isTerminal());
        assertThat(statuses(a)).containsExactly(JobStatus.QUEUED, JobStatus.RUNNING, JobStatus.SUCCEEDED);
        assertThat(clusterStates(a)).containsExactly("Creating", "Succeeded");
        assertThat(row(a).taskId()).isEqualTo(a.taskId());
        assertThat(row(a).payload()).containsKey(AksClusterProvisioner.KEY_POLLING_URL);
    }

    @Test
    void failed_operation_row_goes_queued_running_failed_classified_and_recent_failed_has_its_region() {
        FakeArm.Script s = arm.script("e2e-quota");
        s.steps("InProgress", "Creating", "Failed", "Failed");
        s.operationErrorBody =
                "{\"code\":\"InvalidTemplateDeployment\",\"message\":\"The template deployment failed.\","
                        + "\"details\":[{\"code\":\"QuotaExceeded\",\"message\":\"Operation results in exceeding approved "
                        + "standardESv5Family Cores quota.\"}]}";

        ProvisionAccepted a = service.provision(OWNER, AksClusterProvisionerTest.request("e2e-quota"));

        await().atMost(WAIT).until(() -> row(a).status().isTerminal());
        assertThat(statuses(a)).containsExactly(JobStatus.QUEUED, JobStatus.RUNNING, JobStatus.FAILED);
        assertThat(row(a).error().category()).isEqualTo(ErrorCategory.QUOTA_EXCEEDED);
        assertThat(row(a).error().code()).isEqualTo("QuotaExceeded");
        List<FailedProvision> failed = service.recentFailed(OWNER, null, null).jobs();
        assertThat(failed).hasSize(1);
        assertThat(failed.get(0).region()).isEqualTo("koreacentral");
        assertThat(failed.get(0).clusterName()).isEqualTo("e2e-quota");
        assertThat(failed.get(0).error().category()).isEqualTo(ErrorCategory.QUOTA_EXCEEDED);
    }

    @Test
    void refused_create_row_goes_queued_failed_with_the_authorization_category() {
        FakeArm.Script s = arm.script("e2e-403");
        s.putStatus = 403;
        s.putErrorBody = "{\"error\":{\"code\":\"AuthorizationFailed\",\"message\":\"does not have authorization\"}}";

        ProvisionAccepted a = service.provision(OWNER, AksClusterProvisionerTest.request("e2e-403"));

        await().atMost(WAIT).until(() -> row(a).status().isTerminal());
        assertThat(row(a).status()).isEqualTo(JobStatus.FAILED);
        assertThat(row(a).error().category()).isEqualTo(ErrorCategory.AUTHORIZATION);
        assertThat(row(a).clusterState()).isNull();
    }

    @Test
    void cancel_after_creating_was_published_is_partial_with_the_portal_url_and_stops_polling() {
        arm.script("e2e-cancel").hold = true;
        ProvisionAccepted a = service.provision(OWNER, AksClusterProvisionerTest.request("e2e-cancel"));
        await().atMost(WAIT).until(() -> "Creating".equals(row(a).clusterState()));

        CancelOutcome outcome = service.cancel(OWNER, a.taskId(), CancelMode.STOP);

        assertThat(outcome.result()).isEqualTo(CancelOutcome.Result.CANCELLED);
        assertThat(outcome.partialResourceLikely()).isTrue();
        assertThat(outcome.portalUrl())
                .isEqualTo(
                        "https://portal.azure.com/#@contoso.onmicrosoft.com/resource/subscriptions/" + FakeArm.SUB
                                + "/resourceGroups/elb-rg/providers/Microsoft.ContainerService/managedClusters/e2e-cancel/overview");
        assertThat(provisioner.runningTasks()).isEmpty();
        assertThat(row(a).status()).isEqualTo(JobStatus.CANCELLED);
        assertThat(arm.count("/abort")).isZero();
    }

    @Test
    void cancel_with_abort_posts_abort_and_records_the_action() {
        arm.script("e2e-abort").hold = true;
        ProvisionAccepted a = service.provision(OWNER, AksClusterProvisionerTest.request("e2e-abort"));
        await().atMost(WAIT).until(() -> "Creating".equals(row(a).clusterState()));

        CancelOutcome outcome = service.cancel(OWNER, a.taskId(), CancelMode.ABORT_OPERATION);

        assertThat(outcome.result()).isEqualTo(CancelOutcome.Result.CANCELLED);
        assertThat(outcome.actionError()).isNull();
        assertThat(arm.count("POST /subscriptions/" + FakeArm.SUB + "/resourceGroups/elb-rg/providers/"
                        + "Microsoft.ContainerService/managedClusters/e2e-abort/abort"))
                .isEqualTo(1);
        assertThat(row(a).payload()).containsEntry(ProvisioningService.KEY_CANCEL_ACTION, "abort_operation");
    }

    @Test
    void resume_after_a_restart_follows_the_persisted_polling_url_to_the_end() {
        arm.script("e2e-resume").hold = true;
        ProvisionAccepted a = service.provision(OWNER, AksClusterProvisionerTest.request("e2e-resume"));
        await().atMost(WAIT)
                .until(() -> row(a).payload().containsKey(AksClusterProvisioner.KEY_POLLING_URL)
                        && "Creating".equals(row(a).clusterState()));
        provisioner.close(); // the process dies; the row stays running
        assertThat(row(a).status()).isEqualTo(JobStatus.RUNNING);
        clock.advance(Duration.ofHours(2)); // long past any heartbeat window: the checkpoint still wins
        arm.script("e2e-resume").hold = false;

        provisioner = newProvisioner();
        ResumeReport report = newService(provisioner).resumeUnfinished(Duration.ofMinutes(15));

        assertThat(report.resumed()).containsExactly(a.jobId());
        await().atMost(WAIT).until(() -> row(a).status().isTerminal());
        assertThat(row(a).status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(row(a).taskId()).isEqualTo(a.taskId());
        assertThat(clusterStates(a)).containsExactly("Creating", "Succeeded");
        assertThat(arm.count("PUT ")).isEqualTo(1);
    }

    @Test
    void a_stale_row_without_a_polling_url_is_failed_as_interrupted() {
        FakeArm.Script s = arm.script("e2e-int");
        s.throttleTimes = 1;
        s.retryAfter = "2"; // the create has not reached ARM yet when the process dies
        ProvisionAccepted a = service.provision(OWNER, AksClusterProvisionerTest.request("e2e-int"));
        provisioner.close();
        clock.advance(Duration.ofMinutes(30));

        provisioner = newProvisioner();
        ResumeReport report = newService(provisioner).resumeUnfinished(Duration.ofMinutes(15));

        assertThat(report.interrupted()).containsExactly(a.jobId());
        assertThat(row(a).status()).isEqualTo(JobStatus.FAILED);
        assertThat(row(a).error().code()).isEqualTo(ProvisioningService.CODE_INTERRUPTED);
        assertThat(service.recentFailed(OWNER, null, null).jobs())
                .extracting(FailedProvision::jobId)
                .contains(a.jobId());
    }
}
