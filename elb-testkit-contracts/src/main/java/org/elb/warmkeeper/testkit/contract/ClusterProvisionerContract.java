package org.elb.warmkeeper.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.elb.warmkeeper.core.cluster.ClusterRef;
import org.elb.warmkeeper.core.provision.ArmError;
import org.elb.warmkeeper.core.provision.ClusterProvisioner;
import org.elb.warmkeeper.core.provision.ErrorCategory;
import org.elb.warmkeeper.core.provision.ErrorClassifier;
import org.elb.warmkeeper.core.provision.ProvisionRequest;
import org.elb.warmkeeper.core.provision.TaskId;
import org.elb.warmkeeper.testkit.RecordingProvisionListener;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link ClusterProvisioner} does: a task id at once, {@code started} before the one end,
 * states without repeats, the ARM error with its details on failure, silence after {@code stop}, and
 * abort/delete of a cluster it created.
 *
 * <p>A create's course is a {@link Scenario}. Backends that decide it themselves (a server) set it up in
 * {@link #arrange} before {@code begin}; test-driven fakes play it in {@link #drive} after {@code begin}.
 */
public abstract class ClusterProvisionerContract {

    /** How one create goes. */
    public record Scenario(Kind kind, @Nullable ArmError error) {
        public enum Kind {
            SUCCEED,
            FAIL,
            HOLD
        }

        public static Scenario succeed() {
            return new Scenario(Kind.SUCCEED, null);
        }

        public static Scenario fail(ArmError error) {
            return new Scenario(Kind.FAIL, error);
        }

        /** Accepted, {@code Creating}, and in progress until {@link #release}. */
        public static Scenario hold() {
            return new Scenario(Kind.HOLD, null);
        }
    }

    private ClusterProvisioner provisioner;

    /** A fresh provisioner for one test. */
    protected abstract ClusterProvisioner createProvisioner();

    /** Sets up the backend before {@code begin}; default nothing. */
    protected void arrange(ProvisionRequest request, Scenario scenario) {}

    /** Plays the scenario after {@code begin}; default nothing. */
    protected void drive(ClusterProvisioner provisioner, TaskId taskId, Scenario scenario) {}

    /** Lets a held create go on to success (after a stop, nothing must be heard of it). */
    protected abstract void release(ClusterProvisioner provisioner, TaskId taskId, ProvisionRequest request);

    /** The subscription of the test clusters. */
    protected String subscriptionId() {
        return "00000000-0000-0000-0000-0000000000cc";
    }

    /** How long an outcome may take. */
    protected Duration timeout() {
        return Duration.ofSeconds(10);
    }

    /** How long to watch for reports that must not come. */
    protected Duration quietPeriod() {
        return Duration.ofMillis(150);
    }

    @BeforeEach
    void createTheProvisioner() {
        provisioner = createProvisioner();
    }

    @AfterEach
    void closeTheProvisioner() throws Exception {
        if (provisioner instanceof AutoCloseable c) {
            c.close();
        }
    }

    protected ProvisionRequest request(String name) {
        return new ProvisionRequest(
                ClusterRef.of(subscriptionId(), "contract-rg", name), "koreacentral", "Standard_D4s_v5", 2, null);
    }

    private Recording begin(String name, Scenario scenario) {
        ProvisionRequest request = request(name);
        arrange(request, scenario);
        Recording l = new Recording();
        TaskId taskId = provisioner.begin(request, l);
        l.taskId = taskId;
        drive(provisioner, taskId, scenario);
        return l;
    }

    @Test
    void begin_returns_distinct_task_ids_at_once() {
        Recording a = begin("contract-ids-a", Scenario.hold());
        Recording b = begin("contract-ids-b", Scenario.hold());

        assertThat(a.taskId()).isNotEqualTo(b.taskId());
        assertThat(a.ended()).isFalse();
        assertThat(provisioner.stop(a.taskId())).isTrue();
        assertThat(provisioner.stop(b.taskId())).isTrue();
    }

    @Test
    void a_successful_create_is_started_then_succeeded_once_with_states_never_repeated() {
        Recording l = begin("contract-ok", Scenario.succeed());

        waitUntil(l::ended);
        pause(quietPeriod());
        assertThat(l.ends()).containsExactly("succeeded");
        assertThat(l.events().indexOf("started"))
                .isNotNegative()
                .isLessThan(l.events().indexOf("succeeded"));
        List<String> states = l.states();
        for (int i = 1; i < states.size(); i++) {
            assertThat(states.get(i)).as("state %d repeats the one before", i).isNotEqualTo(states.get(i - 1));
        }
    }

    @Test
    void a_failed_create_reports_the_arm_error_with_its_nested_details() {
        ArmError error = ArmError.of(
                "InvalidTemplateDeployment",
                "The template deployment failed.",
                ArmError.of(
                        "QuotaExceeded", "Operation results in exceeding approved standardDSv5Family Cores quota."));
        Recording l = begin("contract-quota", Scenario.fail(error));

        waitUntil(l::ended);
        pause(quietPeriod());
        assertThat(l.ends()).containsExactly("failed");
        assertThat(l.error()).isNotNull();
        assertThat(l.error().code()).isEqualTo("InvalidTemplateDeployment");
        assertThat(l.error().details()).extracting(ArmError::code).containsExactly("QuotaExceeded");
        assertThat(ErrorClassifier.classify(l.error()).category()).isEqualTo(ErrorCategory.QUOTA_EXCEEDED);
    }

    @Test
    void after_stop_nothing_more_is_reported() {
        Recording l = begin("contract-stop", Scenario.hold());
        waitUntil(() -> l.events().contains("started"));

        assertThat(provisioner.stop(l.taskId())).isTrue();
        int seen = l.events().size();
        release(provisioner, l.taskId(), request("contract-stop"));
        pause(quietPeriod());

        assertThat(l.events()).hasSize(seen);
        assertThat(provisioner.stop(l.taskId())).isFalse();
    }

    @Test
    void stop_of_an_unknown_task_is_false() {
        assertThat(provisioner.stop(TaskId.of("no-such-task"))).isFalse();
    }

    @Test
    void abort_and_delete_of_a_cluster_being_created_are_accepted() {
        Recording l = begin("contract-abort", Scenario.hold());
        waitUntil(() -> l.events().contains("started"));

        provisioner.abortOperation(request("contract-abort").cluster());
        provisioner.stop(l.taskId());
        provisioner.deleteCluster(request("contract-abort").cluster());
    }

    private void waitUntil(BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout().toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within " + timeout());
            }
            pause(Duration.ofMillis(5));
        }
    }

    private static void pause(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A {@link RecordingProvisionListener} that also keeps the task id the suite began. */
    protected static final class Recording extends RecordingProvisionListener {
        private volatile @Nullable TaskId taskId;

        /** The task id {@code begin} returned. */
        TaskId taskId() {
            TaskId begun = taskId;
            if (begun == null) {
                throw new IllegalStateException("not begun");
            }
            return begun;
        }
    }
}
