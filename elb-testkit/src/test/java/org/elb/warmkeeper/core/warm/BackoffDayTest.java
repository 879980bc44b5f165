package org.elb.warmkeeper.core.warm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.elb.warmkeeper.core.warm.WarmWorld.cluster;
import static org.elb.warmkeeper.core.warm.WarmWorld.db;

import java.time.Duration;
import java.util.List;
import org.elb.warmkeeper.core.cluster.ClusterRef;
import org.elb.warmkeeper.core.cluster.DatabaseName;
import org.elb.warmkeeper.inmemory.InMemoryWarmAttemptHistory;
import org.junit.jupiter.api.Test;

/**
 * 24 simulated hours, one tick a minute, on the fakes and a {@code MutableClock}: every warmup of one
 * database fails (LOADING for 5 minutes, then FAILED), another one works. Without backoff the failing one
 * was dispatched every lock TTL (96 times a day).
 */
class BackoffDayTest {

    static final ClusterRef A = cluster("elb-a");
    static final DatabaseName BROKEN = db("core_nt");
    static final DatabaseName FINE = db("swissprot");

    final WarmWorld w = new WarmWorld();
    final InMemoryWarmAttemptHistory history = InMemoryWarmAttemptHistory.create();

    private final long[] startedAt = {-1, -1};
    private int minute;

    /**
     * Runs {@code minutes} ticks, one a minute (or until the broken database reads READY when
     * {@code untilReady}); each dispatched warmup is LOADING for 5 minutes, then FAILED or READY.
     */
    private int[] run(AutoWarmReconciler r, int minutes, boolean brokenFails, boolean untilReady) {
        int[] dispatches = new int[2];
        DatabaseName[] dbs = {BROKEN, FINE};
        for (int end = minute + minutes; minute < end; minute++) {
            for (int i = 0; i < 2; i++) {
                if (startedAt[i] >= 0 && minute - startedAt[i] >= 5) {
                    w.statuses.set(A, dbs[i], i == 0 && brokenFails ? WarmStatus.FAILED : WarmStatus.READY);
                    startedAt[i] = -1;
                }
            }
            if (untilReady && w.statuses.statuses(A, java.util.Set.of(BROKEN)).get(BROKEN) == WarmStatus.READY) {
                break;
            }
            TickReport report = r.tick();
            for (DatabaseName d : report.outcome(A).orElseThrow().enqueued()) {
                int i = d.equals(BROKEN) ? 0 : 1;
                dispatches[i]++;
                startedAt[i] = minute;
                w.statuses.set(A, d, WarmStatus.LOADING);
            }
            w.clock.advance(Duration.ofMinutes(1));
        }
        return dispatches;
    }

    @Test
    void a_database_that_always_fails_is_dispatched_at_most_ten_times_a_day() {
        w.preferences.enable(A, List.of(BROKEN, FINE));
        w.downloaded(A, BROKEN, WarmStatus.ABSENT).downloaded(A, FINE, WarmStatus.ABSENT);

        int[] dispatches = run(w.reconcilerBuilder().history(history).build(), 24 * 60, true, false);

        System.out.println(
                "24 h: failing database dispatched " + dispatches[0] + " times, healthy one " + dispatches[1]);
        assertThat(dispatches[0]).isBetween(5, 10);
        assertThat(dispatches[1]).isEqualTo(1);
    }

    /** The README's quick start: no history given, so the reconciler's own in-process one backs off. */
    @Test
    void the_quick_start_without_a_history_backs_off_too() {
        w.preferences.enable(A, List.of(BROKEN, FINE));
        w.downloaded(A, BROKEN, WarmStatus.ABSENT).downloaded(A, FINE, WarmStatus.ABSENT);

        int[] dispatches = run(w.reconcilerBuilder().build(), 24 * 60, true, false);

        System.out.println("24 h, no history given: failing database dispatched " + dispatches[0]
                + " times, healthy one " + dispatches[1]);
        assertThat(dispatches[0]).isBetween(5, 10);
        assertThat(dispatches[1]).isEqualTo(1);
    }

    /** What the default was before: no history, a dispatch every lock TTL (15 min), 96 a day. */
    @Test
    void without_any_history_the_failing_database_is_dispatched_every_lock_ttl() {
        w.preferences.enable(A, List.of(BROKEN, FINE));
        w.downloaded(A, BROKEN, WarmStatus.ABSENT).downloaded(A, FINE, WarmStatus.ABSENT);

        int[] dispatches =
                run(w.reconcilerBuilder().history(WarmAttemptHistory.NONE).build(), 24 * 60, true, false);

        System.out.println("24 h, WarmAttemptHistory.NONE: failing database dispatched " + dispatches[0] + " times");
        assertThat(dispatches[0]).isEqualTo(96);
    }

    @Test
    void one_that_recovers_is_dispatched_again_at_once_after_a_later_failure() {
        w.preferences.enable(A, List.of(BROKEN, FINE));
        w.downloaded(A, BROKEN, WarmStatus.ABSENT).downloaded(A, FINE, WarmStatus.ABSENT);
        AutoWarmReconciler r = w.reconcilerBuilder().history(history).build();
        run(r, 6 * 60, true, false);
        // it recovers: the next warmup (whenever the backoff lets it run) ends READY
        run(r, 12 * 60, false, true);
        assertThat(w.statuses.statuses(A, java.util.Set.of(BROKEN)).get(BROKEN)).isEqualTo(WarmStatus.READY);
        r.tick(); // READY is seen
        w.clock.advance(Duration.ofMinutes(1));

        w.statuses.set(A, BROKEN, WarmStatus.FAILED); // a later failure, right after READY
        TickReport next = r.tick();

        assertThat(next.outcome(A).orElseThrow().enqueued()).containsExactly(BROKEN);
    }
}
