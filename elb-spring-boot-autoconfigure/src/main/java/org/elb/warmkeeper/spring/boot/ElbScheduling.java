package org.elb.warmkeeper.spring.boot;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;
import org.elb.warmkeeper.core.warm.AutoWarmObserver;
import org.elb.warmkeeper.core.warm.AutoWarmReconciler;
import org.elb.warmkeeper.core.warm.AutoWarmScheduler;
import org.elb.warmkeeper.core.warm.LeaderElection;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.SmartLifecycle;

/**
 * The {@link AutoWarmScheduler} of the application: started when the application is ready (so a tick
 * never runs against a half-started context), stopped in the first shutdown phase, before the beans
 * it uses are destroyed; {@link #stop()} waits for a running tick.
 */
public final class ElbScheduling implements ApplicationListener<ApplicationReadyEvent>, SmartLifecycle {

    private final Supplier<AutoWarmReconciler> reconciler;
    private final LeaderElection leader;
    private final Duration interval;
    private final AutoWarmObserver observer;
    private @Nullable AutoWarmScheduler scheduler;

    ElbScheduling(
            Supplier<AutoWarmReconciler> reconciler,
            LeaderElection leader,
            Duration interval,
            AutoWarmObserver observer) {
        this.reconciler = reconciler;
        this.leader = leader;
        this.interval = interval;
        this.observer = observer;
    }

    @Override
    public synchronized void onApplicationEvent(ApplicationReadyEvent event) {
        if (scheduler == null) {
            scheduler = AutoWarmScheduler.builder(reconciler.get())
                    .interval(interval)
                    .leaderElection(leader)
                    .observer(observer)
                    .build()
                    .start();
        }
    }

    /** The running scheduler, from application-ready until stop. */
    public synchronized Optional<AutoWarmScheduler> scheduler() {
        return Optional.ofNullable(scheduler);
    }

    public Duration interval() {
        return interval;
    }

    @Override
    public void start() {
        // ticking starts on ApplicationReadyEvent, not with the other lifecycle beans
    }

    @Override
    public synchronized void stop() {
        if (scheduler != null) {
            scheduler.close();
            scheduler = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return scheduler != null;
    }

    /** Stops first: before the store, the lock and the clients it ticks with. */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 100;
    }
}
