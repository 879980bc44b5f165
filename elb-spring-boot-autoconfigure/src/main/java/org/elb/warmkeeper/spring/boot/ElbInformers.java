package org.elb.warmkeeper.spring.boot;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.elb.warmkeeper.core.cluster.ClusterRef;
import org.elb.warmkeeper.k8s.Fabric8InformerNodeReadinessProbe;
import org.elb.warmkeeper.k8s.Fabric8InformerWarmStatusProbe;
import org.elb.warmkeeper.k8s.KubernetesClientProvider;
import org.elb.warmkeeper.spring.boot.ElbSettings.ManagedCluster;
import org.jspecify.annotations.Nullable;

/**
 * The informer-backed probes of {@code elb.kube.status-source=informer}: built on first use (a context
 * whose application replaces the ports never starts an informer), closed with the context, and read by
 * the {@code elbInformers} health component: per cluster, whether the warmup cache has synced and whether
 * the node watch is up.
 */
public final class ElbInformers implements AutoCloseable {

    /** One reading of the informers: up, unknown (none started yet) or down, with the details per cluster. */
    public record Reading(String status, Map<String, Object> details) {}

    private final Supplier<KubernetesClientProvider> clients;
    private final String namespace;
    private final List<ManagedCluster> clusters;
    private @Nullable Fabric8InformerWarmStatusProbe status;
    private @Nullable Fabric8InformerNodeReadinessProbe nodes;
    private boolean closed;
    private final Set<ClusterRef> statusSynced = new HashSet<>();
    private final Set<ClusterRef> nodesWatching = new HashSet<>();

    ElbInformers(Supplier<KubernetesClientProvider> clients, ElbSettings settings) {
        this.clients = clients;
        this.namespace = settings.properties().getKube().getNamespace();
        this.clusters = settings.clusters();
    }

    /** The warm-status probe on informer caches (created on the first call). */
    public synchronized Fabric8InformerWarmStatusProbe statusProbe() {
        if (closed) {
            throw new IllegalStateException("the informers are closed");
        }
        if (status == null) {
            status = Fabric8InformerWarmStatusProbe.builder(clients.get())
                    .namespace(namespace)
                    .build();
        }
        return status;
    }

    /** The node-readiness probe on informer caches (created on the first call). */
    public synchronized Fabric8InformerNodeReadinessProbe nodeProbe() {
        if (closed) {
            throw new IllegalStateException("the informers are closed");
        }
        if (nodes == null) {
            nodes = Fabric8InformerNodeReadinessProbe.builder(clients.get()).build();
        }
        return nodes;
    }

    /**
     * Per configured cluster: {@code warmStatus} ({@code synced}, {@code waiting for its first sync},
     * {@code lost sync} or {@code not started}) and {@code nodes} ({@code watching}, {@code waiting for its
     * first sync}, {@code watch down} or {@code not started}). A cluster's informers start on its first
     * probe, so a cluster the reconciler has not reached yet (no tick yet, or auto-warm off there) waits
     * without being down. Down when a cluster that had synced has lost it (its cache is being rebuilt, or
     * the node watch is reconnecting: the reconciler skips or errs that cluster meanwhile); unknown before
     * any informer has started.
     */
    public synchronized Reading read() {
        Map<String, Object> details = new LinkedHashMap<>();
        boolean down = false;
        for (ManagedCluster c : clusters) {
            Map<String, Object> one = new LinkedHashMap<>();
            String s = "not started";
            if (status != null) {
                s = state(status.hasSynced(c.ref()), c, statusSynced, "synced", "lost sync");
                down |= s.equals("lost sync");
            }
            String n = "not started";
            if (nodes != null) {
                n = state(nodes.isWatching(c.ref()), c, nodesWatching, "watching", "watch down");
                down |= n.equals("watch down");
            }
            one.put("warmStatus", s);
            one.put("nodes", n);
            details.put(c.name(), one);
        }
        boolean started = status != null || nodes != null;
        return new Reading(down ? "DOWN" : started ? "UP" : "UNKNOWN", details);
    }

    private static String state(boolean now, ManagedCluster c, Set<ClusterRef> seen, String good, String lost) {
        if (now) {
            seen.add(c.ref());
            return good;
        }
        return seen.contains(c.ref()) ? lost : "waiting for its first sync";
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (status != null) {
            status.close();
        }
        if (nodes != null) {
            nodes.close();
        }
    }
}
