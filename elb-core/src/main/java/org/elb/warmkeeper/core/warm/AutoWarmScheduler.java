package org.elb.warmkeeper.core.warm;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.elb.warmkeeper.core.cluster.Checks;
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

    private AutoWarmScheduler(Builder b) {
        this.reconciler = b.reconciler;
        this.interval = b.interval;
        this.initialDelay = b.initialDelay;
        this.shutdownTimeout = b.shutdownTimeout;
        this.leaderElection = b.leaderElection;
        this.observer = b.observer;
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
        return this;
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

    /** Stops scheduling, waits up to the shutdown timeout for a running tick, then interrupts it. */
    @Override
    public void close() {
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

        public AutoWarmScheduler build() {
            return new AutoWarmScheduler(this);
        }
    }
}
