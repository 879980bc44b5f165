package org.elb.warmkeeper.k8s;

import io.fabric8.kubernetes.api.model.NodeBuilder;
import java.util.Map;
import org.elb.warmkeeper.core.cluster.ClusterRef;
import org.elb.warmkeeper.core.warm.ClusterReadinessProbe;
import org.elb.warmkeeper.testkit.contract.ClusterReadinessProbeContract;
import org.junit.jupiter.api.AfterEach;

/** The testkit's readiness contract on two Fabric8 mock servers (one per cluster of the suite). */
class Fabric8NodeReadinessProbeContractTest extends ClusterReadinessProbeContract {

    private static final String NODE = "aks-pool-0";

    private MockCluster main;
    private MockCluster other;
    private KubernetesClientProvider clients;

    @Override
    protected ClusterReadinessProbe createProbe() {
        main = MockCluster.start();
        other = MockCluster.start();
        clients = KubernetesClientProvider.builder(
                        KubernetesConfigSource.of(Map.of(CLUSTER, main.config(), OTHER_CLUSTER, other.config())))
                .build();
        return Fabric8NodeReadinessProbe.of(clients);
    }

    @AfterEach
    void stopClusters() {
        clients.close();
        main.close();
        other.close();
    }

    private MockCluster of(ClusterRef cluster) {
        return cluster.equals(CLUSTER) ? main : other;
    }

    /** Replaces the cluster's one node by one whose Ready condition is {@code ready}. */
    private void node(ClusterRef cluster, String ready, String reason) {
        MockCluster c = of(cluster);
        c.admin().nodes().withName(NODE).delete();
        c.admin()
                .nodes()
                .resource(new NodeBuilder()
                        .withNewMetadata()
                        .withName(NODE)
                        .endMetadata()
                        .withNewStatus()
                        .addNewCondition()
                        .withType("Ready")
                        .withStatus(ready)
                        .withReason(reason)
                        .endCondition()
                        .endStatus()
                        .build())
                .create();
    }

    @Override
    protected void makeReady(ClusterRef cluster) {
        node(cluster, "True", "KubeletReady");
    }

    @Override
    protected void makeNotReady(ClusterRef cluster) {
        node(cluster, "False", "KubeletNotReady");
    }

    @Override
    protected boolean makeAbsent(ClusterRef cluster) {
        of(cluster).admin().nodes().withName(NODE).delete();
        return true;
    }

    @Override
    protected boolean makeUnreachable(ClusterRef cluster) {
        of(cluster).failWith(500);
        return true;
    }

    @Override
    protected long backendCalls() {
        return main.calls();
    }
}
