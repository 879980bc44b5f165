package org.elb.warmkeeper.k8s;

import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.elb.warmkeeper.core.BackendUnavailableException;
import org.elb.warmkeeper.core.cluster.Checks;
import org.elb.warmkeeper.core.cluster.ClusterRef;
import org.elb.warmkeeper.core.warm.ClusterReadinessProbe;
import org.elb.warmkeeper.core.warm.Readiness;
import org.elb.warmkeeper.k8s.internal.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Node readiness answered from an informer cache: per cluster one informer on the nodes (LIST once,
 * then WATCH), judged as {@link Fabric8NodeReadinessProbe#judge} does. Once a cluster's cache has
 * synced, a probe makes <b>no API request</b>. The first probe of a cluster starts its informer and
 * waits up to {@link Builder#syncTimeout} for the initial LIST.
 *
 * <p>Never stale truth: a cache that has not synced, or whose watch is down (the informer is
 * reconnecting), cannot tell, and the probe throws {@link BackendUnavailableException} (the cluster is
 * {@code error} for that tick) instead of answering from what it saw last. Close it to stop every
 * informer. Thread-safe.
 */
public final class Fabric8InformerNodeReadinessProbe implements ClusterReadinessProbe, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Fabric8InformerNodeReadinessProbe.class);

    /** Default wait for a cluster's first sync: 10 s. */
    public static final Duration DEFAULT_SYNC_TIMEOUT = Duration.ofSeconds(10);

    private final KubernetesClientProvider clients;
    private final Duration syncTimeout;
    private final Map<ClusterRef, SharedIndexInformer<Node>> informers = new ConcurrentHashMap<>();
    /** Clusters whose informer stopped on a 401/403: their client is rebuilt before the next start. */
    private final Set<ClusterRef> authFailures = ConcurrentHashMap.newKeySet();

    private volatile boolean closed;

    private Fabric8InformerNodeReadinessProbe(Builder b) {
        this.clients = b.clients;
        this.syncTimeout = b.syncTimeout;
    }

    public static Builder builder(KubernetesClientProvider clients) {
        return new Builder(clients);
    }

    @Override
    public Readiness probe(ClusterRef cluster) {
        if (closed) {
            throw new IllegalStateException("the informer readiness probe is closed");
        }
        SharedIndexInformer<Node> informer = informers.get(cluster);
        if (informer == null || !informer.isRunning()) {
            informer = startRebuildingOnAuthFailure(cluster);
        }
        if (!informer.hasSynced()) {
            throw new BackendUnavailableException(
                    Errors.backend(cluster), "nodeInformerSync", "node informer has not synced yet");
        }
        if (!informer.isWatching()) {
            informer = restartIfRefused(cluster, informer);
        }
        if (!informer.isWatching()) {
            throw new BackendUnavailableException(
                    Errors.backend(cluster), "nodeWatch", "node watch is down: readiness unknown until it is back");
        }
        return Fabric8NodeReadinessProbe.judge(informer.getStore().list());
    }

    /** Whether the node cache of {@code cluster} has synced and its watch is up. */
    public boolean isWatching(ClusterRef cluster) {
        SharedIndexInformer<Node> informer = informers.get(cluster);
        return informer != null && informer.hasSynced() && informer.isWatching();
    }

    /** Stops the informer of a cluster that is no longer configured. */
    public void forget(ClusterRef cluster) {
        SharedIndexInformer<Node> informer = informers.remove(cluster);
        if (informer != null) {
            informer.stop();
        }
    }

    private synchronized SharedIndexInformer<Node> start(ClusterRef cluster) {
        SharedIndexInformer<Node> existing = informers.get(cluster);
        if (existing != null && existing.isRunning()) {
            return existing;
        }
        if (existing != null) {
            existing.stop();
            informers.remove(cluster);
        }
        SharedIndexInformer<Node> informer;
        try {
            informer = clients.client(cluster).nodes().runnableInformer(0);
            stopOnAuthFailure(cluster, informer);
        } catch (RuntimeException e) {
            throw Errors.unavailable(cluster, "nodeInformerStart", e);
        }
        try {
            informer.start().toCompletableFuture().get(syncTimeout.toMillis(), TimeUnit.MILLISECONDS);
            informers.put(cluster, informer);
            log.debug("node informer synced for cluster {}", cluster.display());
            return informer;
        } catch (TimeoutException e) {
            informers.put(cluster, informer); // keeps syncing; a later probe may find it synced
            throw new BackendUnavailableException(
                    Errors.backend(cluster), "nodeInformerSync", "node informer did not sync within " + syncTimeout, e);
        } catch (ExecutionException e) {
            informer.stop();
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new BackendUnavailableException(
                    Errors.backend(cluster), "nodeInformerStart", Errors.describe(cause), cause);
        } catch (InterruptedException e) {
            informer.stop();
            Thread.currentThread().interrupt();
            throw new BackendUnavailableException(Errors.backend(cluster), "nodeInformerStart", "interrupted", e);
        } catch (RuntimeException e) {
            informer.stop();
            throw Errors.unavailable(cluster, "nodeInformerStart", e);
        }
    }

    /**
     * Starts the node informer of {@code cluster}; when it stopped on a 401/403 (a watch closed with it,
     * or a list refused), or this start is refused so, the cached client is invalidated and the informer
     * starts once on a freshly built one. A second refusal is thrown.
     */
    private synchronized SharedIndexInformer<Node> startRebuildingOnAuthFailure(ClusterRef cluster) {
        boolean rebuilt = false;
        if (authFailures.remove(cluster)) {
            log.info("node informer of cluster {} was refused (401/403): rebuilding its client", cluster.display());
            clients.invalidate(cluster);
            rebuilt = true;
        }
        try {
            return start(cluster);
        } catch (BackendUnavailableException e) {
            if (rebuilt || !Errors.isAuthFailure(e)) {
                throw e;
            }
            authFailures.remove(cluster);
            log.info("node informer of cluster {} refused (401/403): rebuilding its client", cluster.display());
            clients.invalidate(cluster);
            return start(cluster);
        }
    }

    /**
     * A node watch that is down may be refused (Fabric8's watch retries a 401/403 forever without telling
     * the informer): one LIST of at most one node on the cached client tells. Refused: the informer is
     * stopped and started once on a freshly built client (a second refusal is thrown).
     */
    private synchronized SharedIndexInformer<Node> restartIfRefused(
            ClusterRef cluster, SharedIndexInformer<Node> informer) {
        if (informers.get(cluster) != informer || informer.isWatching()) {
            return informers.getOrDefault(cluster, informer);
        }
        try {
            clients.client(cluster)
                    .nodes()
                    .list(new ListOptionsBuilder().withLimit(1L).build());
            return informer;
        } catch (RuntimeException e) {
            if (!Errors.isAuthFailure(e)) {
                return informer;
            }
        }
        log.info("node watch of cluster {} is refused (401/403): restarting on a rebuilt client", cluster.display());
        informer.stop();
        informers.remove(cluster);
        authFailures.add(cluster);
        return startRebuildingOnAuthFailure(cluster);
    }

    /** A 401/403 stops the informer and marks the cluster for a client rebuild; others keep Fabric8's default. */
    private void stopOnAuthFailure(ClusterRef cluster, SharedIndexInformer<?> informer) {
        informer.exceptionHandler((started, t) -> {
            if (Errors.isAuthFailure(t)) {
                authFailures.add(cluster);
                return false;
            }
            return started && !(t instanceof WatcherException);
        });
    }

    /** Stops every informer. */
    @Override
    public synchronized void close() {
        closed = true;
        informers.values().forEach(SharedIndexInformer::stop);
        informers.clear();
    }

    @Override
    public String toString() {
        return "Fabric8InformerNodeReadinessProbe{clusters=" + informers.size() + "}";
    }

    /** Configuration; everything but the client provider is optional. */
    public static final class Builder {
        private final KubernetesClientProvider clients;
        private Duration syncTimeout = DEFAULT_SYNC_TIMEOUT;

        private Builder(KubernetesClientProvider clients) {
            this.clients = Checks.required(clients, "clients");
        }

        /** How long the first probe of a cluster waits for its node informer to sync (default 10 s). */
        public Builder syncTimeout(Duration timeout) {
            this.syncTimeout = Checks.positive(timeout, "syncTimeout");
            return this;
        }

        public Fabric8InformerNodeReadinessProbe build() {
            return new Fabric8InformerNodeReadinessProbe(this);
        }
    }
}
