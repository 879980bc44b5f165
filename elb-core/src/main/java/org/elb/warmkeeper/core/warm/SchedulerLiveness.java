package org.elb.warmkeeper.core.warm;

import java.time.Clock;
import java.time.Duration;
import org.elb.warmkeeper.core.cluster.Checks;

/**
 * The one stall rule of a running {@link AutoWarmScheduler}, for every health check that reports it (the
 * runner's {@code /healthz}, the Spring Boot health indicator): the schedule is alive while its count of
 * ticks (completed, failed, or skipped as a follower) moves; it is stalled once the count has not moved
 * for two intervals plus {@link #DEFAULT_GRACE} (the time a slow tick may take on top of its interval).
 * A follower's skips count, so a follower is not reported as stalled; a long tick is not, until it has
 * taken longer than the grace. Reads are cheap (three counters and the clock) and thread-safe.
 */
public final class SchedulerLiveness {

    /** Time a tick may take on top of the interval before the schedule counts as stalled. */
    public static final Duration DEFAULT_GRACE = Duration.ofMinutes(5);

    /**
     * One reading.
     *
     * @param stalled whether the count has not moved for longer than {@code allowed}
     * @param quiet how long the count has not moved (zero when it just did)
     * @param allowed two intervals plus the grace
     */
    public record Reading(
            boolean stalled,
            Duration quiet,
            Duration allowed,
            Duration interval,
            long completed,
            long failed,
            long followerSkips) {

        public Reading {
            Checks.required(quiet, "quiet");
            Checks.required(allowed, "allowed");
            Checks.required(interval, "interval");
        }

        /** E.g. {@code every PT1M: 12 tick(s), 0 failed, 3 skipped as follower}, or the stall first. */
        public String describe() {
            String counts = completed + " tick(s), " + failed + " failed, " + followerSkips + " skipped as follower";
            return stalled
                    ? "no tick for " + quiet + " (every " + interval + "): " + counts
                    : "every " + interval + ": " + counts;
        }
    }

    private final AutoWarmScheduler scheduler;
    private final Duration interval;
    private final Duration allowed;
    private final Clock clock;
    private long seen = -1;
    private long since;

    private SchedulerLiveness(AutoWarmScheduler scheduler, Duration interval, Duration grace, Clock clock) {
        this.scheduler = Checks.required(scheduler, "scheduler");
        this.interval = Checks.positive(interval, "interval");
        this.allowed = interval.multipliedBy(2).plus(Checks.required(grace, "grace"));
        this.clock = Checks.required(clock, "clock");
        this.since = clock.millis();
    }

    /** The rule with {@link #DEFAULT_GRACE}; {@code interval} is the scheduler's. */
    public static SchedulerLiveness of(AutoWarmScheduler scheduler, Duration interval, Clock clock) {
        return new SchedulerLiveness(scheduler, interval, DEFAULT_GRACE, clock);
    }

    /** Reads the counters now; a count that moved since the last reading restarts the quiet time. */
    public synchronized Reading read() {
        long completed = scheduler.completedTicks();
        long failed = scheduler.failedTicks();
        long skips = scheduler.followerSkips();
        long count = completed + failed + skips;
        long now = clock.millis();
        if (count != seen) {
            seen = count;
            since = now;
        }
        Duration quiet = Duration.ofMillis(Math.max(0, now - since));
        return new Reading(quiet.compareTo(allowed) > 0, quiet, allowed, interval, completed, failed, skips);
    }
}
