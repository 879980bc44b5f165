package org.elb.warmkeeper.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.elb.warmkeeper.core.cluster.ClusterRef;
import org.elb.warmkeeper.core.cluster.OwnerId;
import org.elb.warmkeeper.core.provision.ErrorCategory;
import org.elb.warmkeeper.core.provision.ErrorClassification;
import org.elb.warmkeeper.core.provision.ErrorClassifier;
import org.elb.warmkeeper.core.provision.JobId;
import org.elb.warmkeeper.core.provision.JobState;
import org.elb.warmkeeper.core.provision.JobStatus;
import org.elb.warmkeeper.core.provision.ProvisionRequest;
import org.elb.warmkeeper.core.provision.ProvisioningException;
import org.elb.warmkeeper.core.provision.TaskId;
import org.elb.warmkeeper.testkit.RecordingProvisionListener;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link AksClusterProvisioner} against a local server that answers as ARM does. */
class AksClusterProvisionerTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private FakeArm arm;
    private AksClusterProvisioner provisioner;

    @BeforeEach
    void setUp() throws Exception {
        arm = new FakeArm();
        provisioner = AksClusterProvisioner.builder(arm.connection())
                .pollInterval(Duration.ofMillis(5))
                .build();
    }

    @AfterEach
    void tearDown() {
        provisioner.close();
        arm.close();
    }

    static ProvisionRequest request(String name) {
        return new ProvisionRequest(
                ClusterRef.of(FakeArm.SUB, "elb-rg", name), "koreacentral", "Standard_E32s_v5", 3, "1.33");
    }

    private RecordingProvisionListener run(String name) {
        RecordingProvisionListener l = new RecordingProvisionListener();
        provisioner.begin(request(name), l);
        await().atMost(WAIT).until(l::ended);
        return l;
    }

    @Test
    void success_publishes_started_checkpoint_each_state_once_in_order_then_succeeded() {
        RecordingProvisionListener l = run("ok1");

        assertThat(l.events())
                .containsExactly("started", "checkpoint", "state:Creating", "state:Succeeded", "succeeded");
        assertThat(l.checkpoint().get(AksClusterProvisioner.KEY_POLLING_URL))
                .startsWith(arm.base() + "/subscriptions/" + FakeArm.SUB
                        + "/providers/Microsoft.ContainerService/locations/");
        assertThat(arm.count("PUT /subscriptions/" + FakeArm.SUB
                        + "/resourceGroups/elb-rg/providers/Microsoft.ContainerService/managedClusters/ok1"))
                .isEqualTo(1);
        assertThat(provisioner.runningTasks()).isEmpty();
    }

    @Test
    void twenty_concurrent_creates_each_report_their_own_course_exactly_once() {
        java.util.List<RecordingProvisionListener> listeners = new java.util.ArrayList<>();
        java.util.Set<TaskId> ids = new java.util.HashSet<>();
        for (int i = 0; i < 20; i++) {
            RecordingProvisionListener l = new RecordingProvisionListener();
            listeners.add(l);
            ids.add(provisioner.begin(request("many" + i), l));
        }
        await().atMost(WAIT).until(() -> listeners.stream().allMatch(RecordingProvisionListener::ended));

        assertThat(ids).hasSize(20);
        for (RecordingProvisionListener l : listeners) {
            assertThat(l.events())
                    .containsExactly("started", "checkpoint", "state:Creating", "state:Succeeded", "succeeded");
        }
        assertThat(arm.count("PUT ")).isEqualTo(20);
        assertThat(provisioner.runningTasks()).isEmpty();
    }

    @Test
    void begin_returns_a_task_id_at_once_before_arm_answers() {
        arm.script("slow1").hold = true;
        RecordingProvisionListener l = new RecordingProvisionListener();
        TaskId id = provisioner.begin(request("slow1"), l);
        assertThat(id.value()).startsWith("aks-");
        await().atMost(WAIT).until(() -> l.events().contains("state:Creating"));
        assertThat(provisioner.runningTasks()).containsExactly(id);
        assertThat(l.ended()).isFalse();
    }

    @Test
    void quota_exceeded_nested_in_invalid_template_deployment_is_classified_quota() {
        FakeArm.Script s = arm.script("quota1");
        s.putStatus = 400;
        s.putErrorBody =
                "{\"error\":{\"code\":\"InvalidTemplateDeployment\",\"message\":\"The template deployment failed.\","
                        + "\"details\":[{\"code\":\"QuotaExceeded\",\"message\":\"Operation could not be completed as it results in "
                        + "exceeding approved standardESv5Family Cores quota.\"}]}}";

        RecordingProvisionListener l = run("quota1");

        assertThat(l.events()).containsExactly("failed");
        assertThat(l.error().code()).isEqualTo("InvalidTemplateDeployment");
        assertThat(l.error().details()).extracting(d -> d.code()).containsExactly("QuotaExceeded");
        ErrorClassification c = ErrorClassifier.classify(l.error());
        assertThat(c.category()).isEqualTo(ErrorCategory.QUOTA_EXCEEDED);
        assertThat(c.code()).isEqualTo("QuotaExceeded");
    }

    @Test
    void sku_not_available_is_classified_sku_or_zone() {
        FakeArm.Script s = arm.script("sku1");
        s.putStatus = 400;
        s.putErrorBody =
                "{\"error\":{\"code\":\"BadRequest\",\"message\":\"bad\",\"details\":[{\"code\":\"SkuNotAvailable\","
                        + "\"message\":\"The requested VM size Standard_E32s_v5 is not available in location koreacentral.\"}]}}";

        RecordingProvisionListener l = run("sku1");

        assertThat(ErrorClassifier.classify(l.error()).category()).isEqualTo(ErrorCategory.SKU_OR_ZONE_UNAVAILABLE);
    }

    @Test
    void authorization_failed_403_is_classified_authorization() {
        FakeArm.Script s = arm.script("auth1");
        s.putStatus = 403;
        s.putErrorBody =
                "{\"error\":{\"code\":\"AuthorizationFailed\",\"message\":\"The client 'x' with object id 'y' does "
                        + "not have authorization to perform action 'Microsoft.ContainerService/managedClusters/write'.\"}}";

        RecordingProvisionListener l = run("auth1");

        ErrorClassification c = ErrorClassifier.classify(l.error());
        assertThat(c.category()).isEqualTo(ErrorCategory.AUTHORIZATION);
        assertThat(c.retryable()).isFalse();
    }

    @Test
    void a_429_with_retry_after_is_retried_after_the_delay_it_names() {
        FakeArm.Script s = arm.script("thr1");
        s.throttleTimes = 1;
        s.retryAfter = "1";

        RecordingProvisionListener l = run("thr1");

        assertThat(l.events()).endsWith("succeeded");
        assertThat(arm.putTimes()).hasSize(2);
        long waitedMs = (arm.putTimes().get(1) - arm.putTimes().get(0)) / 1_000_000;
        assertThat(waitedMs).as("the pipeline honours Retry-After: 1 s").isGreaterThanOrEqualTo(900);
    }

    @Test
    void persistent_429_ends_failed_transient_and_retryable_with_the_retry_after() {
        FakeArm.Script s = arm.script("thr2");
        s.throttleTimes = 100;
        s.retryAfter = "0";

        RecordingProvisionListener l = run("thr2");

        assertThat(l.events()).containsExactly("failed");
        ErrorClassification c = ErrorClassifier.classify(l.error());
        assertThat(c.category()).isEqualTo(ErrorCategory.TRANSIENT);
        assertThat(c.retryable()).isTrue();
        assertThat(l.error().message()).contains("Retry-After: 0");
    }

    @Test
    void an_operation_that_ends_failed_reports_its_error_body_not_a_null_result() {
        FakeArm.Script s = arm.script("opfail1");
        s.steps("InProgress", "Creating", "Failed", "Failed");
        s.operationErrorBody =
                "{\"code\":\"ResourceDeploymentFailure\",\"message\":\"The resource operation completed with "
                        + "terminal provisioning state 'Failed'.\",\"details\":[{\"code\":\"ZonalAllocationFailed\",\"message\":"
                        + "\"Allocation failed. We do not have sufficient capacity for the requested VM size in this zone.\"}]}";

        RecordingProvisionListener l = run("opfail1");

        assertThat(l.events()).containsExactly("started", "checkpoint", "state:Creating", "state:Failed", "failed");
        assertThat(l.error().code()).isEqualTo("ResourceDeploymentFailure");
        assertThat(ErrorClassifier.classify(l.error()).category()).isEqualTo(ErrorCategory.CAPACITY);
    }

    @Test
    void a_failed_operation_without_an_error_body_still_fails() {
        arm.script("opfail2").steps("Failed", "Failed");

        RecordingProvisionListener l = run("opfail2");

        assertThat(l.events()).endsWith("failed");
        assertThat(l.error().code()).isEqualTo("OperationFailed");
    }

    @Test
    void abort_sends_post_abort_and_the_followed_create_goes_canceling_then_canceled() {
        arm.script("abort1").hold = true;
        RecordingProvisionListener l = new RecordingProvisionListener();
        provisioner.begin(request("abort1"), l);
        await().atMost(WAIT).until(() -> l.events().contains("state:Creating"));

        provisioner.abortOperation(request("abort1").cluster());

        await().atMost(WAIT).until(l::ended);
        assertThat(arm.count("POST /subscriptions/" + FakeArm.SUB + "/resourceGroups/elb-rg/providers/"
                        + "Microsoft.ContainerService/managedClusters/abort1/abort"))
                .isEqualTo(1);
        assertThat(l.events()).containsSubsequence("state:Creating", "state:Canceling", "state:Canceled", "cancelled");
    }

    @Test
    void abort_of_a_missing_cluster_is_a_classified_provisioning_exception() {
        assertThatThrownBy(() -> provisioner.abortOperation(request("nope1").cluster()))
                .isInstanceOf(ProvisioningException.class)
                .satisfies(e ->
                        assertThat(((ProvisioningException) e).classification()).isPresent());
    }

    @Test
    void stop_stops_polling_and_nothing_more_is_reported() throws Exception {
        arm.script("stop1").hold = true;
        RecordingProvisionListener l = new RecordingProvisionListener();
        TaskId id = provisioner.begin(request("stop1"), l);
        await().atMost(WAIT).until(() -> l.events().contains("state:Creating"));

        assertThat(provisioner.stop(id)).isTrue();
        int seen = l.events().size();
        long polls = arm.count("/operations/");
        arm.script("stop1").hold = false;
        Thread.sleep(100);

        assertThat(l.events()).hasSize(seen);
        assertThat(arm.count("/operations/")).isLessThanOrEqualTo(polls + 1);
        assertThat(provisioner.stop(id)).isFalse();
        assertThat(arm.count("/abort")).isZero();
    }

    @Test
    void delete_sends_delete_of_the_cluster() {
        provisioner.deleteCluster(request("del1").cluster());
        assertThat(arm.count("DELETE /subscriptions/" + FakeArm.SUB + "/resourceGroups/elb-rg/providers/"
                        + "Microsoft.ContainerService/managedClusters/del1"))
                .isEqualTo(1);
    }

    @Test
    void abort_and_delete_against_an_arm_that_never_answers_fail_at_the_request_timeout_instead_of_hanging()
            throws Exception {
        // accepts connections and reads the requests, never answers: a stalled ARM
        try (java.net.ServerSocket silent =
                new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            java.util.List<java.net.Socket> held = new java.util.concurrent.CopyOnWriteArrayList<>();
            Thread acceptor = new Thread(() -> {
                while (!silent.isClosed()) {
                    try {
                        held.add(silent.accept());
                    } catch (java.io.IOException e) {
                        return;
                    }
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            AksClusterProvisioner stalled = AksClusterProvisioner.builder(
                            ArmConnection.of(arm.pipeline(), "http://127.0.0.1:" + silent.getLocalPort()))
                    .requestTimeout(Duration.ofMillis(500))
                    .build();
            try {
                org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
                    assertThatThrownBy(() ->
                                    stalled.abortOperation(request("stall1").cluster()))
                            .isInstanceOf(ProvisioningException.class);
                    assertThatThrownBy(() ->
                                    stalled.deleteCluster(request("stall1").cluster()))
                            .isInstanceOf(ProvisioningException.class);
                });
            } finally {
                stalled.close();
                for (java.net.Socket socket : held) {
                    socket.close();
                }
            }
        }
        assertThatThrownBy(() -> AksClusterProvisioner.builder(arm.connection()).requestTimeout(Duration.ZERO))
                .hasMessageContaining("'requestTimeout' must be positive");
    }

    @Test
    void resume_follows_a_persisted_polling_url_from_a_new_provisioner() {
        arm.script("res1").hold = true;
        RecordingProvisionListener first = new RecordingProvisionListener();
        TaskId id = provisioner.begin(request("res1"), first);
        await().atMost(WAIT)
                .until(() -> first.checkpoint() != null && first.events().contains("state:Creating"));
        provisioner.close(); // the process dies
        long puts = arm.count("PUT ");

        JobState row = row(id, first.checkpoint(), "Creating");
        AksClusterProvisioner restarted = AksClusterProvisioner.builder(arm.connection())
                .pollInterval(Duration.ofMillis(5))
                .build();
        try {
            assertThat(restarted.canResume(row)).isTrue();
            RecordingProvisionListener second = new RecordingProvisionListener();
            arm.script("res1").hold = false;
            assertThat(restarted.resume(row, second)).isEqualTo(id);
            await().atMost(WAIT).until(second::ended);
            assertThat(second.events()).containsExactly("started", "state:Succeeded", "succeeded");
            assertThat(arm.count("PUT ")).as("no second create").isEqualTo(puts);
        } finally {
            restarted.close();
        }
    }

    @Test
    void an_expired_operation_url_of_a_cluster_that_does_not_exist_ends_failed_after_max_poll_errors() {
        AksClusterProvisioner strict = AksClusterProvisioner.builder(arm.connection())
                .pollInterval(Duration.ofMillis(2))
                .maxPollErrors(3)
                .build();
        try {
            JobState row = row(
                    TaskId.of("aks-gone"),
                    Map.of(
                            AksClusterProvisioner.KEY_POLLING_URL,
                            arm.base() + "/subscriptions/" + FakeArm.SUB
                                    + "/providers/Microsoft.ContainerService/locations/"
                                    + "koreacentral/operations/expired"),
                    "Creating");
            RecordingProvisionListener l = new RecordingProvisionListener();
            strict.resume(row, l);
            await().atMost(WAIT).until(l::ended);
            assertThat(l.events()).containsExactly("started", "failed");
            assertThat(l.error().code()).isEqualTo("NotFound");
            assertThat(arm.count("/operations/expired"))
                    .as("dropped after its first 404")
                    .isEqualTo(1);
            assertThat(arm.count("GET /subscriptions/" + FakeArm.SUB + "/resourceGroups/"))
                    .as("the cluster is asked instead")
                    .isGreaterThanOrEqualTo(3);
        } finally {
            strict.close();
        }
    }

    @Test
    void unreachable_arm_during_the_create_ends_failed_transient() throws Exception {
        String base = arm.base();
        arm.close();
        try (AksClusterProvisioner dead = AksClusterProvisioner.builder(ArmConnection.of(arm.pipeline(), base))
                .pollInterval(Duration.ofMillis(5))
                .build()) {
            RecordingProvisionListener l = new RecordingProvisionListener();
            dead.begin(request("gone1"), l);
            await().atMost(WAIT).until(l::ended);
            assertThat(l.events()).containsExactly("failed");
            assertThat(ErrorClassifier.classify(l.error()).category()).isEqualTo(ErrorCategory.TRANSIENT);
        }
    }

    @Test
    void a_subscription_the_connection_cannot_serve_is_refused_at_begin_as_invalid_configuration() {
        com.azure.resourcemanager.containerservice.ContainerServiceManager m =
                com.azure.resourcemanager.containerservice.ContainerServiceManager.authenticate(
                        arm.pipeline(),
                        new com.azure.core.management.profile.AzureProfile(
                                null, "00000000-0000-0000-0000-0000000000bb", ArmConnection.environment(arm.base())));
        try (AksClusterProvisioner bound =
                AksClusterProvisioner.builder(ArmConnection.of(m)).build()) {
            assertThatThrownBy(() -> bound.begin(request("x1"), new RecordingProvisionListener()))
                    .isInstanceOf(ProvisioningException.class)
                    .satisfies(e -> assertThat(((ProvisioningException) e)
                                    .classification()
                                    .orElseThrow()
                                    .category())
                            .isEqualTo(ErrorCategory.INVALID_CONFIGURATION));
            assertThat(arm.count("PUT ")).isZero();
        }
    }

    @Test
    void resume_refuses_a_polling_url_on_another_host() {
        JobState row =
                row(TaskId.of("aks-x"), Map.of(AksClusterProvisioner.KEY_POLLING_URL, "https://evil.example/op"), null);
        assertThatThrownBy(() -> provisioner.resume(row, new RecordingProvisionListener()))
                .isInstanceOf(ProvisioningException.class)
                .hasMessageContaining("refusing");
    }

    @Test
    void builder_validates_eagerly_and_to_string_shows_no_secret() {
        assertThatThrownBy(() -> AksClusterProvisioner.builder(arm.connection()).pollInterval(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("pollInterval");
        assertThatThrownBy(() -> AksClusterProvisioner.builder(arm.connection()).maxPollErrors(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxPollErrors");
        assertThatThrownBy(() -> AksClusterProvisioner.builder(arm.connection()).agentPoolName("Bad_Pool"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("agentPoolName");
        assertThat(provisioner.toString()).contains(arm.base()).doesNotContainIgnoringCase("bearer");
        assertThat(AksClusterProvisioner.defaultDnsPrefix(request("a_b"))).isEqualTo("a-b");
    }

    static JobState row(TaskId taskId, Map<String, String> checkpoint, String clusterState) {
        Map<String, String> payload = new java.util.HashMap<>(request("res1").toPayload());
        payload.putAll(checkpoint);
        Instant now = Instant.now();
        return new JobState(
                JobId.random(),
                "aks_provision",
                OwnerId.of("alice"),
                JobStatus.RUNNING,
                taskId,
                clusterState,
                null,
                payload,
                3,
                now,
                now);
    }
}
