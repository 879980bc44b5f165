package org.elb.warmkeeper.k8s;

import java.time.Duration;
import java.util.Map;
import org.elb.warmkeeper.core.cluster.ClusterRef;
import org.elb.warmkeeper.core.cluster.DatabaseName;
import org.elb.warmkeeper.core.warm.WarmStatus;
import org.elb.warmkeeper.core.warm.WarmStatusProbe;
import org.elb.warmkeeper.testkit.contract.WarmStatusProbeContract;
import org.junit.jupiter.api.AfterEach;

/** The probe contract against the informer-backed probe: answers come from a watched cache. */
class Fabric8InformerWarmStatusProbeContractTest extends WarmStatusProbeContract {

    private MockCluster main;
    private MockCluster other;
    private KubernetesClientProvider clients;
    private Fabric8InformerWarmStatusProbe probe;

    @Override
    protected WarmStatusProbe createProbe() {
        main = MockCluster.start();
        other = MockCluster.start();
        clients = KubernetesClientProvider.builder(
                KubernetesConfigSource.of(Map.of(CLUSTER, main.config(), OTHER_CLUSTER, other.config()))).build();
        probe = Fabric8InformerWarmStatusProbe.builder(clients).build();
        return probe;
    }

    @AfterEach
    void stop() {
        probe.close();
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

    @Override
    protected Duration propagationTimeout() {
        return Duration.ofSeconds(5);
    }
}
