package org.elb.warmkeeper.spring.boot;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
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
import org.elb.warmkeeper.inmemory.InMemoryInflightLock;
import org.springframework.beans.factory.ObjectProvider;

/**
 * What the health endpoint shows, independent of the Boot major: the store (one bounded read), the
 * lock (Redis, or the in-memory single-replica lock declared), leader or follower, and the scheduler
 * (time since the last tick ended against the interval, failed ticks). Down when the store does not
 * answer within {@link #STORE_TIMEOUT} or the last tick ended more than three intervals plus
 * {@link #STALL_GRACE} ago.
 */
public final class ElbHealth {

    /** Beyond three intervals, how much longer the last tick may have ended before health says down. */
    public static final Duration STALL_GRACE = Duration.ofSeconds(10);

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
        Optional<AutoWarmScheduler> scheduler = scheduling.stream().findFirst().flatMap(ElbScheduling::scheduler);
        if (scheduler.isEmpty()) {
            details.put("scheduler", "not ticking (elb.autowarm.enabled=false, or the application is not ready)");
        } else {
            AutoWarmScheduler s = scheduler.get();
            Duration interval = scheduling.getObject().interval();
            details.put("failedTicks", s.failedTicks());
            details.put("completedTicks", s.completedTicks());
            // Age since the last tick ended: a tick that is slow (a cold start, a stalled cluster up to
            // its deadline) is not a stalled schedule.
            Optional<Instant> last = s.lastReport().map(r -> r.startedAt().plus(r.duration()));
            if (last.isPresent()) {
                Duration age = Duration.between(last.get(), clock.instant());
                details.put("lastTickAge", age.toString());
                Duration limit = interval.multipliedBy(3).plus(STALL_GRACE);
                if (leader.isLeader() && age.compareTo(limit) > 0) {
                    up = false;
                    details.put("scheduler", "down: last tick ended " + age + " ago, interval " + interval);
                } else {
                    details.put("scheduler", "ticking every " + interval);
                }
            } else {
                details.put("scheduler", "ticking every " + interval + " (no tick finished yet)");
            }
        }
        return new Reading(up, details);
    }
}
