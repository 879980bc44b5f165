package org.elb.warmkeeper.core.warm;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.elb.warmkeeper.core.cluster.Checks;
import org.elb.warmkeeper.core.cluster.ClusterRef;
import org.elb.warmkeeper.core.cluster.DatabaseName;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * One auto-warm tick. For every cluster with auto-warm on: probe readiness, remember the
 * ready edge without ever short-circuiting on it, plan every configured database, lock the candidates
 * (one call for the whole tick), fail open when the lock store is unavailable, enqueue, and release the
 * lock of a failed enqueue.
 *
 * <p>Round trips per tick: one preferences read, one readiness probe per cluster, one inventory read
 * for all ready clusters, one status probe per ready cluster, one lock call for all candidates, one
 * dispatch per candidate that was not held. A failure in one cluster's probe makes only that cluster
 * {@link ClusterStatus#ERROR}.
 *
 * <p>Thread-safe: ticks may run concurrently (the scheduler never overlaps them; an HTTP "reconcile now"
 * may), and the lock keeps them from enqueuing the same database twice.
 */
public final class AutoWarmReconciler {

    private static final Logger log = LoggerFactory.getLogger(AutoWarmReconciler.class);

    /** MDC keys set while a warmup is enqueued (the dispatcher's and this class's log lines carry them). */
    public static final String MDC_CLUSTER = "elb.cluster";
    public static final String MDC_DB = "elb.db";

    /** Default lock TTL: the seed's 15 minutes. */
    public static final Duration DEFAULT_LOCK_TTL = InflightLock.DEFAULT_TTL;

    private final AutoWarmPreferences preferences;
    private final ClusterReadinessProbe readiness;
    private final DatabaseInventory inventory;
    private final WarmStatusProbe statusProbe;
    private final InflightLock lock;
    private final WarmupDispatcher dispatcher;
    private final Clock clock;
    private final Duration lockTtl;
    private final Supplier<LockToken> tokens;
    private final AutoWarmObserver observer;
    private final OperatorLoop loop;

    private AutoWarmReconciler(Builder b) {
        this.preferences = b.preferences;
        this.readiness = b.readiness;
        this.inventory = b.inventory;
        this.statusProbe = b.statusProbe;
        this.lock = b.lock;
        this.dispatcher = b.dispatcher;
        this.clock = b.clock;
        this.lockTtl = b.lockTtl;
        this.tokens = b.tokens;
        this.observer = b.observer;
        this.loop = new OperatorLoop(b.history, new WarmLoopRules(b.backoff, b.lockTtl, b.stuckLoadingAfter), b.lock,
                b.clock, b.observer);
    }

    /**
     * Starts a builder with every required port. Optional: {@link Builder#readiness},
     * {@link Builder#clock}, {@link Builder#lockTtl}, {@link Builder#tokens}, {@link Builder#observer}.
     */
    public static Builder builder(
            AutoWarmPreferences preferences,
            DatabaseInventory inventory,
            WarmStatusProbe statusProbe,
            InflightLock lock,
            WarmupDispatcher dispatcher) {
        return new Builder(preferences, inventory, statusProbe, lock, dispatcher);
    }

    /** A tick that honours the lock. */
    public TickReport tick() {
        return tick(false);
    }

    /**
     * Runs one tick. {@code force} bypasses the in-flight lock only (a key held by another owner is enqueued
     * anyway; a free key is still taken, so the next regular tick does not enqueue the same warmup again
     * while it is invisible to Kubernetes); READY and LOADING databases are
     * never enqueued.
     *
     * @throws org.elb.warmkeeper.core.ElbException when the preferences cannot be read (nothing to report)
     */
    public TickReport tick(boolean force) {
        Instant started = clock.instant();
        long startNanos = System.nanoTime();
        List<AutoWarmPreference> prefs = preferences.enabledClusters();

        Map<ClusterRef, ClusterOutcome> outcomes = new LinkedHashMap<>();
        List<AutoWarmPreference> ready = new ArrayList<>();
        for (AutoWarmPreference pref : prefs) {
            ClusterOutcome notReady = probeReadiness(pref);
            if (notReady != null) {
                outcomes.put(pref.cluster(), notReady);
            } else {
                outcomes.put(pref.cluster(), null);
                ready.add(pref);
            }
        }

        Map<ClusterRef, Set<DatabaseName>> downloaded = Map.of();
        if (!ready.isEmpty()) {
            try {
                downloaded = inventory.downloaded(ready.stream().map(AutoWarmPreference::cluster).toList());
            } catch (RuntimeException e) {
                for (AutoWarmPreference pref : ready) {
                    outcomes.put(pref.cluster(), failed(pref, "inventory", e));
                }
                ready = List.of();
            }
        }

        Map<ClusterRef, WarmPlan> plans = new LinkedHashMap<>();
        Map<ClusterRef, WarmLoopView> views = new HashMap<>();
        Set<InflightKey> toLock = new LinkedHashSet<>();
        for (AutoWarmPreference pref : ready) {
            ClusterRef cluster = pref.cluster();
            try {
                Map<DatabaseName, WarmStatus> statuses =
                        statusProbe.statuses(cluster, new LinkedHashSet<>(pref.databases()));
                WarmLoopView view = loop.observe(pref, statuses, force);
                views.put(cluster, view);
                WarmPlan plan = WarmPlanner.plan(pref.databases(), downloaded.getOrDefault(cluster, Set.of()), statuses,
                        pref.pausedOrAll(), view.backoff());
                plans.put(cluster, plan);
                plan.candidates().forEach(db -> toLock.add(new InflightKey(cluster, db)));
            } catch (RuntimeException e) {
                outcomes.put(cluster, failed(pref, "warm_status", e));
            }
        }

        LockToken token = tokens.get();
        Map<InflightKey, Acquisition> acquired = acquire(toLock, token);

        for (AutoWarmPreference pref : ready) {
            WarmPlan plan = plans.get(pref.cluster());
            if (plan != null) {
                outcomes.put(pref.cluster(), enqueue(pref, plan, acquired, token, force)
                        .withStuckLoading(views.getOrDefault(pref.cluster(), WarmLoopView.EMPTY).stuckLoading()));
            }
        }

        List<ClusterOutcome> list = new ArrayList<>(outcomes.values());
        Duration took = Duration.ofNanos(System.nanoTime() - startNanos);
        TickReport report = new TickReport(started, took, force, list);
        observer.tickCompleted(report, took);
        if (log.isInfoEnabled()) {
            log.info("auto-warm tick: {} cluster(s), {} enqueued, {} ms{}", list.size(), report.enqueuedCount(),
                    took.toMillis(), force ? " (force)" : "");
        }
        return report;
    }

    private @Nullable ClusterOutcome probeReadiness(AutoWarmPreference pref) {
        ClusterRef cluster = pref.cluster();
        Readiness r;
        try {
            r = readiness.probe(cluster);
        } catch (RuntimeException e) {
            return failed(pref, "readiness", e);
        }
        if (r.isReady() != pref.lastReady()) {
            try {
                preferences.recordReadiness(cluster, r.isReady());
                if (r.isReady()) {
                    log.debug("cluster {} became ready", cluster.display());
                }
            } catch (RuntimeException e) {
                // Remembering the edge is informational: the plan never depends on it.
                observer.probeFailed(cluster, "record_readiness", e);
                log.warn("could not record readiness of cluster {}: {}", cluster.display(), e.toString());
            }
        }
        return r.isReady() ? null : ClusterOutcome.notReady(cluster, pref.databases(), r.reason());
    }

    private Map<InflightKey, Acquisition> acquire(Set<InflightKey> keys, LockToken token) {
        if (keys.isEmpty()) {
            return Map.of();
        }
        try {
            return lock.tryAcquireAll(keys, token, lockTtl);
        } catch (RuntimeException e) {
            // The port promises not to throw for an unreachable store; an adapter bug still fails open.
            log.warn("in-flight lock threw; failing open for {} key(s): {}", keys.size(), e.toString());
            Map<InflightKey, Acquisition> open = new HashMap<>();
            keys.forEach(k -> open.put(k, Acquisition.UNAVAILABLE));
            return open;
        }
    }

    private ClusterOutcome enqueue(
            AutoWarmPreference pref, WarmPlan plan, Map<InflightKey, Acquisition> acquired, LockToken token,
            boolean force) {
        ClusterRef cluster = pref.cluster();
        List<DatabaseName> enqueued = new ArrayList<>();
        List<Skip> skipped = new ArrayList<>(plan.skipped());
        int failOpen = 0;
        for (DatabaseName db : plan.candidates()) {
            InflightKey key = new InflightKey(cluster, db);
            Acquisition acq = acquired.getOrDefault(key, Acquisition.UNAVAILABLE);
            if (acq == Acquisition.HELD && !force) {
                skipped.add(new Skip(db, SkipReason.INFLIGHT));
                continue;
            }
            MDC.put(MDC_CLUSTER, cluster.display());
            MDC.put(MDC_DB, db.value());
            try {
                DispatchOutcome outcome = dispatcher.enqueue(new WarmupRequest(cluster, db, force));
                if (outcome == DispatchOutcome.ALREADY_RUNNING) {
                    skipped.add(new Skip(db, SkipReason.INFLIGHT));
                    continue;
                }
                enqueued.add(db);
                loop.dispatched(cluster, db, force, acq == Acquisition.ACQUIRED ? token : null, null);
                if (acq == Acquisition.UNAVAILABLE && !force) {
                    failOpen++;
                    observer.lockFailedOpen(cluster, db);
                }
                log.debug("enqueued warmup of {} on {}", db, cluster.display());
            } catch (RuntimeException e) {
                log.warn("enqueue of {} on {} failed: {}", db, cluster.display(), e.toString());
                loop.dispatched(cluster, db, force, null, e);
                if (acq == Acquisition.ACQUIRED) {
                    release(cluster, key, token);
                }
                skipped.add(new Skip(db, SkipReason.ENQUEUE_FAILED));
            } finally {
                MDC.remove(MDC_CLUSTER);
                MDC.remove(MDC_DB);
            }
        }
        enqueued.forEach(db -> observer.enqueued(cluster, db));
        skipped.forEach(s -> observer.skipped(cluster, s.db(), s.reason()));
        return ClusterOutcome.evaluated(cluster, pref.databases(), plan.warm().size(), enqueued, skipped, failOpen);
    }

    private void release(ClusterRef cluster, InflightKey key, LockToken token) {
        try {
            ReleaseResult result = lock.release(key, token);
            if (result != ReleaseResult.RELEASED) {
                log.debug("release of {} answered {}", key.database(), result);
            }
        } catch (RuntimeException e) {
            observer.probeFailed(cluster, "release", e);
            log.warn("release of {} on {} failed; the TTL will free it: {}", key.database(), cluster.display(),
                    e.toString());
        }
    }

    private ClusterOutcome failed(AutoWarmPreference pref, String stage, RuntimeException e) {
        observer.probeFailed(pref.cluster(), stage, e);
        log.warn("cluster {}: {} failed: {}", pref.cluster().display(), stage, e.toString());
        return ClusterOutcome.error(pref.cluster(), pref.databases(), stage + ": " + e.getMessage());
    }

    /** Builder of {@link AutoWarmReconciler}; every setter validates eagerly. */
    public static final class Builder {
        private final AutoWarmPreferences preferences;
        private final DatabaseInventory inventory;
        private final WarmStatusProbe statusProbe;
        private final InflightLock lock;
        private final WarmupDispatcher dispatcher;
        private ClusterReadinessProbe readiness = ClusterReadinessProbe.ALWAYS_READY;
        private Clock clock = Clock.systemUTC();
        private Duration lockTtl = DEFAULT_LOCK_TTL;
        private Supplier<LockToken> tokens = LockToken::random;
        private AutoWarmObserver observer = AutoWarmObserver.NOOP;
        private WarmAttemptHistory history = WarmAttemptHistory.NONE;
        private WarmBackoff backoff = WarmBackoff.ofDefaults();
        private Duration stuckLoadingAfter = WarmLoopRules.DEFAULT_STUCK_LOADING_AFTER;

        private Builder(AutoWarmPreferences preferences, DatabaseInventory inventory, WarmStatusProbe statusProbe,
                InflightLock lock, WarmupDispatcher dispatcher) {
            this.preferences = Checks.required(preferences, "preferences");
            this.inventory = Checks.required(inventory, "inventory");
            this.statusProbe = Checks.required(statusProbe, "statusProbe");
            this.lock = Checks.required(lock, "lock");
            this.dispatcher = Checks.required(dispatcher, "dispatcher");
        }

        /** Default: always ready. Compose several with {@link ClusterReadinessProbe#allOf}. */
        public Builder readiness(ClusterReadinessProbe readiness) {
            this.readiness = Checks.required(readiness, "readiness");
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Checks.required(clock, "clock");
            return this;
        }

        /** Default {@link #DEFAULT_LOCK_TTL} (15 min). */
        public Builder lockTtl(Duration lockTtl) {
            this.lockTtl = Checks.positive(lockTtl, "lockTtl");
            return this;
        }

        /** Where each tick's owner token comes from. Default: a random UUID per tick. */
        public Builder tokens(Supplier<LockToken> tokens) {
            this.tokens = Checks.required(tokens, "tokens");
            return this;
        }

        public Builder observer(AutoWarmObserver observer) {
            this.observer = Checks.required(observer, "observer");
            return this;
        }

        /**
         * Where dispatches and observed outcomes are kept. Default {@link WarmAttemptHistory#NONE}: no
         * backoff, no early release, no stuck-loading warning.
         */
        public Builder history(WarmAttemptHistory history) {
            this.history = Checks.required(history, "history");
            return this;
        }

        /** Default {@link WarmBackoff#ofDefaults()} (base 15 min, cap 6 h); needs a {@link #history}. */
        public Builder backoff(WarmBackoff backoff) {
            this.backoff = Checks.required(backoff, "backoff");
            return this;
        }

        /** Default {@link WarmLoopRules#DEFAULT_STUCK_LOADING_AFTER} (2 h); needs a {@link #history}. */
        public Builder stuckLoadingAfter(Duration stuckLoadingAfter) {
            this.stuckLoadingAfter = Checks.positive(stuckLoadingAfter, "stuckLoadingAfter");
            return this;
        }

        public AutoWarmReconciler build() {
            return new AutoWarmReconciler(this);
        }
    }
}
