package org.elb.warmkeeper.k8s;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import java.util.ArrayList;
import java.util.List;
import org.elb.warmkeeper.core.cluster.Checks;
import org.elb.warmkeeper.core.cluster.ClusterRef;
import org.elb.warmkeeper.core.warm.ClusterReadinessProbe;
import org.elb.warmkeeper.core.warm.Readiness;
import org.elb.warmkeeper.k8s.internal.Errors;
import org.jspecify.annotations.Nullable;

/**
 * A cluster is ready when its API answers and at least one schedulable node has condition
 * {@code Ready=True} (one LIST of nodes). Not ready, with the reason: no nodes, or none Ready (the
 * first few nodes' Ready reasons are named). An API that fails or times out throws
 * {@link org.elb.warmkeeper.core.BackendUnavailableException}: the reconciler marks the cluster ERROR.
 * Compose it with the ARM check of the Azure adapter: {@code ClusterReadinessProbe.allOf(aks, nodes)}.
 */
public final class Fabric8NodeReadinessProbe implements ClusterReadinessProbe {

    private static final int NAMED_NODES = 3;

    private final KubernetesClientProvider clients;

    private Fabric8NodeReadinessProbe(KubernetesClientProvider clients) {
        this.clients = Checks.required(clients, "clients");
    }

    public static Fabric8NodeReadinessProbe of(KubernetesClientProvider clients) {
        return new Fabric8NodeReadinessProbe(clients);
    }

    @Override
    public Readiness probe(ClusterRef cluster) {
        List<Node> nodes;
        try {
            nodes = clients.withClient(cluster, client -> client.nodes().list().getItems());
        } catch (RuntimeException e) {
            throw Errors.unavailable(cluster, "listNodes", e);
        }
        return judge(nodes);
    }

    /** Pure: the readiness that a node list means. */
    public static Readiness judge(List<Node> nodes) {
        if (nodes.isEmpty()) {
            return Readiness.notReady("no nodes");
        }
        List<String> why = new ArrayList<>();
        for (Node node : nodes) {
            NodeCondition ready = readyCondition(node);
            boolean unschedulable =
                    node.getSpec() != null && Boolean.TRUE.equals(node.getSpec().getUnschedulable());
            if (ready != null && "True".equals(ready.getStatus()) && !unschedulable) {
                return Readiness.ready();
            }
            if (why.size() < NAMED_NODES) {
                String name =
                        node.getMetadata() == null ? "?" : node.getMetadata().getName();
                String reason = unschedulable
                        ? "unschedulable"
                        : ready == null
                                ? "no Ready condition"
                                : "Ready=" + ready.getStatus()
                                        + (ready.getReason() == null ? "" : " (" + ready.getReason() + ")");
                why.add(name + ": " + reason);
            }
        }
        return Readiness.notReady("0 of " + nodes.size() + " nodes Ready: " + String.join("; ", why)
                + (nodes.size() > NAMED_NODES ? "; ..." : ""));
    }

    private static @Nullable NodeCondition readyCondition(Node node) {
        if (node.getStatus() == null || node.getStatus().getConditions() == null) {
            return null;
        }
        return node.getStatus().getConditions().stream()
                .filter(c -> "Ready".equals(c.getType()))
                .findFirst()
                .orElse(null);
    }

    @Override
    public String toString() {
        return "Fabric8NodeReadinessProbe";
    }
}
