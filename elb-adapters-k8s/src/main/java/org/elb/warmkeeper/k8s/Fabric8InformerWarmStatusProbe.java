package org.elb.warmkeeper.k8s;

import io.fabric8.kubernetes.api.model.ListOptions;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
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
import org.elb.warmkeeper.core.cluster.DatabaseName;
import org.elb.warmkeeper.core.warm.AutoWarmObserver;
import org.elb.warmkeeper.core.warm.ChangeListeners;
import org.elb.warmkeeper.core.warm.ChangeSubscription;
import org.elb.warmkeeper.core.warm.ClusterChangeListener;
import org.elb.warmkeeper.core.warm.WarmStatus;
import org.elb.warmkeeper.core.warm.WatchingWarmStatusProbe;
import org.elb.warmkeeper.k8s.internal.Errors;
import org.elb.warmkeeper.k8s.internal.InformerChanges;
import org.elb.warmkeeper.k8s.internal.InformerStart;
import org.elb.warmkeeper.k8s.internal.WatchLiveness;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Warm status answered from informer caches: per cluster, an informer (LIST once, then WATCH) on the
 * warmup Pods (and/or Jobs) selected by one equality label. Once a cluster's cache has synced, a call
 * makes <b>no API request</b>. The first call for a cluster starts its informers and waits up to
 * {@link Builder#syncTimeout} for the initial LIST; a cluster whose informers have not synced (or
 * stopped) throws {@link BackendUnavailableException}, so the reconciler marks it ERROR for that tick.
 * An informer that failed to start is dropped and started again on the next call. While a synced
 * cache's watch is down (reconnecting), every database is {@link WarmStatus#UNKNOWN}: the reconciler
 * skips them ({@code status_unknown}) rather than act on what the cache saw before the disconnect.
 *
 * <p>Bounded trust: a watch that shows no sign of life (an event, or a bookmark, which the informer asks
 * for) for longer than {@link Builder#maxSilence} (default 3 min) may be dead without knowing it (a path
 * that stops forwarding without FIN or RST). The next call then stops the cluster's informers and lists
 * them again from scratch; until that relist has synced, every database is {@link WarmStatus#UNKNOWN}.
 * {@link #watchAge(ClusterRef)} tells the time since the last sign of life.
 *
 * <p>First syncs of different clusters run in parallel (each cluster has its own start lock), so a
 * reconciler that probes many clusters at once waits about one sync, not one per cluster. Clusters that
 * are no longer configured: {@link #retainOnly(Collection)} stops their informers (and waits until their
 * watches are closed). Close it to stop every informer. Thread-safe.
 *
 * <p>A {@link WatchingWarmStatusProbe}: when its informer sees a warmup pod or job of a database leave
 * READY/LOADING (failed, evicted, deleted), it tells its subscribers which cluster changed, so that a
 * scheduler built on it runs that cluster within seconds rather than at the next tick.
 */
public final class Fabric8InformerWarmStatusProbe implements WatchingWarmStatusProbe, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Fabric8InformerWarmStatusProbe.class);

    /** Default wait for a cluster's first sync: 10 s. */
    public static final Duration DEFAULT_SYNC_TIMEOUT = Duration.ofSeconds(10);

    /** Default longest silence of a watch before it is relisted: 3 min. */
    public static final Duration DEFAULT_MAX_SILENCE = Duration.ofMinutes(3);

    private final KubernetesClientProvider clients;
    private final String namespace;
    private final String selectorKey;
    private final String selectorValue;
    private final WarmupSource source;
    private final Duration syncTimeout;
    private final WatchLiveness liveness;
    private final AutoWarmObserver observer;
    private final Map<ClusterRef, Caches> caches = new ConcurrentHashMap<>();
    /** Clusters whose informer stopped on a 401/403: their client is rebuilt before the next start. */
    private final Set<ClusterRef> authFailures = ConcurrentHashMap.newKeySet();
    /** One start lock per cluster: a slow first sync of one cluster never holds back another's. */
    private final Map<ClusterRef, Object> startLocks = new ConcurrentHashMap<>();

    /** The 401/403 the exception handler saw for a cluster's informer, until a start reads it. */
    private final Map<ClusterRef, Throwable> refusals = new ConcurrentHashMap<>();

    private final ChangeListeners changes = new ChangeListeners();

    private volatile boolean closed;

    private Fabric8InformerWarmStatusProbe(Builder b) {
        this.clients = b.clients;
        this.namespace = b.namespace;
        this.selectorKey = b.selectorKey;
        this.selectorValue = b.selectorValue;
        this.source = b.source;
        this.syncTimeout = b.syncTimeout;
        this.liveness = new WatchLiveness(b.clock, b.maxSilence);
        this.observer = b.observer;
    }

    public static Builder builder(KubernetesClientProvider clients) {
        return new Builder(clients);
    }

    private record Caches(
            @Nullable SharedIndexInformer<Pod> pods,
            @Nullable SharedIndexInformer<Job> jobs) {
        boolean synced() {
            return (pods == null || pods.hasSynced()) && (jobs == null || jobs.hasSynced());
        }

        boolean running() {
            return (pods == null || pods.isRunning()) && (jobs == null || jobs.isRunning());
        }

        /** The watches are up: what the caches hold is current (not what was seen before a disconnect). */
        boolean watching() {
            return (pods == null || pods.isWatching()) && (jobs == null || jobs.isWatching());
        }

        void stop() {
            if (pods != null) {
                pods.stop();
            }
            if (jobs != null) {
                jobs.stop();
            }
        }

        /** Waits (bounded) until the informers have stopped and closed their watches. */
        void awaitStopped(Duration timeout) {
            try {
                if (pods != null) {
                    pods.stopped().toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                }
                if (jobs != null) {
                    jobs.stopped().toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                log.debug("warmup informer did not stop cleanly: {}", e.toString());
            }
        }
    }

    @Override
    public Map<DatabaseName, WarmStatus> statuses(ClusterRef cluster, Set<DatabaseName> databases) {
        try {
            return answer(cluster, databases);
        } finally {
            reportAge(cluster);
        }
    }

    private Map<DatabaseName, WarmStatus> answer(ClusterRef cluster, Set<DatabaseName> databases) {
        if (closed) {
            throw new IllegalStateException("the informer probe is closed");
        }
        Caches c = caches.get(cluster);
        if (c == null || !c.running()) {
            try {
                c = startRebuildingOnAuthFailure(cluster);
            } catch (BackendUnavailableException e) {
                if (!liveness.isRelisting(cluster)) {
                    throw e;
                }
                log.debug("warmup relist of cluster {} failed: statuses unknown: {}", cluster.display(), e.toString());
                return unknown(databases);
            }
        }
        if (!c.synced()) {
            if (liveness.isRelisting(cluster)) {
                return unknown(databases); // relisting after a silent watch: unknown until it has synced
            }
            throw new BackendUnavailableException(
                    Errors.backend(cluster), "informerSync", "warmup informer has not synced yet");
        }
        if (!c.watching()) {
            c = restartIfRefused(cluster, c);
        }
        if (!c.watching()) {
            // Never stale truth: while a watch reconnects the cache may miss a change; the reconciler
            // skips these databases (status_unknown) instead of acting on an old picture.
            log.debug("warmup watch of cluster {} is down: statuses unknown", cluster.display());
            return unknown(databases);
        }
        if (liveness.check(cluster, true, resourceVersions(c)) == WatchLiveness.Verdict.SILENT) {
            Caches fresh = relist(cluster, c);
            if (fresh == null || !fresh.watching()) {
                return unknown(databases);
            }
            liveness.check(cluster, true, resourceVersions(fresh));
            c = fresh;
        }
        List<Pod> pods = c.pods() == null ? List.of() : c.pods().getStore().list();
        List<Job> jobs = c.jobs() == null ? List.of() : c.jobs().getStore().list();
        return WarmupStatusMapping.byDatabase(jobs, pods, databases);
    }

    private static Map<DatabaseName, WarmStatus> unknown(Set<DatabaseName> databases) {
        Map<DatabaseName, WarmStatus> unknown = new java.util.LinkedHashMap<>();
        databases.forEach(db -> unknown.put(db, WarmStatus.UNKNOWN));
        return unknown;
    }

    /** The last resource versions the caches' watches saw: an event or a bookmark changes them. */
    private static String resourceVersions(Caches c) {
        return (c.pods() == null ? "-" : c.pods().lastSyncResourceVersion()) + "/"
                + (c.jobs() == null ? "-" : c.jobs().lastSyncResourceVersion());
    }

    /**
     * The watches of {@code cluster} were silent for longer than maxSilence: its informers are stopped and
     * started again from a fresh LIST (waiting up to the sync timeout). Null when that relist has not
     * synced yet (it goes on in the background; statuses are unknown meanwhile).
     */
    private @Nullable Caches relist(ClusterRef cluster, Caches silent) {
        synchronized (startLock(cluster)) {
            if (caches.get(cluster) == silent) {
                log.warn(
                        "warmup watch of cluster {} silent for {} (over maxSilence {}): relisting; statuses unknown"
                                + " until it has synced",
                        cluster.display(),
                        liveness.age(cluster).map(Duration::toString).orElse("?"),
                        liveness.maxSilence());
                liveness.relisting(cluster);
                caches.remove(cluster, silent);
                silent.stop();
            }
            try {
                Caches fresh = startRebuildingOnAuthFailure(cluster);
                return fresh.synced() ? fresh : null;
            } catch (BackendUnavailableException e) {
                log.debug("warmup relist of cluster {} has not synced: {}", cluster.display(), e.toString());
                return null;
            }
        }
    }

    /**
     * Time since the last sign of life (an event, a bookmark or a fresh sync) of the warmup watches of
     * {@code cluster}, still growing while they are relisted after a silence; empty before their first sync.
     */
    public Optional<Duration> watchAge(ClusterRef cluster) {
        Caches c = caches.get(cluster);
        if (c != null && c.synced() && c.watching()) {
            liveness.check(cluster, true, resourceVersions(c));
        }
        return liveness.age(cluster);
    }

    /** Hands the age of the cluster's watch to the observer (whose failures are only logged). */
    private void reportAge(ClusterRef cluster) {
        liveness.age(cluster).ifPresent(age -> {
            try {
                observer.watchAge(cluster, "warm_status", age);
            } catch (RuntimeException e) {
                log.debug("observer failed on the watch age of {}: {}", cluster.display(), e.toString());
            }
        });
    }

    /** The longest silence a watch is trusted for (see {@link Builder#maxSilence}). */
    public Duration maxSilence() {
        return liveness.maxSilence();
    }

    /** Tells {@code listener} of every cluster whose warmup pod or job leaves READY/LOADING. */
    @Override
    public ChangeSubscription subscribe(ClusterChangeListener listener) {
        return changes.subscribe(listener);
    }

    /** Whether the caches of {@code cluster} have synced (false before its first call). */
    public boolean hasSynced(ClusterRef cluster) {
        Caches c = caches.get(cluster);
        return c != null && c.synced();
    }

    private Object startLock(ClusterRef cluster) {
        return startLocks.computeIfAbsent(cluster, k -> new Object());
    }

    private Caches start(ClusterRef cluster) {
        synchronized (startLock(cluster)) {
            return startLocked(cluster);
        }
    }

    private Caches startLocked(ClusterRef cluster) {
        if (closed) {
            throw new IllegalStateException("the informer probe is closed");
        }
        refusals.remove(cluster); // a refusal seen before this start is not this start's
        Caches existing = caches.get(cluster);
        if (existing == null || !existing.running()) {
            liveness.started(cluster);
        }
        if (existing != null && existing.running()) {
            return existing;
        }
        if (existing != null) {
            existing.stop();
            caches.remove(cluster);
        }
        SharedIndexInformer<Pod> pods = null;
        SharedIndexInformer<Job> jobs = null;
        try {
            KubernetesClient client = clients.client(cluster);
            if (source.readsPods()) {
                pods = client.pods()
                        .inNamespace(namespace)
                        .withLabel(selectorKey, selectorValue)
                        .runnableInformer(0);
                stopOnAuthFailure(cluster, pods);
                liveness.stampOnEvents(cluster, pods);
                InformerChanges.onPodLeavingWarm(pods, () -> changes.changed(cluster));
            }
            if (source.readsJobs()) {
                jobs = client.batch()
                        .v1()
                        .jobs()
                        .inNamespace(namespace)
                        .withLabel(selectorKey, selectorValue)
                        .runnableInformer(0);
                stopOnAuthFailure(cluster, jobs);
                liveness.stampOnEvents(cluster, jobs);
                InformerChanges.onJobLeavingWarm(jobs, () -> changes.changed(cluster));
            }
            Caches c = new Caches(pods, jobs);
            long deadline = System.nanoTime() + syncTimeout.toNanos();
            if (pods != null) {
                InformerStart.await(cluster, pods, deadline, refusals, "informerStart");
            }
            if (jobs != null) {
                InformerStart.await(cluster, jobs, deadline, refusals, "informerStart");
            }
            caches.put(cluster, c);
            stopIfClosed(cluster, c);
            log.debug("warmup informers synced for cluster {}", cluster.display());
            return c;
        } catch (TimeoutException e) {
            Caches c = new Caches(pods, jobs);
            caches.put(cluster, c); // keep syncing in the background; the next call may find it synced
            stopIfClosed(cluster, c);
            throw new BackendUnavailableException(
                    Errors.backend(cluster), "informerSync", "warmup informer did not sync within " + syncTimeout, e);
        } catch (ExecutionException e) {
            new Caches(pods, jobs).stop();
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new BackendUnavailableException(
                    Errors.backend(cluster), "informerStart", Errors.describe(cause), cause);
        } catch (InterruptedException e) {
            new Caches(pods, jobs).stop();
            Thread.currentThread().interrupt();
            throw new BackendUnavailableException(Errors.backend(cluster), "informerStart", "interrupted", e);
        } catch (RuntimeException e) {
            new Caches(pods, jobs).stop();
            throw Errors.unavailable(cluster, "informerStart", e);
        }
    }

    /**
     * Starts the caches of {@code cluster}; when its informer stopped on a 401/403 (a watch closed with it,
     * or a list refused), or this start is refused so, the cached client is invalidated and the caches
     * start once on a freshly built one. A second refusal is thrown.
     */
    private Caches startRebuildingOnAuthFailure(ClusterRef cluster) {
        synchronized (startLock(cluster)) {
            boolean rebuilt = false;
            if (authFailures.remove(cluster)) {
                log.info(
                        "warmup informer of cluster {} was refused (401/403): rebuilding its client",
                        cluster.display());
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
                log.info("warmup informer of cluster {} refused (401/403): rebuilding its client", cluster.display());
                clients.invalidate(cluster);
                return start(cluster);
            }
        }
    }

    /**
     * A watch that is down may be refused (Fabric8's watch retries a 401/403 forever, on the same
     * credentials, without telling the informer): one LIST of at most one item on the cached client tells.
     * Refused with 401/403: the informer is stopped and started once on a freshly built client (a second
     * refusal is thrown); otherwise the caches are returned as they are.
     */
    private Caches restartIfRefused(ClusterRef cluster, Caches c) {
        synchronized (startLock(cluster)) {
            if (caches.get(cluster) != c || c.watching()) {
                return caches.getOrDefault(cluster, c);
            }
            try {
                KubernetesClient client = clients.client(cluster);
                ListOptions one = new ListOptionsBuilder().withLimit(1L).build();
                if (source.readsPods()) {
                    client.pods()
                            .inNamespace(namespace)
                            .withLabel(selectorKey, selectorValue)
                            .list(one);
                } else {
                    client.batch()
                            .v1()
                            .jobs()
                            .inNamespace(namespace)
                            .withLabel(selectorKey, selectorValue)
                            .list(one);
                }
                return c;
            } catch (RuntimeException e) {
                if (!Errors.isAuthFailure(e)) {
                    return c; // down for another reason: unknown until the watch is back
                }
            }
            log.info(
                    "warmup watch of cluster {} is refused (401/403): restarting on a rebuilt client",
                    cluster.display());
            c.stop();
            caches.remove(cluster);
            authFailures.add(cluster);
            return startRebuildingOnAuthFailure(cluster);
        }
    }

    /**
     * A 401/403 stops the informer (Fabric8 would retry a refused relist forever on the stale client and
     * stops on a refused watch anyway) and marks the cluster for a client rebuild; other failures keep
     * Fabric8's default (retry once started, unless the watch closed).
     */
    private void stopOnAuthFailure(ClusterRef cluster, SharedIndexInformer<?> informer) {
        InformerStart.stopOnAuthFailure(informer, t -> {
            refusals.put(cluster, t);
            authFailures.add(cluster);
        });
    }

    /** A start that raced {@link #close()}: its informers are stopped too. */
    private void stopIfClosed(ClusterRef cluster, Caches c) {
        if (closed) {
            caches.remove(cluster, c);
            c.stop();
        }
    }

    /**
     * Whether the caches of {@code cluster} have synced and their watches are up and not silent for longer
     * than maxSilence (statuses are answered).
     */
    public boolean isWatching(ClusterRef cluster) {
        Caches c = caches.get(cluster);
        return c != null
                && c.synced()
                && c.watching()
                && liveness.check(cluster, true, resourceVersions(c)) == WatchLiveness.Verdict.LIVE;
    }

    /** The clusters that have informers now (started, syncing or synced). */
    public Set<ClusterRef> clusters() {
        return Set.copyOf(caches.keySet());
    }

    /**
     * Keeps the informers of {@code configured} and stops every other one: call it with the clusters
     * still configured (e.g. after each tick, with the tick's clusters) so that a removed cluster's
     * watches are closed. Waits (up to a second per cluster) until the stopped watches are closed. A
     * stopped cluster that is asked about again is started again. The client of a stopped cluster stays
     * in the {@link KubernetesClientProvider}: {@linkplain KubernetesClientProvider#invalidate invalidate}
     * it too to close its connections.
     *
     * @return the clusters whose informers were stopped
     */
    public Set<ClusterRef> retainOnly(Collection<ClusterRef> configured) {
        Set<ClusterRef> keep = Set.copyOf(Checks.required(configured, "configured"));
        Set<ClusterRef> stopped = new java.util.HashSet<>();
        List<Caches> stopping = new java.util.ArrayList<>();
        for (ClusterRef cluster : Set.copyOf(caches.keySet())) {
            if (keep.contains(cluster)) {
                continue;
            }
            synchronized (startLock(cluster)) {
                Caches c = caches.remove(cluster);
                liveness.forget(cluster);
                if (c != null) {
                    c.stop();
                    stopping.add(c);
                    stopped.add(cluster);
                }
            }
        }
        stopping.forEach(c -> c.awaitStopped(Duration.ofSeconds(1)));
        if (!stopped.isEmpty()) {
            log.info("stopped the warmup informers of {} cluster(s) no longer configured", stopped.size());
        }
        return Set.copyOf(stopped);
    }

    /** Stops every informer and waits (up to a second each) until their watches are closed. */
    @Override
    public void close() {
        closed = true;
        List<Caches> all = new java.util.ArrayList<>(caches.values());
        caches.clear();
        liveness.clear();
        all.forEach(Caches::stop);
        all.forEach(c -> c.awaitStopped(Duration.ofSeconds(1)));
    }

    @Override
    public String toString() {
        return "Fabric8InformerWarmStatusProbe{namespace=" + namespace + ", selector=" + selectorKey + "="
                + selectorValue + ", source=" + source + ", clusters=" + caches.size() + "}";
    }

    /** Configuration; everything but the client provider is optional. */
    public static final class Builder {
        private final KubernetesClientProvider clients;
        private String namespace = Fabric8WarmStatusProbe.DEFAULT_NAMESPACE;
        private String selectorKey = WarmupNames.COMPONENT_LABEL;
        private String selectorValue = WarmupNames.DEFAULT_COMPONENT;
        private WarmupSource source = Fabric8WarmStatusProbe.DEFAULT_SOURCE;
        private Duration syncTimeout = DEFAULT_SYNC_TIMEOUT;
        private Duration maxSilence = DEFAULT_MAX_SILENCE;
        private Clock clock = Clock.systemUTC();
        private AutoWarmObserver observer = AutoWarmObserver.NOOP;

        private Builder(KubernetesClientProvider clients) {
            this.clients = Checks.required(clients, "clients");
        }

        public Builder namespace(String namespace) {
            this.namespace = Selectors.namespace(namespace);
            return this;
        }

        public Builder selector(String key, String value) {
            this.selectorKey = Selectors.labelKey(key);
            this.selectorValue = Selectors.labelValue(value);
            return this;
        }

        public Builder source(WarmupSource source) {
            this.source = Checks.required(source, "source");
            return this;
        }

        /** How long the first call for a cluster waits for its informers to sync (default 10 s). */
        public Builder syncTimeout(Duration timeout) {
            this.syncTimeout = Checks.positive(timeout, "syncTimeout");
            return this;
        }

        /**
         * How long a watch is trusted without a sign of life (an event or a bookmark); past it the cluster's
         * informers are relisted and its statuses are unknown until that relist has synced. Default
         * {@link #DEFAULT_MAX_SILENCE} (3 min). An API server sends bookmarks to a quiet watch (Kubernetes
         * about once a minute), so a healthy quiet watch is not relisted; one that sends none (Fabric8's
         * mock server) is relisted once per maxSilence: one LIST.
         */
        public Builder maxSilence(Duration maxSilence) {
            this.maxSilence = Checks.positive(maxSilence, "maxSilence");
            return this;
        }

        /**
         * Where the age of each cluster's watch goes ({@link AutoWarmObserver#watchAge}, informer {@code
         * warm_status}), each time the probe is asked. Default: nowhere.
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

        public Fabric8InformerWarmStatusProbe build() {
            return new Fabric8InformerWarmStatusProbe(this);
        }
    }
}
