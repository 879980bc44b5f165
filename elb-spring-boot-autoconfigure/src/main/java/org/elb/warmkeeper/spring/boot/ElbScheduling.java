package org.elb.warmkeeper.spring.boot;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;
import org.elb.warmkeeper.core.warm.AutoWarmObserver;
import org.elb.warmkeeper.core.warm.AutoWarmReconciler;
import org.elb.warmkeeper.core.warm.AutoWarmScheduler;
import org.elb.warmkeeper.core.warm.LeaderElection;
import org.elb.warmkeeper.core.warm.SchedulerLiveness;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.SmartLifecycle;

/**
 * The {@link AutoWarmScheduler} of the application, a {@link SmartLifecycle} in phase {@link #PHASE}.
 * Ticking starts when the application is ready (so a tick never runs against a half-started context),
 * and again on a lifecycle {@code start()} after a {@code stop()}. It stops in Boot's shutdown phases:
 * in the phase of the web server's graceful shutdown, before the web server stops and before the store,
 * the lock and the clients it ticks with are destroyed. The stop is graceful and asynchronous: a running
 * tick may finish within {@code elb.autowarm.shutdown-timeout} (default {@value #DEFAULT_SHUTDOWN_SECONDS}
 * s), then it is interrupted; keep it below Boot's {@code spring.lifecycle.timeout-per-shutdown-phase}
 * (default 30 s), which bounds the whole phase.
 */
public final class ElbScheduling implements ApplicationListener<ApplicationReadyEvent>, SmartLifecycle {

    /** Boot's graceful-shutdown phase ({@code DEFAULT_PHASE - 1024}): before the web server stops. */
    public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 1024;

    /** Default of {@code elb.autowarm.shutdown-timeout} in seconds (the runner's drain timeout). */
    public static final int DEFAULT_SHUTDOWN_SECONDS = 10;

    /** Default of {@code elb.autowarm.shutdown-timeout}. */
    public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(DEFAULT_SHUTDOWN_SECONDS);

    private final Supplier<AutoWarmReconciler> reconciler;
    private final LeaderElection leader;
    private final Duration interval;
    private final Duration shutdownTimeout;
    private final AutoWarmObserver observer;
    private final Clock clock;
    private final ElbSchedulerCustomizer customizer;
    private boolean ready;
    private @Nullable AutoWarmScheduler scheduler;
    private @Nullable SchedulerLiveness liveness;

    ElbScheduling(
            Supplier<AutoWarmReconciler> reconciler,
            LeaderElection leader,
            Duration interval,
            AutoWarmObserver observer) {
        this(reconciler, leader, interval, DEFAULT_SHUTDOWN_TIMEOUT, observer, Clock.systemUTC(), b -> {});
    }

    ElbScheduling(
            Supplier<AutoWarmReconciler> reconciler,
            LeaderElection leader,
            Duration interval,
            Duration shutdownTimeout,
            AutoWarmObserver observer,
            Clock clock,
            ElbSchedulerCustomizer customizer) {
        this.reconciler = reconciler;
        this.customizer = customizer;
        this.leader = leader;
        this.interval = interval;
        this.shutdownTimeout = shutdownTimeout;
        this.observer = observer;
        this.clock = clock;
    }

    @Override
    public synchronized void onApplicationEvent(ApplicationReadyEvent event) {
        ready = true;
        startTicking();
    }

    private void startTicking() {
        if (scheduler == null) {
            AutoWarmScheduler.Builder b = AutoWarmScheduler.builder(reconciler.get())
                    .interval(interval)
                    .shutdownTimeout(shutdownTimeout)
                    .leaderElection(leader)
                    .observer(observer);
            customizer.customize(b);
            AutoWarmScheduler s = b.build().start();
            scheduler = s;
            liveness = SchedulerLiveness.of(s, interval, clock);
        }
    }

    /** The running scheduler, from application-ready until stop. */
    public synchronized Optional<AutoWarmScheduler> scheduler() {
        return Optional.ofNullable(scheduler);
    }

    /** The stall rule's reading of the running scheduler ({@link SchedulerLiveness}, the runner's). */
    public synchronized Optional<SchedulerLiveness.Reading> liveness() {
        return Optional.ofNullable(liveness).map(SchedulerLiveness::read);
    }

    public Duration interval() {
        return interval;
    }

    /** How long a stop waits for a running tick ({@code elb.autowarm.shutdown-timeout}). */
    public Duration shutdownTimeout() {
        return shutdownTimeout;
    }

    /** Ticks again after a {@link #stop()} once the application has been ready; before that, nothing. */
    @Override
    public synchronized void start() {
        if (ready) {
            startTicking();
        }
    }

    @Override
    public void stop() {
        AutoWarmScheduler s = detach();
        if (s != null) {
            s.close();
        }
    }

    /**
     * Stops scheduling at once and lets the running tick end (at most {@link #shutdownTimeout()}) on a
     * thread of its own, so the other beans of the phase stop meanwhile.
     */
    @Override
    public void stop(Runnable callback) {
        AutoWarmScheduler s = detach();
        if (s == null) {
            callback.run();
            return;
        }
        Thread t = new Thread(
                () -> {
                    try {
                        s.close();
                    } finally {
                        callback.run();
                    }
                },
                "elb-autowarm-stop");
        t.setDaemon(true);
        t.start();
    }

    private synchronized @Nullable AutoWarmScheduler detach() {
        AutoWarmScheduler s = scheduler;
        scheduler = null;
        liveness = null;
        return s;
    }

    @Override
    public synchronized boolean isRunning() {
        return scheduler != null;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }
}
