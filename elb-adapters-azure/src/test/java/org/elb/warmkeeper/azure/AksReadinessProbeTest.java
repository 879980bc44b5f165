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
                .isInstanceOf(BackendUnavailableException.class).hasMessageContaining("arm");
    }
}
