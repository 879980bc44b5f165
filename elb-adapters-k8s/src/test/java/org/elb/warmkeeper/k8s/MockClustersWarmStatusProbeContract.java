package org.elb.warmkeeper.k8s;

import java.util.Map;
import org.elb.warmkeeper.core.cluster.ClusterRef;
import org.elb.warmkeeper.core.cluster.DatabaseName;
import org.elb.warmkeeper.core.warm.WarmStatus;
import org.elb.warmkeeper.core.warm.WarmStatusProbe;
import org.elb.warmkeeper.testkit.contract.WarmStatusProbeContract;
import org.junit.jupiter.api.AfterEach;

/**
 * The probe contract on two Fabric8 mock servers (one per cluster of the suite); subclasses only say
 * which probe to build on the client provider.
 */
abstract class MockClustersWarmStatusProbeContract extends WarmStatusProbeContract {

    private MockCluster main;
    private MockCluster other;
    private KubernetesClientProvider clients;

    /** The probe under test, on these clients. */
    protected abstract WarmStatusProbe createProbe(KubernetesClientProvider clients);

    @Override
    protected final WarmStatusProbe createProbe() {
        main = MockCluster.start();
        other = MockCluster.start();
        clients = KubernetesClientProvider.builder(
                        KubernetesConfigSource.of(Map.of(CLUSTER, main.config(), OTHER_CLUSTER, other.config())))
                .build();
        return createProbe(clients);
    }

    /** Closes what the probe itself holds; runs before the clients and servers close. */
    protected void closeProbe() {}

    @AfterEach
    void stopClusters() {
        closeProbe();
        clients.close();
        main.close();
        other.close();
    }

    private MockCluster of(ClusterRef cluster) {
        return cluster.equals(CLUSTER) ? main : other;
    }

    @Override
    protected void put(ClusterRef cluster, DatabaseName db, WarmStatus status) {
        Warmups.put(of(cluster).admin(), db, status);
    }

    @Override
    protected boolean putUnjudgeable(ClusterRef cluster, DatabaseName db) {
        Warmups.put(of(cluster).admin(), db, WarmStatus.UNKNOWN);
        return true;
    }

    @Override
    protected boolean makeUnavailable(ClusterRef cluster) {
        of(cluster).failWith(500);
        return true;
    }

    @Override
    protected long backendCalls() {
        return main.calls();
    }
}
