package org.elb.warmkeeper.testkit.contract;

import org.elb.warmkeeper.core.cluster.ClusterRef;
import org.elb.warmkeeper.core.warm.ClusterReadinessProbe;
import org.elb.warmkeeper.testkit.FakeReadinessProbe;

/** The fake calls clusters it was told nothing about ready, so the "no trace" test is skipped for it. */
class FakeReadinessProbeContractTest extends ClusterReadinessProbeContract {

    private FakeReadinessProbe fake;

    @Override
    protected ClusterReadinessProbe createProbe() {
        fake = new FakeReadinessProbe();
        return fake;
    }

    @Override
    protected void makeReady(ClusterRef cluster) {
        fake.ready(cluster);
    }

    @Override
    protected void makeNotReady(ClusterRef cluster) {
        fake.notReady(cluster, "not ready (fake)");
    }

    @Override
    protected boolean makeUnreachable(ClusterRef cluster) {
        fake.faults().unavailable();
        return true;
    }

    @Override
    protected long backendCalls() {
        return fake.faults().calls();
    }
}
