package org.elb.warmkeeper.k8s;

import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.elb.warmkeeper.core.BackendUnavailableException;
import org.elb.warmkeeper.core.cluster.Checks;
import org.elb.warmkeeper.core.cluster.ClusterRef;
import org.elb.warmkeeper.core.warm.AutoWarmObserver;
import org.elb.warmkeeper.core.warm.ChangeListeners;
import org.elb.warmkeeper.core.warm.ChangeSubscription;
import org.elb.warmkeeper.core.warm.ClusterChangeListener;
import org.elb.warmkeeper.core.warm.Readiness;
import org.elb.warmkeeper.core.warm.WatchingReadinessProbe;
import org.elb.warmkeeper.k8s.internal.Errors;
import org.elb.warmkeeper.k8s.internal.InformerChanges;
import org.elb.warmkeeper.k8s.internal.InformerStart;
import org.elb.warmkeeper.k8s.internal.WatchLiveness;
import org.jspecify.annotations.Nullable;
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
 * {@code error} for that tick) instead of answering from what it saw last. First syncs of different
 * clusters run in parallel (one start lock per cluster). {@link #retainOnly(Collection)} stops the
 * informers of clusters no longer configured. Close it to stop every informer. Thread-safe.
 *
 * <p>Bounded trust, as {@link Fabric8InformerWarmStatusProbe}: a node watch with no event or bookmark for
 * longer than {@link Builder#maxSilence} (default 3 min) is relisted from scratch, and the probe throws
 * (readiness unknown) until that relist has synced, so a node gone NotReady never stays Ready behind a
 * watch that died silently. {@link #watchAge(ClusterRef)} tells the time since the last sign of life.
 * <p>A {@link WatchingReadinessProbe}: when its informer sees a node become Ready and schedulable, it
 * tells its subscribers which cluster changed, so that a scheduler built on it runs that cluster within
 * seconds rather than at the next tick.
 */
public final class Fabric8InformerNodeReadinessProbe implements WatchingReadinessProbe, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Fabric8InformerNodeReadinessProbe.class);

    /** Default wait for a cluster's first sync: 10 s. */
    public static final Duration DEFAULT_SYNC_TIMEOUT = Duration.ofSeconds(10);

    /** Default longest silence of a node watch before it is relisted: 3 min. */
    public static final Duration DEFAULT_MAX_SILENCE = Fabric8InformerWarmStatusProbe.DEFAULT_MAX_SILENCE;

    private final KubernetesClientProvider clients;
    private final Duration syncTimeout;
    private final WatchLiveness liveness;
    private final AutoWarmObserver observer;
    private final Map<ClusterRef, SharedIndexInformer<Node>> informers = new ConcurrentHashMap<>();
    /** Clusters whose informer stopped on a 401/403: their client is rebuilt before the next start. */
    private final Set<ClusterRef> authFailures = ConcurrentHashMap.newKeySet();
    /** One start lock per cluster: a slow first sync of one cluster never holds back another's. */
    private final Map<ClusterRef, Object> startLocks = new ConcurrentHashMap<>();

    /** The 401/403 the exception handler saw for a cluster's informer, until a start reads it. */
    private final Map<ClusterRef, Throwable> refusals = new ConcurrentHashMap<>();

    private final ChangeListeners changes = new ChangeListeners();

    private volatile boolean closed;

    private Fabric8InformerNodeReadinessProbe(Builder b) {
        this.clients = b.clients;
        this.syncTimeout = b.syncTimeout;
        this.liveness = new WatchLiveness(b.clock, b.maxSilence);
        this.observer = b.observer;
    }

    public static Builder builder(KubernetesClientProvider clients) {
        return new Builder(clients);
    }

    @Override
    public Readiness probe(ClusterRef cluster) {
        try {
            return answer(cluster);
        } finally {
            reportAge(cluster);
        }
    }

    private Readiness answer(ClusterRef cluster) {
        if (closed) {
            throw new IllegalStateException("the informer readiness probe is closed");
        }
        SharedIndexInformer<Node> informer = informers.get(cluster);
        if (informer == null || !informer.isRunning()) {
            try {
                informer = startRebuildingOnAuthFailure(cluster);
            } catch (BackendUnavailableException e) {
                if (liveness.isRelisting(cluster)) {
                    throw relistPending(cluster, e);
                }
                throw e;
            }
        }
        if (!informer.hasSynced()) {
            if (liveness.isRelisting(cluster)) {
                throw relistPending(cluster, null);
            }
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
        if (liveness.check(cluster, true, informer.lastSyncResourceVersion()) == WatchLiveness.Verdict.SILENT) {
            SharedIndexInformer<Node> fresh = relist(cluster, informer);
            if (fresh == null || !fresh.isWatching()) {
                throw relistPending(cluster, null);
            }
            liveness.check(cluster, true, fresh.lastSyncResourceVersion());
            informer = fresh;
        }
        return Fabric8NodeReadinessProbe.judge(informer.getStore().list());
    }

    private BackendUnavailableException relistPending(ClusterRef cluster, @Nullable Throwable cause) {
        String message = "node watch was silent for over " + liveness.maxSilence()
                + ": readiness unknown until its relist has synced";
        return cause == null
                ? new BackendUnavailableException(Errors.backend(cluster), "nodeWatch", message)
                : new BackendUnavailableException(Errors.backend(cluster), "nodeWatch", message, cause);
    }

    /**
     * The node watch of {@code cluster} was silent for longer than maxSilence: its informer is stopped and
     * started again from a fresh LIST (waiting up to the sync timeout). Null when that relist has not
     * synced yet (it goes on in the background).
     */
    private @Nullable SharedIndexInformer<Node> relist(ClusterRef cluster, SharedIndexInformer<Node> silent) {
        synchronized (startLock(cluster)) {
            if (informers.get(cluster) == silent) {
                log.warn(
                        "node watch of cluster {} silent for {} (over maxSilence {}): relisting; readiness unknown"
                                + " until it has synced",
                        cluster.display(),
                        liveness.age(cluster).map(Duration::toString).orElse("?"),
                        liveness.maxSilence());
                liveness.relisting(cluster);
                informers.remove(cluster, silent);
                silent.stop();
            }
            try {
                SharedIndexInformer<Node> fresh = startRebuildingOnAuthFailure(cluster);
                return fresh.hasSynced() ? fresh : null;
            } catch (BackendUnavailableException e) {
                log.debug("node relist of cluster {} has not synced: {}", cluster.display(), e.toString());
                return null;
            }
        }
    }

    /**
     * Time since the last sign of life (an event, a bookmark or a fresh sync) of the node watch of
     * {@code cluster}, still growing while it is relisted after a silence; empty before its first sync.
     */
    public Optional<Duration> watchAge(ClusterRef cluster) {
        SharedIndexInformer<Node> informer = informers.get(cluster);
        if (informer != null && informer.hasSynced() && informer.isWatching()) {
            liveness.check(cluster, true, informer.lastSyncResourceVersion());
        }
        return liveness.age(cluster);
    }

    /** Hands the age of the cluster's watch to the observer (whose failures are only logged). */
    private void reportAge(ClusterRef cluster) {
        liveness.age(cluster).ifPresent(age -> {
            try {
                observer.watchAge(cluster, "nodes", age);
            } catch (RuntimeException e) {
                log.debug("observer failed on the watch age of {}: {}", cluster.display(), e.toString());
            }
        });
    }

    /** The longest silence a node watch is trusted for (see {@link Builder#maxSilence}). */
    public Duration maxSilence() {
        return liveness.maxSilence();
    }

    /** Tells {@code listener} of every cluster one of whose nodes becomes Ready and schedulable. */
    @Override
    public ChangeSubscription subscribe(ClusterChangeListener listener) {
        return changes.subscribe(listener);
    }

    /** Whether the node cache of {@code cluster} has synced and its watch is up and not silent past maxSilence. */
    public boolean isWatching(ClusterRef cluster) {
        SharedIndexInformer<Node> informer = informers.get(cluster);
        return informer != null
                && informer.hasSynced()
                && informer.isWatching()
                && liveness.check(cluster, true, informer.lastSyncResourceVersion()) == WatchLiveness.Verdict.LIVE;
    }

    /** Stops the informer of a cluster that is no longer configured. */
    public void forget(ClusterRef cluster) {
        SharedIndexInformer<Node> informer = informers.remove(cluster);
        liveness.forget(cluster);
        if (informer != null) {
            informer.stop();
        }
    }

    private Object startLock(ClusterRef cluster) {
        return startLocks.computeIfAbsent(cluster, k -> new Object());
    }

    private SharedIndexInformer<Node> start(ClusterRef cluster) {
        synchronized (startLock(cluster)) {
            return startLocked(cluster);
        }
    }

    private SharedIndexInformer<Node> startLocked(ClusterRef cluster) {
        if (closed) {
            throw new IllegalStateException("the informer readiness probe is closed");
        }
        refusals.remove(cluster); // a refusal seen before this start is not this start's
        SharedIndexInformer<Node> existing = informers.get(cluster);
        if (existing == null || !existing.isRunning()) {
            liveness.started(cluster);
        }
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
            liveness.stampOnEvents(cluster, informer);
            InformerChanges.onNodeBecomingReady(informer, () -> changes.changed(cluster));
        } catch (RuntimeException e) {
            throw Errors.unavailable(cluster, "nodeInformerStart", e);
        }
        try {
            InformerStart.await(
                    cluster, informer, System.nanoTime() + syncTimeout.toNanos(), refusals, "nodeInformerStart");
            informers.put(cluster, informer);
            stopIfClosed(cluster, informer);
            log.debug("node informer synced for cluster {}", cluster.display());
            return informer;
        } catch (TimeoutException e) {
            informers.put(cluster, informer); // keeps syncing; a later probe may find it synced
            stopIfClosed(cluster, informer);
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
    private SharedIndexInformer<Node> startRebuildingOnAuthFailure(ClusterRef cluster) {
        synchronized (startLock(cluster)) {
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
    }

    /**
     * A node watch that is down may be refused (Fabric8's watch retries a 401/403 forever without telling
     * the informer): one LIST of at most one node on the cached client tells. Refused: the informer is
     * stopped and started once on a freshly built client (a second refusal is thrown).
     */
    private SharedIndexInformer<Node> restartIfRefused(ClusterRef cluster, SharedIndexInformer<Node> informer) {
        synchronized (startLock(cluster)) {
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
            log.info(
                    "node watch of cluster {} is refused (401/403): restarting on a rebuilt client", cluster.display());
            informer.stop();
            informers.remove(cluster);
            authFailures.add(cluster);
            return startRebuildingOnAuthFailure(cluster);
        }
    }

    /** A 401/403 stops the informer and marks the cluster for a client rebuild; others keep Fabric8's default. */
    private void stopOnAuthFailure(ClusterRef cluster, SharedIndexInformer<?> informer) {
        InformerStart.stopOnAuthFailure(informer, t -> {
            refusals.put(cluster, t);
            authFailures.add(cluster);
        });
    }

    /** Stops every informer. */
    /** A start that raced {@link #close()}: its informer is stopped too. */
    private void stopIfClosed(ClusterRef cluster, SharedIndexInformer<Node> informer) {
        if (closed) {
            informers.remove(cluster, informer);
            informer.stop();
        }
    }

    /** The clusters that have a node informer now (started, syncing or synced). */
    public Set<ClusterRef> clusters() {
        return Set.copyOf(informers.keySet());
    }

    /**
     * Keeps the node informers of {@code configured} and stops every other one (as
     * {@link Fabric8InformerWarmStatusProbe#retainOnly}); waits (up to a second each) until the stopped
     * watches are closed. A stopped cluster that is probed again is started again.
     *
     * @return the clusters whose informers were stopped
     */
    public Set<ClusterRef> retainOnly(Collection<ClusterRef> configured) {
        Set<ClusterRef> keep = Set.copyOf(Checks.required(configured, "configured"));
        Map<ClusterRef, SharedIndexInformer<Node>> stopped = new java.util.HashMap<>();
        for (ClusterRef cluster : Set.copyOf(informers.keySet())) {
            if (keep.contains(cluster)) {
                continue;
            }
            synchronized (startLock(cluster)) {
                SharedIndexInformer<Node> informer = informers.remove(cluster);
                liveness.forget(cluster);
                if (informer != null) {
                    informer.stop();
                    stopped.put(cluster, informer);
                }
            }
        }
        stopped.values().forEach(i -> awaitStopped(i, Duration.ofSeconds(1)));
        if (!stopped.isEmpty()) {
            log.info("stopped the node informers of {} cluster(s) no longer configured", stopped.size());
        }
        return Set.copyOf(stopped.keySet());
    }

    private static void awaitStopped(SharedIndexInformer<Node> informer, Duration timeout) {
        try {
            informer.stopped().toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            log.debug("node informer did not stop cleanly: {}", e.toString());
        }
    }

    /** Stops every informer and waits (up to a second each) until their watches are closed. */
    @Override
    public void close() {
        closed = true;
        java.util.List<SharedIndexInformer<Node>> all = new java.util.ArrayList<>(informers.values());
        informers.clear();
        liveness.clear();
        all.forEach(SharedIndexInformer::stop);
        all.forEach(i -> awaitStopped(i, Duration.ofSeconds(1)));
    }

    @Override
    public String toString() {
        return "Fabric8InformerNodeReadinessProbe{clusters=" + informers.size() + "}";
    }

    /** Configuration; everything but the client provider is optional. */
    public static final class Builder {
        private final KubernetesClientProvider clients;
        private Duration syncTimeout = DEFAULT_SYNC_TIMEOUT;
        private Duration maxSilence = DEFAULT_MAX_SILENCE;
        private Clock clock = Clock.systemUTC();
        private AutoWarmObserver observer = AutoWarmObserver.NOOP;

        private Builder(KubernetesClientProvider clients) {
            this.clients = Checks.required(clients, "clients");
        }

        /** How long the first probe of a cluster waits for its node informer to sync (default 10 s). */
        public Builder syncTimeout(Duration timeout) {
            this.syncTimeout = Checks.positive(timeout, "syncTimeout");
            return this;
        }

        /**
         * How long a node watch is trusted without a sign of life (an event or a bookmark); past it the
         * informer is relisted and the probe throws until the relist has synced. Default
         * {@link #DEFAULT_MAX_SILENCE} (3 min); see {@link Fabric8InformerWarmStatusProbe.Builder#maxSilence}.
         */
        public Builder maxSilence(Duration maxSilence) {
            this.maxSilence = Checks.positive(maxSilence, "maxSilence");
            return this;
        }

        /**
         * Where the age of each cluster's watch goes ({@link AutoWarmObserver#watchAge}, informer {@code
         * nodes}), each time the probe is asked. Default: nowhere.
         */
        public Builder observer(AutoWarmObserver observer) {
            this.observer = Checks.required(observer, "observer");
            return this;
        }

        /** The clock the silence of a watch is measured with. Default: the system clock (UTC). */
        public Builder clock(Clock clock) {
            this.clock = Checks.required(clock, "clock");
            return this;
        }

        public Fabric8InformerNodeReadinessProbe build() {
            return new Fabric8InformerNodeReadinessProbe(this);
        }
    }
}
