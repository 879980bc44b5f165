package org.elb.warmkeeper.spring.boot;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.elb.warmkeeper.core.warm.AutoWarmPreferences;
import org.elb.warmkeeper.core.warm.AutoWarmScheduler;
import org.elb.warmkeeper.core.warm.InflightLock;
import org.elb.warmkeeper.core.warm.LeaderElection;
import org.elb.warmkeeper.core.warm.SchedulerLiveness;
import org.elb.warmkeeper.inmemory.InMemoryInflightLock;
import org.springframework.beans.factory.ObjectProvider;

/**
 * What the health endpoint shows, independent of the Boot major: the store (one bounded read), the
 * lock (Redis, or the in-memory single-replica lock declared), leader or follower, and the scheduler
 * (ticks, failed ticks, follower skips). Down when the store does not answer within {@link #STORE_TIMEOUT}
 * or the scheduler is stalled by the runner's rule ({@link SchedulerLiveness}: its count of ticks,
 * failures and follower skips has not moved for two intervals plus {@link #STALL_GRACE}).
 */
public final class ElbHealth {

    /** Beyond two intervals, how long the tick count may stand still before health says down (the runner's). */
    public static final Duration STALL_GRACE = SchedulerLiveness.DEFAULT_GRACE;

    /** The longest the store check waits. */
    public static final Duration STORE_TIMEOUT = Duration.ofSeconds(2);

    /** One reading: up or down, and the details per component (no secret in any of them). */
    public record Reading(boolean up, Map<String, Object> details) {}

    private final InflightLock lock;
    private final LeaderElection leader;
    private final ObjectProvider<ElbScheduling> scheduling;
    private final ObjectProvider<AutoWarmPreferences> preferences;
    private final Clock clock = Clock.systemUTC();

    ElbHealth(
            ElbSettings settings,
            InflightLock lock,
            LeaderElection leader,
            ObjectProvider<ElbScheduling> scheduling,
            ObjectProvider<AutoWarmPreferences> preferences) {
        this.lock = lock;
        this.leader = leader;
        this.scheduling = scheduling;
        this.preferences = preferences;
    }

    public Reading read() {
        Map<String, Object> details = new LinkedHashMap<>();
        boolean up = true;
        try {
            AutoWarmPreferences store = preferences.getIfAvailable();
            if (store == null) {
                details.put("store", "none (no auto-warm preferences in this application)");
            } else {
                int clusters = CompletableFuture.supplyAsync(
                                () -> store.enabledClusters().size())
                        .get(STORE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                details.put("store", "up (" + clusters + " cluster(s) with auto-warm on)");
            }
        } catch (TimeoutException e) {
            up = false;
            details.put("store", "down: no answer within " + STORE_TIMEOUT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            up = false;
            details.put("store", "down: interrupted");
        } catch (Exception e) {
            up = false;
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            details.put("store", "down: " + cause.getClass().getSimpleName());
        }
        details.put(
                "lock",
                lock instanceof InMemoryInflightLock
                        ? "in memory: single replica only"
                        : "shared (" + lock.getClass().getSimpleName() + "), fails open");
        details.put("leader", leader.isLeader() ? "leader" : "follower");
        Optional<ElbScheduling> ticking = scheduling.stream().findFirst();
        Optional<SchedulerLiveness.Reading> liveness = ticking.flatMap(ElbScheduling::liveness);
        if (liveness.isEmpty()) {
            details.put("scheduler", "not ticking (elb.autowarm.enabled=false, or the application is not ready)");
        } else {
            SchedulerLiveness.Reading r = liveness.get();
            details.put("failedTicks", r.failed());
            details.put("completedTicks", r.completed());
            details.put("followerSkips", r.followerSkips());
            ticking.flatMap(ElbScheduling::scheduler)
                    .flatMap(AutoWarmScheduler::lastReport)
                    .map(t -> t.startedAt().plus(t.duration()))
                    .ifPresent(last -> details.put(
                            "lastTickAge",
                            Duration.between(last, clock.instant()).toString()));
            if (r.stalled()) {
                up = false;
                details.put("scheduler", "down: " + r.describe());
            } else {
                details.put("scheduler", "ticking " + r.describe());
            }
        }
        return new Reading(up, details);
    }
}
