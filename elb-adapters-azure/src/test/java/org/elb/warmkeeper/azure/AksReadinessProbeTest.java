package org.elb.warmkeeper.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.elb.warmkeeper.core.BackendUnavailableException;
import org.elb.warmkeeper.core.cluster.ClusterRef;
import org.elb.warmkeeper.core.warm.Readiness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AksReadinessProbeTest {

    private FakeArm arm;
    private AksReadinessProbe probe;

    @BeforeEach
    void setUp() throws Exception {
        arm = new FakeArm();
        probe = AksReadinessProbe.of(arm.connection());
    }

    @AfterEach
    void tearDown() {
        arm.close();
    }

    private Readiness probe(String name, String state, String power) {
        FakeArm.Script s = arm.script(name);
        s.exists = true;
        s.state = state;
        s.power = power;
        return probe.probe(ClusterRef.of(FakeArm.SUB, "elb-rg", name));
    }

    @Test
    void succeeded_and_running_is_ready() {
        assertThat(probe("r1", "Succeeded", "Running").isReady()).isTrue();
    }

    @Test
    void any_other_provisioning_state_is_not_ready_with_the_state_as_reason() {
        Readiness r = probe("r2", "Updating", "Running");
        assertThat(r.isReady()).isFalse();
        assertThat(r.reason()).isEqualTo("provisioningState is Updating");
    }

    @Test
    void a_stopped_cluster_is_not_ready() {
        Readiness r = probe("r3", "Succeeded", "Stopped");
        assertThat(r.isReady()).isFalse();
        assertThat(r.reason()).isEqualTo("powerState is Stopped");
    }

    @Test
    void a_missing_cluster_is_not_ready() {
        Readiness r = probe.probe(ClusterRef.of(FakeArm.SUB, "elb-rg", "absent"));
        assertThat(r.isReady()).isFalse();
        assertThat(r.reason()).isEqualTo("cluster not found");
    }

    @Test
    void an_unreachable_arm_is_a_backend_unavailable_exception() {
        String base = arm.base();
        arm.close();
        AksReadinessProbe dead = AksReadinessProbe.of(ArmConnection.of(arm.pipeline(), base));
        assertThatThrownBy(() -> dead.probe(ClusterRef.of(FakeArm.SUB, "elb-rg", "r4")))
                .isInstanceOf(BackendUnavailableException.class)
                .hasMessageContaining("arm");
    }

    @Test
    void arm_throttling_is_a_throttled_exception_with_its_retry_after_and_the_cache_honours_it() {
        FakeArm.Script s = arm.script("t1");
        s.exists = true;
        s.state = "Succeeded";
        s.getThrottleTimes = 100;
        s.retryAfter = "120";
        ClusterRef cluster = ClusterRef.of(FakeArm.SUB, "elb-rg", "t1");
        // The adapters' own retries (ArmRetry): a Retry-After over 2 s is returned at once, never slept.
        AksReadinessProbe probe = AksReadinessProbe.of(ArmConnection.of(ArmRetry.pipeline(), arm.base()));

        String get = "GET /subscriptions/" + FakeArm.SUB
                + "/resourceGroups/elb-rg/providers/Microsoft.ContainerService/managedClusters/t1";
        assertThatThrownBy(() -> probe.probe(cluster))
                .isInstanceOf(org.elb.warmkeeper.core.BackendThrottledException.class)
                .satisfies(e -> assertThat(((org.elb.warmkeeper.core.BackendThrottledException) e).retryAfter())
                        .isEqualTo(java.time.Duration.ofSeconds(120)));
        assertThat(arm.count(get))
                .as("a 429 asking for 120 s is not retried inside the call")
                .isEqualTo(1);

        org.elb.warmkeeper.testkit.MutableClock clock = org.elb.warmkeeper.testkit.MutableClock.start();
        org.elb.warmkeeper.core.warm.CachedReadinessProbe cached =
                org.elb.warmkeeper.core.warm.CachedReadinessProbe.builder(probe)
                        .clock(clock)
                        .build();
        long before = arm.count("GET /subscriptions/" + FakeArm.SUB
                + "/resourceGroups/elb-rg/providers/Microsoft.ContainerService/managedClusters/t1");
        assertThatThrownBy(() -> cached.probe(cluster)).isInstanceOf(BackendUnavailableException.class);
        long afterFirst = arm.count("GET /subscriptions/" + FakeArm.SUB
                + "/resourceGroups/elb-rg/providers/Microsoft.ContainerService/managedClusters/t1");
        assertThatThrownBy(() -> cached.probe(cluster)).isInstanceOf(BackendUnavailableException.class);
        assertThat(arm.count("GET /subscriptions/" + FakeArm.SUB
                        + "/resourceGroups/elb-rg/providers/Microsoft.ContainerService/managedClusters/t1"))
                .as("no ARM read before Retry-After")
                .isEqualTo(afterFirst)
                .isGreaterThan(before);

        s.getThrottleTimes = 0;
        clock.advance(java.time.Duration.ofSeconds(121));
        assertThat(cached.probe(cluster).isReady()).isTrue();
        assertThat(AksReadinessProbe.retryAfter(null)).isEqualTo(AksReadinessProbe.DEFAULT_RETRY_AFTER);
        assertThat(AksReadinessProbe.retryAfter("soon")).isEqualTo(AksReadinessProbe.DEFAULT_RETRY_AFTER);
    }
}
