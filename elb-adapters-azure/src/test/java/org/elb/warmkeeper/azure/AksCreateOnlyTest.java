package org.elb.warmkeeper.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.elb.warmkeeper.core.cluster.OwnerId;
import org.elb.warmkeeper.core.provision.CancelMode;
import org.elb.warmkeeper.core.provision.CancelOutcome;
import org.elb.warmkeeper.core.provision.ErrorCategory;
import org.elb.warmkeeper.core.provision.JobState;
import org.elb.warmkeeper.core.provision.JobStatus;
import org.elb.warmkeeper.core.provision.ProvisionAccepted;
import org.elb.warmkeeper.core.provision.ProvisionListener;
import org.elb.warmkeeper.core.provision.ProvisioningService;
import org.elb.warmkeeper.testkit.InMemoryJobStateRepository;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Creates are create-only against the local ARM server: a cluster that exists is never updated, aborted
 * or deleted; only a cluster this job created can be deleted by its cancel.
 */
class AksCreateOnlyTest {

    private static final OwnerId OWNER = OwnerId.of("alice");
    private static final Duration WAIT = Duration.ofSeconds(10);

    private FakeArm arm;
    private AksClusterProvisioner provisioner;
    private final InMemoryJobStateRepository repository = new InMemoryJobStateRepository();
    private ProvisioningService service;

    @BeforeEach
    void setUp() throws Exception {
        arm = new FakeArm();
        provisioner = AksClusterProvisioner.builder(arm.connection())
                .pollInterval(Duration.ofMillis(5))
                .build();
        service = ProvisioningService.builder(repository, provisioner).build();
    }

    @AfterEach
    void tearDown() {
        provisioner.close();
        arm.close();
    }

    private JobState row(ProvisionAccepted a) {
        return repository.get(a.jobId()).orElseThrow();
    }

    private JobState ended(ProvisionAccepted a) {
        await().atMost(WAIT).until(() -> row(a).status().isTerminal());
        return row(a);
    }

    @Test
    void an_existing_cluster_ends_the_job_name_conflict_and_is_left_untouched() {
        FakeArm.Script existing = arm.script("taken").existing();

        ProvisionAccepted a = service.provision(OWNER, AksClusterProvisionerTest.request("taken"));
        JobState row = ended(a);
        CancelOutcome cancel = service.cancel(OWNER, a.taskId(), CancelMode.DELETE_CLUSTER);

        assertThat(row.status()).isEqualTo(JobStatus.FAILED);
        assertThat(row.error().category()).isEqualTo(ErrorCategory.NAME_CONFLICT);
        assertThat(row.payload()).doesNotContainKey(ProvisionListener.KEY_CREATED_BY_JOB);
        assertThat(cancel.result()).isEqualTo(CancelOutcome.Result.ALREADY_FINISHED);
        assertThat(arm.unconditionalPuts()).isZero();
        assertThat(arm.count("PUT ")).isZero();
        assertThat(arm.count("DELETE ")).isZero();
        assertThat(arm.count("/abort")).isZero();
        assertThat(existing.modifications.get()).isZero();
        assertThat(existing.state).isEqualTo("Succeeded");
    }

    @Test
    void a_cluster_that_appears_after_the_read_is_refused_by_the_create_only_put() {
        FakeArm.Script existing = arm.script("raced").existing();
        existing.hiddenFromGet = true;

        ProvisionAccepted a = service.provision(OWNER, AksClusterProvisionerTest.request("raced"));
        JobState row = ended(a);

        assertThat(row.status()).isEqualTo(JobStatus.FAILED);
        assertThat(row.error().category()).isEqualTo(ErrorCategory.NAME_CONFLICT);
        assertThat(row.error().code()).isEqualTo(AksClusterProvisioner.CODE_EXISTS);
        assertThat(arm.count("PUT ")).isEqualTo(1);
        assertThat(arm.unconditionalPuts()).isZero();
        assertThat(existing.modifications.get()).isZero();
        assertThat(existing.state).isEqualTo("Succeeded");
    }

    @Test
    void a_cluster_this_job_created_is_marked_and_can_be_deleted_by_its_cancel() {
        arm.script("mine").hold = true;
        ProvisionAccepted a = service.provision(OWNER, AksClusterProvisionerTest.request("mine"));
        await().atMost(WAIT).until(() -> "true".equals(row(a).payload().get(ProvisionListener.KEY_CREATED_BY_JOB)));

        CancelOutcome cancel = service.cancel(OWNER, a.taskId(), CancelMode.DELETE_CLUSTER);

        assertThat(cancel.result()).isEqualTo(CancelOutcome.Result.CANCELLED);
        assertThat(cancel.actionError()).isNull();
        assertThat(arm.count("DELETE /subscriptions/" + FakeArm.SUB + "/resourceGroups/elb-rg/providers/"
                        + "Microsoft.ContainerService/managedClusters/mine"))
                .isEqualTo(1);
        assertThat(arm.unconditionalPuts()).isZero();
    }

    @Test
    void an_expired_operation_url_is_answered_by_the_clusters_own_provisioning_state() {
        FakeArm.Script s = arm.script("expired");
        s.operationGone = true;
        s.steps(
                "InProgress",
                "Creating",
                "InProgress",
                "Creating",
                "InProgress",
                "Creating",
                "InProgress",
                "Creating",
                "InProgress",
                "Creating",
                "InProgress",
                "Creating",
                "Succeeded",
                "Succeeded");

        ProvisionAccepted a = service.provision(OWNER, AksClusterProvisionerTest.request("expired"));
        JobState row = ended(a);

        assertThat(row.status()).as("%s", row.error()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(row.clusterState()).isEqualTo("Succeeded");
        assertThat(arm.count("/operations/"))
                .as("the expired URL is dropped after its first 404")
                .isEqualTo(1);
    }

    @Test
    void an_abort_is_followed_until_the_cluster_is_canceled_and_recorded() {
        arm.script("abort-me").hold = true;
        ProvisionAccepted a = service.provision(OWNER, AksClusterProvisionerTest.request("abort-me"));
        await().atMost(WAIT).until(() -> "true".equals(row(a).payload().get(ProvisionListener.KEY_CREATED_BY_JOB)));

        service.cancel(OWNER, a.taskId(), CancelMode.ABORT_OPERATION);

        await().atMost(WAIT)
                .until(() -> "Canceled".equals(row(a).payload().get(ProvisioningService.KEY_CANCEL_ACTION_STATE)));
        assertThat(row(a).status()).isEqualTo(JobStatus.CANCELLED);
    }

    @Test
    void a_delete_is_followed_until_the_cluster_is_gone_or_failed_and_recorded() {
        arm.script("delete-me").hold = true;
        arm.script("delete-fails").hold = true;
        arm.script("delete-fails").deleteFails = true;
        ProvisionAccepted gone = service.provision(OWNER, AksClusterProvisionerTest.request("delete-me"));
        ProvisionAccepted failing = service.provision(OWNER, AksClusterProvisionerTest.request("delete-fails"));
        await().atMost(WAIT)
                .until(() -> "true".equals(row(gone).payload().get(ProvisionListener.KEY_CREATED_BY_JOB))
                        && "true".equals(row(failing).payload().get(ProvisionListener.KEY_CREATED_BY_JOB)));

        service.cancel(OWNER, gone.taskId(), CancelMode.DELETE_CLUSTER);
        service.cancel(OWNER, failing.taskId(), CancelMode.DELETE_CLUSTER);

        await().atMost(WAIT)
                .until(() -> "Deleted".equals(row(gone).payload().get(ProvisioningService.KEY_CANCEL_ACTION_STATE)));
        await().atMost(WAIT)
                .until(() ->
                        "DeleteFailed".equals(row(failing).payload().get(ProvisioningService.KEY_CANCEL_ACTION_STATE)));
        assertThat(row(failing).payload()).containsKey(ProvisioningService.KEY_CANCEL_ACTION_ERROR);
    }

    @Test
    void a_nine_hundred_level_nested_400_is_invalid_configuration_not_transient() {
        FakeArm.Script s = arm.script("nested");
        StringBuilder body = new StringBuilder();
        int depth = 900;
        for (int i = 0; i < depth; i++) {
            body.append("{\"code\":\"BadRequest\",\"message\":\"Bad Request\",\"details\":[");
        }
        body.append("{\"code\":\"BadRequest\",\"message\":\"innermost\"}");
        for (int i = 0; i < depth; i++) {
            body.append("]}");
        }
        s.putStatus = 400;
        s.putErrorBody = "{\"error\":" + body + "}";

        ProvisionAccepted a = service.provision(OWNER, AksClusterProvisionerTest.request("nested"));
        JobState row = ended(a);

        assertThat(row.status()).isEqualTo(JobStatus.FAILED);
        assertThat(row.error().category())
                .isNotEqualTo(ErrorCategory.TRANSIENT)
                .isEqualTo(ErrorCategory.INVALID_CONFIGURATION);
    }
}
