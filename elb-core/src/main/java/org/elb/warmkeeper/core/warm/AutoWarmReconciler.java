package org.elb.warmkeeper.core.warm;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.elb.warmkeeper.core.ElbException;
import org.elb.warmkeeper.core.cluster.Checks;
import org.elb.warmkeeper.core.cluster.ClusterRef;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One auto-warm tick. For every cluster with auto-warm on: probe readiness, remember the
 * ready edge without ever short-circuiting on it, plan every configured database, lock the candidates
 * (batched), fail open when the lock store is unavailable, enqueue, and release the lock of a failed
 * enqueue.
 *
 * <p><b>Fleet scale.</b> Per-cluster work (readiness, warm status, that cluster's dispatches) runs
 * concurrently, at most {@link Builder#concurrency} clusters at a time (default
 * {@value #DEFAULT_CONCURRENCY}), each under {@link Builder#clusterDeadline} (default 30 s); the whole
 * tick under {@link Builder#tickDeadline} (default 5 min). A cluster past its deadline ends
 * {@link ClusterStatus#ERROR} with its stage and "deadline exceeded"; its late results are discarded,
 * nothing more is dispatched for it, and the locks this tick took for it and did not use are released.
 * The report keeps configuration order whatever the completion order.
 *
 * <p>Round trips per tick: one preferences read; one inventory read for all enabled clusters
 * (concurrent with the readiness probes); one readiness probe and one status probe per cluster (the
 * status probe only for ready clusters); lock calls batched across clusters: never one per database, at
 * most one per cluster with candidates, one for every cluster whose plan is ready within
 * {@link Builder#lockGatherWindow} of the first (default 5 ms) or before any other cluster in flight
 * is still planning, none when nothing is cold; one dispatch per candidate not held, and after a
 * cluster's first failed dispatch none more for that cluster (the rest are skipped
 * {@code enqueue_failed} at once).
 *
 * <p>Thread-safe: ticks may run concurrently (the scheduler never overlaps them; an HTTP "reconcile now"
 * may), and the lock keeps them from enqueuing the same database twice. The observer is called on the
 * thread that runs {@link #tick}, and an observer that throws changes no outcome. {@link #close()} shuts
 * down the executor the reconciler created (never one the embedder supplied).
 */
public final class AutoWarmReconciler implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AutoWarmReconciler.class);

    /** MDC keys set while a cluster is worked on and a warmup is enqueued. */
    public static final String MDC_CLUSTER = "elb.cluster";

    public static final String MDC_DB = "elb.db";

    /** Default lock TTL: the seed's 15 minutes. */
    public static final Duration DEFAULT_LOCK_TTL = InflightLock.DEFAULT_TTL;
    /** Default number of clusters worked on at once. */
    public static final int DEFAULT_CONCURRENCY = 64;
    /** Default deadline of one cluster's work in a tick, from the moment it starts. */
    public static final Duration DEFAULT_CLUSTER_DEADLINE = Duration.ofSeconds(30);
    /** Default deadline of a whole tick, preferences read included. */
    public static final Duration DEFAULT_TICK_DEADLINE = Duration.ofMinutes(5);
    /** Default time a ready plan waits for other clusters' plans to share one lock call. */
    public static final Duration DEFAULT_LOCK_GATHER_WINDOW = Duration.ofMillis(5);

    final AutoWarmPreferences preferences;
    final ClusterReadinessProbe readiness;
    final DatabaseInventory inventory;
    final WarmStatusProbe statusProbe;
    final InflightLock lock;
    final WarmupDispatcher dispatcher;
    final Clock clock;
    final Duration lockTtl;
    final Supplier<LockToken> tokens;
    final AutoWarmObserver observer;
    final int concurrency;
    final Duration clusterDeadline;
    final Duration tickDeadline;
    final Duration lockGatherWindow;
    final Executor executor;
    final OperatorLoop loop;
    private final @Nullable ExecutorService ownExecutor;
    private volatile boolean closed;

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
        this.observer = GuardedObserver.of(b.observer);
        this.concurrency = b.concurrency;
        this.clusterDeadline = b.clusterDeadline;
        this.tickDeadline = b.tickDeadline;
        this.lockGatherWindow = b.lockGatherWindow;
        // Shared by the clusters worked on at once: its state is in the history (thread-safe by contract);
        // what it reports TickRun hands to the guarded observer on the tick's thread.
        this.loop = new OperatorLoop(
                b.history != null ? b.history : WarmAttemptHistory.inProcess(),
                new WarmLoopRules(b.backoff, b.lockTtl, b.stuckLoadingAfter),
                b.lock,
                b.clock);
        if (b.executor != null) {
            this.executor = b.executor;
            this.ownExecutor = null;
        } else {
            ExecutorService own = ownExecutor();
            this.executor = own;
            this.ownExecutor = own;
        }
    }

    /**
     * The reconciler's own pool: daemon threads, created on demand and gone after 30 s idle. It is not
     * capped at the concurrency: the bound is enforced per tick, and a thread stuck in a call that
     * ignores interrupts (its cluster abandoned at the deadline) must not take capacity from later ticks.
     */
    private static ExecutorService ownExecutor() {
        AtomicInteger n = new AtomicInteger();
        return new ThreadPoolExecutor(0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS, new SynchronousQueue<>(), task -> {
            Thread t = new Thread(task, "elb-autowarm-worker-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Starts a builder with every required port. Optional: {@link Builder#readiness},
     * {@link Builder#clock}, {@link Builder#lockTtl}, {@link Builder#tokens}, {@link Builder#observer},
     * {@link Builder#concurrency}, {@link Builder#executor}, {@link Builder#clusterDeadline},
     * {@link Builder#tickDeadline}, {@link Builder#lockGatherWindow}.
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
     * <p>Returns within the tick deadline (plus the time to build the report). When the deadline cut
     * clusters off, they are {@code error} with "tick deadline exceeded" and
     * {@link TickReport#deadlineExceeded()} is true.
     *
     * @throws org.elb.warmkeeper.core.ElbException when the preferences cannot be read (nothing to report),
     *     a {@link DeadlineExceededException} when reading them took the whole tick deadline
     * @throws IllegalStateException after {@link #close()}
     */
    public TickReport tick(boolean force) {
        if (closed) {
            throw new IllegalStateException("reconciler closed");
        }
        Instant started = clock.instant();
        long startNanos = System.nanoTime();
        long deadline = startNanos + tickDeadline.toNanos();
        List<AutoWarmPreference> prefs = readPreferences(deadline);

        TickRun run = new TickRun(this, force, tokens.get(), deadline, prefs);
        List<ClusterOutcome> list = run.run();

        Duration took = Duration.ofNanos(System.nanoTime() - startNanos);
        TickReport report = new TickReport(started, took, force, list, run.tickDeadlineExceeded());
        observer.tickCompleted(report, took);
        if (log.isInfoEnabled()) {
            log.info(
                    "auto-warm tick: {} cluster(s), {} enqueued, {} ms{}{}",
                    list.size(),
                    report.enqueuedCount(),
                    took.toMillis(),
                    force ? " (force)" : "",
                    report.deadlineExceeded() ? " (tick deadline exceeded)" : "");
        }
        return report;
    }

    /**
     * Runs only {@code clusters} (those of them with auto-warm on; others are ignored), as a tick runs
     * every cluster: the same preferences read, lock, backoff, deadlines and observer calls per database,
     * but the report holds these clusters only and goes to {@link AutoWarmObserver#clustersRunCompleted}
     * (never to {@link AutoWarmObserver#tickCompleted}, which stands for the whole fleet). This is what
     * {@link AutoWarmScheduler} runs when a watching probe reports a change.
     *
     * @throws org.elb.warmkeeper.core.ElbException when the preferences cannot be read
     * @throws IllegalStateException after {@link #close()}
     */
    public TickReport runClusters(Set<ClusterRef> clusters) {
        Set<ClusterRef> only = Set.copyOf(Checks.required(clusters, "clusters"));
        if (closed) {
            throw new IllegalStateException("reconciler closed");
        }
        Instant started = clock.instant();
        long startNanos = System.nanoTime();
        long deadline = startNanos + tickDeadline.toNanos();
        List<AutoWarmPreference> prefs = readPreferences(deadline).stream()
                .filter(p -> only.contains(p.cluster()))
                .toList();

        TickRun run = new TickRun(this, false, tokens.get(), deadline, prefs);
        List<ClusterOutcome> list = run.run();

        Duration took = Duration.ofNanos(System.nanoTime() - startNanos);
        TickReport report = new TickReport(started, took, false, list, run.tickDeadlineExceeded());
        observer.clustersRunCompleted(report, took);
        if (report.enqueuedCount() > 0 ? log.isInfoEnabled() : log.isDebugEnabled()) {
            String line = "auto-warm run of {} changed cluster(s): {} enqueued, {} ms";
            if (report.enqueuedCount() > 0) {
                log.info(line, list.size(), report.enqueuedCount(), took.toMillis());
            } else {
                log.debug(line, list.size(), report.enqueuedCount(), took.toMillis());
            }
        }
        return report;
    }

    /**
     * Whether the warm-status probe or the readiness probe watches its backend
     * ({@link WatchingWarmStatusProbe}, {@link WatchingReadinessProbe}), so that changes can be acted on
     * before the next tick.
     */
    public boolean watchesChanges() {
        return statusProbe instanceof WatchingWarmStatusProbe || readiness instanceof WatchingReadinessProbe;
    }

    /**
     * Subscribes {@code listener} to the changes that the watching probes of this reconciler report
     * ({@link ChangeSubscription#NONE} when none watches). Closing the subscription unsubscribes from all.
     */
    public ChangeSubscription subscribeToChanges(ClusterChangeListener listener) {
        Checks.required(listener, "listener");
        List<ChangeSubscription> subscriptions = new java.util.ArrayList<>();
        if (statusProbe instanceof WatchingWarmStatusProbe watching) {
            subscriptions.add(watching.subscribe(listener));
        }
        if (readiness instanceof WatchingReadinessProbe watching) {
            subscriptions.add(watching.subscribe(listener));
        }
        if (subscriptions.isEmpty()) {
            return ChangeSubscription.NONE;
        }
        return () -> subscriptions.forEach(ChangeSubscription::close);
    }

    /** The preferences read, on the executor, bounded by the tick deadline. */
    private List<AutoWarmPreference> readPreferences(long deadlineNanos) {
        FutureTask<List<AutoWarmPreference>> read = new FutureTask<>(preferences::enabledClusters);
        try {
            executor.execute(read);
        } catch (RejectedExecutionException e) {
            throw new ElbException("auto-warm executor rejected the preferences read", e);
        }
        try {
            return read.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            read.cancel(true);
            throw new DeadlineExceededException("preferences", "tick deadline", tickDeadline);
        } catch (InterruptedException e) {
            read.cancel(true);
            Thread.currentThread().interrupt();
            throw new ElbException("interrupted while reading the auto-warm preferences", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new ElbException("preferences read failed", cause);
        }
    }

    /** Shuts down the executor this reconciler created (interrupting its calls); a supplied one is left alone. */
    @Override
    public void close() {
        closed = true;
        if (ownExecutor != null) {
            ownExecutor.shutdownNow();
        }
    }

    /** Whether {@link #close()} was called. */
    public boolean isClosed() {
        return closed;
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
        private int concurrency = DEFAULT_CONCURRENCY;
        private @Nullable Executor executor;
        private Duration clusterDeadline = DEFAULT_CLUSTER_DEADLINE;
        private Duration tickDeadline = DEFAULT_TICK_DEADLINE;
        private Duration lockGatherWindow = DEFAULT_LOCK_GATHER_WINDOW;
        private @Nullable WarmAttemptHistory history;
        private WarmBackoff backoff = WarmBackoff.ofDefaults();
        private Duration stuckLoadingAfter = WarmLoopRules.DEFAULT_STUCK_LOADING_AFTER;

        private Builder(
                AutoWarmPreferences preferences,
                DatabaseInventory inventory,
                WarmStatusProbe statusProbe,
                InflightLock lock,
                WarmupDispatcher dispatcher) {
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

        /** At most this many clusters are worked on at once. Default {@value AutoWarmReconciler#DEFAULT_CONCURRENCY}; 1 is serial. */
        public Builder concurrency(int concurrency) {
            this.concurrency = Checks.positive(concurrency, "concurrency");
            return this;
        }

        /**
         * Where port calls run. Default: a pool of the reconciler's own (daemon threads, shut down by
         * {@link AutoWarmReconciler#close()}). A supplied executor is never shut down by the reconciler;
         * give it at least {@code concurrency} threads, or clusters wait for a thread within their deadline.
         */
        public Builder executor(Executor executor) {
            this.executor = Checks.required(executor, "executor");
            return this;
        }

        /** Deadline of one cluster's work, from its start. Default {@link #DEFAULT_CLUSTER_DEADLINE} (30 s). */
        public Builder clusterDeadline(Duration clusterDeadline) {
            this.clusterDeadline = Checks.positive(clusterDeadline, "clusterDeadline");
            return this;
        }

        /** Deadline of a whole tick. Default {@link #DEFAULT_TICK_DEADLINE} (5 min). */
        public Builder tickDeadline(Duration tickDeadline) {
            this.tickDeadline = Checks.positive(tickDeadline, "tickDeadline");
            return this;
        }

        /**
         * How long a ready plan waits for other clusters still planning, to share one lock call. Default
         * {@link #DEFAULT_LOCK_GATHER_WINDOW} (5 ms); zero sends each batch at once.
         */
        public Builder lockGatherWindow(Duration lockGatherWindow) {
            Checks.required(lockGatherWindow, "lockGatherWindow");
            if (lockGatherWindow.isNegative()) {
                throw new IllegalArgumentException(
                        "'lockGatherWindow' must not be negative, but was " + lockGatherWindow);
            }
            this.lockGatherWindow = lockGatherWindow;
            return this;
        }

        /**
         * Where dispatches and observed outcomes are kept, from which backoff, early lock release and the
         * stuck-loading warning are derived. Default: a history of this reconciler's own, in process and
         * bounded ({@link WarmAttemptHistory#inProcess()}), right for one replica; with several replicas
         * give every one the same store's history (e.g. the JDBI store's) so that they back off together.
         * {@link WarmAttemptHistory#NONE} turns backoff, early release and stuck-loading off.
         */
        public Builder history(WarmAttemptHistory history) {
            this.history = Checks.required(history, "history");
            return this;
        }

        /** Default {@link WarmBackoff#ofDefaults()} (base 15 min, cap 6 h); off with {@link WarmAttemptHistory#NONE}. */
        public Builder backoff(WarmBackoff backoff) {
            this.backoff = Checks.required(backoff, "backoff");
            return this;
        }

        /** Default {@link WarmLoopRules#DEFAULT_STUCK_LOADING_AFTER} (2 h); off with {@link WarmAttemptHistory#NONE}. */
        public Builder stuckLoadingAfter(Duration stuckLoadingAfter) {
            this.stuckLoadingAfter = Checks.positive(stuckLoadingAfter, "stuckLoadingAfter");
            return this;
        }

        public AutoWarmReconciler build() {
            return new AutoWarmReconciler(this);
        }
    }
}
