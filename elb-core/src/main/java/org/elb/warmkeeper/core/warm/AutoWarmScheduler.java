package org.elb.warmkeeper.core.warm;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.elb.warmkeeper.core.cluster.Checks;
import org.elb.warmkeeper.core.cluster.ClusterRef;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@link AutoWarmReconciler#tick()} with a fixed delay between the end of one tick and the start of
 * the next, on one daemon thread: ticks never overlap, a throwing tick never stops the schedule, and
 * {@link #close()} waits for a running tick to finish. With a {@link LeaderElection}, only the leader
 * ticks; a follower skips the tick and asks again next time.
 *
 * <p>A tick is bounded by the reconciler's tick deadline: a tick that the deadline cut short is
 * counted ({@link #abandonedTicks()}), logged, kept as {@link #lastReport()}, and the schedule goes on;
 * a tick whose preferences read ran out of time throws {@link DeadlineExceededException} and counts as
 * failed. Either way the next tick runs as scheduled.
 *
 * <p><b>Reacting to changes.</b> When the reconciler's warm-status or readiness probe watches its backend
 * ({@link WatchingWarmStatusProbe}, {@link WatchingReadinessProbe}, e.g. the informer-backed probes),
 * the scheduler subscribes on {@link #start()} and runs a cluster that the probe reports changed
 * ({@link AutoWarmReconciler#runClusters}), not the whole fleet, and not before the next tick: a change
 * is due {@link Builder#changeQuiet} (default 500 ms) after the last change of its burst, at most
 * {@link Builder#changeMaxDelay} (default 5 s) after the first; clusters due together run together.
 * These runs are on the scheduler's one thread too, so a cluster is never in two runs at once and a run
 * never overlaps a tick; a change seen while its cluster runs makes one more run after it. Only the
 * leader runs them (a follower drops them, counted in {@link #changesIgnoredAsFollower()}); the lock,
 * the backoff and the deadlines are the tick's. The periodic tick stays the resync.
 * {@link Builder#reactToChanges(boolean) reactToChanges(false)} turns this off.
 *
 * <p>"Never stops" covers every exception and {@link AssertionError}. A {@link VirtualMachineError}
 * (out of memory, stack overflow) or another {@link Error} is counted, logged and rethrown, which ends
 * the schedule: the JVM is then in no state to be trusted with more ticks.
 */
public final class AutoWarmScheduler implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AutoWarmScheduler.class);

    /** Default interval: one minute, as the seed's beat schedule. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofMinutes(1);
    /** Default time {@link #close()} waits for a running tick. */
    public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(30);
    /** Default quiet time after a cluster's last reported change before its run. */
    public static final Duration DEFAULT_CHANGE_QUIET = Duration.ofMillis(500);
    /** Default longest wait from a cluster's first reported change to its run, however busy its changes. */
    public static final Duration DEFAULT_CHANGE_MAX_DELAY = Duration.ofSeconds(5);

    private final AutoWarmReconciler reconciler;
    private final Duration interval;
    private final Duration initialDelay;
    private final Duration shutdownTimeout;
    private final LeaderElection leaderElection;
    private final AutoWarmObserver observer;
    private final ScheduledExecutorService executor;
    private final AtomicReference<@Nullable TickReport> lastReport = new AtomicReference<>();
    private final AtomicLong ticks = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong skippedAsFollower = new AtomicLong();
    private final AtomicLong abandoned = new AtomicLong();
    private @Nullable ScheduledFuture<?> future;

    private final boolean reactToChanges;
    /** Guards the debouncer, the pending run and the subscription. */
    private final Object changes = new Object();

    private final ChangeDebouncer debouncer;
    private @Nullable ScheduledFuture<?> changeRun;
    private long changeRunAt;
    private @Nullable ChangeSubscription subscription;
    private boolean stopped;
    private final AtomicLong changesSeen = new AtomicLong();
    private final AtomicLong changeRuns = new AtomicLong();
    private final AtomicLong failedChangeRuns = new AtomicLong();
    private final AtomicLong ignoredAsFollower = new AtomicLong();

    private AutoWarmScheduler(Builder b) {
        this.reconciler = b.reconciler;
        this.interval = b.interval;
        this.initialDelay = b.initialDelay;
        this.shutdownTimeout = b.shutdownTimeout;
        this.leaderElection = b.leaderElection;
        this.observer = b.observer;
        this.reactToChanges = b.reactToChanges;
        this.debouncer = new ChangeDebouncer(b.changeQuiet.toNanos(), b.changeMaxDelay.toNanos());
        String name = b.threadName;
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
    }

    public static Builder builder(AutoWarmReconciler reconciler) {
        return new Builder(reconciler);
    }

    /** Starts ticking. Calling it twice is an error. */
    public synchronized AutoWarmScheduler start() {
        if (future != null) {
            throw new IllegalStateException("scheduler already started");
        }
        future = executor.scheduleWithFixedDelay(
                this::runOnce, initialDelay.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        log.info("auto-warm scheduler started: every {}", interval);
        if (reactToChanges && reconciler.watchesChanges()) {
            ChangeSubscription s = reconciler.subscribeToChanges(this::changed);
            synchronized (changes) {
                subscription = s;
            }
            log.info("auto-warm scheduler reacts to the changes its probes watch (runs a changed cluster)");
        }
        return this;
    }

    /** A watching probe saw {@code cluster} change (its event thread): remembered, run when due. */
    private void changed(ClusterRef cluster) {
        changesSeen.incrementAndGet();
        long now = System.nanoTime();
        synchronized (changes) {
            if (stopped) {
                return;
            }
            debouncer.offer(cluster, now);
            scheduleChangeRun(now);
        }
    }

    /** Schedules the run of the next due clusters unless one is scheduled no later. Holds {@link #changes}. */
    private void scheduleChangeRun(long now) {
        OptionalLong due = debouncer.nextDue();
        if (stopped || due.isEmpty()) {
            return;
        }
        ScheduledFuture<?> pending = changeRun;
        if (pending != null && !pending.isDone() && changeRunAt - due.getAsLong() <= 0) {
            return; // it runs first and schedules the rest
        }
        if (pending != null) {
            pending.cancel(false);
        }
        try {
            changeRun = executor.schedule(this::runChanged, Math.max(0, due.getAsLong() - now), TimeUnit.NANOSECONDS);
            changeRunAt = due.getAsLong();
        } catch (RejectedExecutionException e) {
            changeRun = null; // closing
        }
    }

    /** Runs the clusters whose changes are due (on the scheduler's thread), then schedules the next. */
    void runChanged() {
        Set<ClusterRef> due;
        synchronized (changes) {
            changeRun = null;
            due = debouncer.takeDue(System.nanoTime());
        }
        try {
            if (due.isEmpty()) {
                return;
            }
            if (!leaderElection.isLeader()) {
                ignoredAsFollower.addAndGet(due.size());
                log.debug("not the leader: the run of {} changed cluster(s) skipped", due.size());
                return;
            }
            reconciler.runClusters(due);
            changeRuns.incrementAndGet();
        } catch (Throwable t) { // never let a run end the schedule
            failedChangeRuns.incrementAndGet();
            log.warn("auto-warm run of {} changed cluster(s) failed; the next tick covers them: {}", due.size(), t);
            if (t instanceof Error e && !(t instanceof AssertionError)) {
                throw e;
            }
        } finally {
            synchronized (changes) {
                scheduleChangeRun(System.nanoTime());
            }
        }
    }

    void runOnce() {
        try {
            if (!leaderElection.isLeader()) {
                skippedAsFollower.incrementAndGet();
                log.debug("not the leader: tick skipped");
                return;
            }
            TickReport report = reconciler.tick();
            lastReport.set(report);
            ticks.incrementAndGet();
            if (report.deadlineExceeded()) {
                abandoned.incrementAndGet();
                log.warn(
                        "auto-warm tick hit its deadline after {} ms; unfinished clusters are error; the next tick "
                                + "runs as scheduled",
                        report.duration().toMillis());
            }
        } catch (Throwable t) { // never let a tick end the schedule
            failures.incrementAndGet();
            try {
                observer.tickFailed(t);
            } catch (RuntimeException ignored) {
                // an observer must not end the schedule either
            }
            log.warn("auto-warm tick failed; the next tick runs as scheduled: {}", t.toString());
            if (t instanceof Error e && !(t instanceof AssertionError)) {
                throw e;
            }
        }
    }

    /** The last completed tick's report. */
    public Optional<TickReport> lastReport() {
        return Optional.ofNullable(lastReport.get());
    }

    /** Ticks that completed. */
    public long completedTicks() {
        return ticks.get();
    }

    /** Ticks that threw. */
    public long failedTicks() {
        return failures.get();
    }

    /** Completed ticks that the tick deadline cut short (counted in {@link #completedTicks()} too). */
    public long abandonedTicks() {
        return abandoned.get();
    }

    /** Ticks skipped because this replica was not the leader. */
    public long followerSkips() {
        return skippedAsFollower.get();
    }

    /** Changes the watching probes reported (each one, before coalescing). */
    public long changesSeen() {
        return changesSeen.get();
    }

    /** Runs of changed clusters that completed (each may hold several clusters due together). */
    public long changeRuns() {
        return changeRuns.get();
    }

    /** Runs of changed clusters that threw (the next tick covers those clusters). */
    public long failedChangeRuns() {
        return failedChangeRuns.get();
    }

    /** Changed clusters not run because this replica was not the leader when they were due. */
    public long changesIgnoredAsFollower() {
        return ignoredAsFollower.get();
    }

    /** Stops scheduling, waits up to the shutdown timeout for a running tick, then interrupts it. */
    @Override
    public void close() {
        ChangeSubscription s;
        synchronized (changes) {
            stopped = true;
            s = subscription;
            subscription = null;
            if (changeRun != null) {
                changeRun.cancel(false);
                changeRun = null;
            }
        }
        if (s != null) {
            s.close();
        }
        executor.shutdown();
        try {
            if (!executor.awaitTermination(shutdownTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
        log.info("auto-warm scheduler stopped after {} tick(s)", ticks.get());
    }

    /** Builder of {@link AutoWarmScheduler}. */
    public static final class Builder {
        private final AutoWarmReconciler reconciler;
        private Duration interval = DEFAULT_INTERVAL;
        private Duration initialDelay = Duration.ZERO;
        private Duration shutdownTimeout = DEFAULT_SHUTDOWN_TIMEOUT;
        private LeaderElection leaderElection = LeaderElection.ALWAYS;
        private AutoWarmObserver observer = AutoWarmObserver.NOOP;
        private String threadName = "elb-autowarm";
        private boolean reactToChanges = true;
        private Duration changeQuiet = DEFAULT_CHANGE_QUIET;
        private Duration changeMaxDelay = DEFAULT_CHANGE_MAX_DELAY;

        private Builder(AutoWarmReconciler reconciler) {
            this.reconciler = Checks.required(reconciler, "reconciler");
        }

        /** Delay between the end of a tick and the start of the next. Default 1 min. */
        public Builder interval(Duration interval) {
            this.interval = Checks.positive(interval, "interval");
            return this;
        }

        /** Delay before the first tick. Default zero. */
        public Builder initialDelay(Duration initialDelay) {
            Checks.required(initialDelay, "initialDelay");
            if (initialDelay.isNegative()) {
                throw new IllegalArgumentException("'initialDelay' must not be negative, but was " + initialDelay);
            }
            this.initialDelay = initialDelay;
            return this;
        }

        public Builder shutdownTimeout(Duration shutdownTimeout) {
            this.shutdownTimeout = Checks.positive(shutdownTimeout, "shutdownTimeout");
            return this;
        }

        /** Tick only while this replica leads. Default {@link LeaderElection#ALWAYS}. */
        public Builder leaderElection(LeaderElection leaderElection) {
            this.leaderElection = Checks.required(leaderElection, "leaderElection");
            return this;
        }

        /** Told of ticks that throw. */
        public Builder observer(AutoWarmObserver observer) {
            this.observer = Checks.required(observer, "observer");
            return this;
        }

        public Builder threadName(String threadName) {
            this.threadName = Checks.required(threadName, "threadName");
            return this;
        }

        /**
         * Whether a cluster that a watching probe reports changed is run before the next tick. Default
         * true; without a watching probe there is nothing to react to.
         */
        public Builder reactToChanges(boolean reactToChanges) {
            this.reactToChanges = reactToChanges;
            return this;
        }

        /**
         * Quiet time after a cluster's last reported change before it runs: a burst of changes makes one
         * run. Default {@link #DEFAULT_CHANGE_QUIET} (500 ms); zero runs at once. At most {@link #changeMaxDelay}.
         */
        public Builder changeQuiet(Duration changeQuiet) {
            Checks.required(changeQuiet, "changeQuiet");
            if (changeQuiet.isNegative()) {
                throw new IllegalArgumentException("'changeQuiet' must not be negative, but was " + changeQuiet);
            }
            this.changeQuiet = changeQuiet;
            return this;
        }

        /**
         * Longest wait from a cluster's first reported change to its run, however long its changes go on.
         * Default {@link #DEFAULT_CHANGE_MAX_DELAY} (5 s); at least {@link #changeQuiet}.
         */
        public Builder changeMaxDelay(Duration changeMaxDelay) {
            this.changeMaxDelay = Checks.positive(changeMaxDelay, "changeMaxDelay");
            return this;
        }

        public AutoWarmScheduler build() {
            if (changeMaxDelay.compareTo(changeQuiet) < 0) {
                throw new IllegalArgumentException("'changeMaxDelay' must not be shorter than 'changeQuiet', but was "
                        + changeMaxDelay + " < " + changeQuiet);
            }
            return new AutoWarmScheduler(this);
        }
    }
}
