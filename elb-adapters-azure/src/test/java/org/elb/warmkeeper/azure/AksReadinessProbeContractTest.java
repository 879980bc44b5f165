package org.elb.warmkeeper.azure;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.elb.warmkeeper.core.cluster.ClusterRef;
import org.elb.warmkeeper.core.warm.ClusterReadinessProbe;
import org.elb.warmkeeper.testkit.contract.ClusterReadinessProbeContract;
import org.junit.jupiter.api.AfterEach;

/** The testkit's readiness contract against {@link FakeArm}'s managed clusters (one GET per probe). */
class AksReadinessProbeContractTest extends ClusterReadinessProbeContract {

    private FakeArm arm;

    @Override
    protected ClusterReadinessProbe createProbe() {
        try {
            arm = new FakeArm();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return AksReadinessProbe.of(arm.connection());
    }

    @AfterEach
    void stopArm() {
        arm.close();
    }

    private void put(ClusterRef cluster, String provisioningState) {
        FakeArm.Script s = arm.script(cluster.clusterName());
        s.exists = true;
        s.state = provisioningState;
        s.power = "Running";
    }

    @Override
    protected void makeReady(ClusterRef cluster) {
        put(cluster, "Succeeded");
    }

    @Override
    protected void makeNotReady(ClusterRef cluster) {
        put(cluster, "Updating");
    }

    @Override
    protected boolean makeAbsent(ClusterRef cluster) {
        arm.script(cluster.clusterName()).exists = false;
        return true;
    }

    @Override
    protected boolean makeUnreachable(ClusterRef cluster) {
        arm.close();
        return true;
    }

    @Override
    protected long backendCalls() {
        return arm.requests().size();
    }
}
