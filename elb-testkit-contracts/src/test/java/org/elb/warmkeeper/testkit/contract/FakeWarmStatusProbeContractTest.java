package org.elb.warmkeeper.testkit.contract;

import org.elb.warmkeeper.core.cluster.ClusterRef;
import org.elb.warmkeeper.core.cluster.DatabaseName;
import org.elb.warmkeeper.core.warm.WarmStatus;
import org.elb.warmkeeper.core.warm.WarmStatusProbe;
import org.elb.warmkeeper.testkit.FakeWarmStatusProbe;

class FakeWarmStatusProbeContractTest extends WarmStatusProbeContract {

    private FakeWarmStatusProbe fake;

    @Override
    protected WarmStatusProbe createProbe() {
        fake = new FakeWarmStatusProbe();
        return fake;
    }

    @Override
    protected void put(ClusterRef cluster, DatabaseName db, WarmStatus status) {
        fake.set(cluster, db, status);
    }

    @Override
    protected boolean putUnjudgeable(ClusterRef cluster, DatabaseName db) {
        fake.set(cluster, db, WarmStatus.UNKNOWN);
        return true;
    }

    @Override
    protected boolean makeUnavailable(ClusterRef cluster) {
        fake.faults(cluster).unavailable();
        return true;
    }

    @Override
    protected long backendCalls() {
        return fake.calls();
    }
}
