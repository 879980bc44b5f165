package org.elb.warmkeeper.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import java.util.Map;
import org.elb.warmkeeper.core.BackendUnavailableException;
import org.elb.warmkeeper.core.cluster.ClusterRef;
import org.elb.warmkeeper.core.warm.Readiness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class Fabric8NodeReadinessProbeTest {

    private static final ClusterRef CLUSTER = ClusterRef.of("00000000-0000-0000-0000-0000000000bb", "rg", "nodes");

    private final MockCluster cluster = MockCluster.start();
    private final KubernetesClientProvider clients = KubernetesClientProvider.builder(
                    KubernetesConfigSource.of(Map.of(CLUSTER, cluster.config())))
            .build();
    private final Fabric8NodeReadinessProbe probe = Fabric8NodeReadinessProbe.of(clients);

    @AfterEach
    void stop() {
        clients.close();
        cluster.close();
    }

    private static Node node(String name, String ready, String reason, boolean unschedulable) {
        return new NodeBuilder()
                .withNewMetadata()
                .withName(name)
                .endMetadata()
                .withNewSpec()
                .withUnschedulable(unschedulable)
                .endSpec()
                .withNewStatus()
                .addNewCondition()
                .withType("Ready")
                .withStatus(ready)
                .withReason(reason)
                .endCondition()
                .endStatus()
                .build();
    }

    private void add(Node node) {
        cluster.admin().nodes().resource(node).create();
    }

    @Test
    void no_nodes_is_not_ready() {
        assertThat(probe.probe(CLUSTER)).isEqualTo(Readiness.notReady("no nodes"));
    }

    @Test
    void nodes_that_are_not_ready_are_named_with_their_reason() {
        add(node("aks-pool-0", "False", "KubeletNotReady", false));
        add(node("aks-pool-1", "True", "KubeletReady", true));
        Readiness r = probe.probe(CLUSTER);
        assertThat(r.isReady()).isFalse();
        assertThat(r.reason())
                .contains(
                        "0 of 2 nodes Ready", "aks-pool-0: Ready=False (KubeletNotReady)", "aks-pool-1: unschedulable");
    }

    @Test
    void one_ready_schedulable_node_is_enough() {
        add(node("aks-pool-0", "False", "KubeletNotReady", false));
        add(node("aks-pool-1", "True", "KubeletReady", false));
        assertThat(probe.probe(CLUSTER).isReady()).isTrue();
    }

    @Test
    void an_api_error_throws_a_core_exception_naming_the_cluster() {
        cluster.failWith(500);
        assertThatThrownBy(() -> probe.probe(CLUSTER))
                .isInstanceOf(BackendUnavailableException.class)
                .hasMessageContaining("kubernetes:" + CLUSTER.display())
                .hasMessageContaining("HTTP 500");
    }
}
