package org.elb.warmkeeper.runner;

import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.elb.warmkeeper.core.warm.AutoWarmScheduler;
import org.elb.warmkeeper.core.warm.LeaderElection;
import org.elb.warmkeeper.core.warm.SchedulerLiveness;
import org.elb.warmkeeper.runner.http.Health;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

/**
 * The components of {@code /healthz} and {@code /readyz} for {@code run}: the scheduler (alive: it
 * completed, failed or skipped a tick within two intervals and a grace), the store (reachable), the
 * in-flight lock (reachable, or down with auto-warm failing open: degraded, still ready) and the
 * replica's role (leader or follower, both ready) and the informer caches (synced and watching; one
 * that is not is degraded: its cluster answers {@code status_unknown} or {@code error}, the replica stays
 * ready). The HTTP API bounds each check in time.
 */
final class RunnerHealth {

    /** Time a tick may take on top of the interval before the scheduler counts as stalled. */
    static final Duration TICK_GRACE = SchedulerLiveness.DEFAULT_GRACE;
    /** Below the HTTP API's bound on a component (2 s), so a silent Redis reads as degraded, not down. */
    static final Duration LOCK_CHECK_TIMEOUT = Duration.ofSeconds(1);

    private RunnerHealth() {}

    /** Alive while the scheduler's count of ticks keeps moving ({@link SchedulerLiveness}, as the starter's health). */
    static Health.Check scheduler(AutoWarmScheduler scheduler, Duration interval, java.time.Clock clock) {
        SchedulerLiveness liveness = SchedulerLiveness.of(scheduler, interval, clock);
        return () -> {
            SchedulerLiveness.Reading r = liveness.read();
            return r.stalled() ? Health.down(r.describe()) : Health.up(r.describe());
        };
    }

    static Health.Check store(Wiring wiring) {
        return () -> {
            var store = wiring.store();
            int clusters = store.autoWarmPreferences().enabledClusters().size();
            return Health.up(store.dialect().name().toLowerCase(Locale.ROOT) + " reachable (" + clusters
                    + " cluster(s) with auto-warm)");
        };
    }

    static Health.Check lock(Wiring wiring) {
        return () -> {
            RedissonClient client = wiring.redis();
            if (client == null) {
                return Health.up("in memory: single replica");
            }
            try {
                client.getBucket("elb:runner:check", StringCodec.INSTANCE)
                        .isExistsAsync()
                        .toCompletableFuture()
                        .get(LOCK_CHECK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                return Health.up("redis reachable");
            } catch (TimeoutException e) {
                return Health.degraded("redis did not answer within " + LOCK_CHECK_TIMEOUT + ", auto-warm fails open"
                        + " (enqueues without the in-flight lock)");
            } catch (ExecutionException | RuntimeException e) {
                Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
                return Health.degraded("redis unreachable, auto-warm fails open (enqueues without the in-flight lock): "
                        + Wiring.reason(cause));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Health.degraded("interrupted");
            }
        };
    }

    /** The informer caches of warm status and node readiness: up when every started one watches. */
    static Health.Check informers(Wiring wiring) {
        return () -> wiring.kube().informersHealth();
    }

    static Health.Check role(LeaderElection leader) {
        return () -> {
            if (leader == LeaderElection.ALWAYS) {
                return Health.up("leader (single replica)");
            }
            try {
                return Health.up(leader.isLeader() ? "leader" : "follower");
            } catch (RuntimeException e) {
                return Health.degraded("leader election unknown: " + Wiring.reason(e));
            }
        };
    }
}
