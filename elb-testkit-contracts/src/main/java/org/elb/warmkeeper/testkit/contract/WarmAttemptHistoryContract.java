package org.elb.warmkeeper.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.elb.warmkeeper.core.cluster.ClusterRef;
import org.elb.warmkeeper.core.cluster.DatabaseName;
import org.elb.warmkeeper.core.warm.AttemptEvent;
import org.elb.warmkeeper.core.warm.InflightKey;
import org.elb.warmkeeper.core.warm.LockToken;
import org.elb.warmkeeper.core.warm.WarmAttempt;
import org.elb.warmkeeper.core.warm.WarmAttemptHistory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link WarmAttemptHistory} must do: give back what was recorded (every field, times at
 * microsecond precision), newest first, per database, at most {@code limit} entries, keeping at least
 * {@link #kept()} entries per database and dropping older ones, in one batched read for many keys.
 */
public abstract class WarmAttemptHistoryContract {

    protected WarmAttemptHistory history;

    /** An empty history. Called before each test. */
    protected abstract WarmAttemptHistory createHistory();

    /** How many entries per database the implementation keeps. */
    protected int kept() {
        return WarmAttemptHistory.DEFAULT_KEEP;
    }

    @BeforeEach
    void create() {
        history = createHistory();
    }

    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00.123456Z");
    private static final ClusterRef C1 = ClusterRef.of("00000000-0000-4000-8000-000000000001", "rg-elb", "elb-1");
    private static final ClusterRef C2 = ClusterRef.of("00000000-0000-4000-8000-000000000002", "rg-elb", "elb-1");

    private static InflightKey key(ClusterRef c, String db) {
        return new InflightKey(c, DatabaseName.of(db));
    }

    private static WarmAttempt attempt(InflightKey k, int minute, AttemptEvent e) {
        return WarmAttempt.observed(k, T0.plus(minute, ChronoUnit.MINUTES), e, null);
    }

    @Test
    void an_empty_history_has_no_entry() {
        assertThat(history.recent(Set.of(key(C1, "core_nt")), 10)).doesNotContainKey(key(C1, "core_nt"));
        assertThat(history.recent(key(C1, "core_nt"), 10)).isEmpty();
    }

    @Test
    void every_field_comes_back() {
        WarmAttempt dispatched = new WarmAttempt(
                C1,
                DatabaseName.of("core_nt"),
                T0,
                AttemptEvent.DISPATCHED,
                "force",
                "elb-warmup-core-nt-1",
                LockToken.of("tok-1"));
        WarmAttempt failed = new WarmAttempt(
                C1, DatabaseName.of("core_nt"), T0.plusSeconds(60), AttemptEvent.FAILED, "never_seen", null, null);
        history.record(dispatched);
        history.record(failed);

        assertThat(history.recent(key(C1, "core_nt"), 10)).containsExactly(failed, dispatched);
    }

    @Test
    void the_job_name_of_each_dispatch_comes_back_up_to_the_longest_kubernetes_name() {
        String longest = "elb-warmup-" + "a".repeat(253 - "elb-warmup-".length()); // a Kubernetes name: 253 at most
        WarmAttempt first = new WarmAttempt(
                C1, DatabaseName.of("nr"), T0, AttemptEvent.DISPATCHED, null, "elb-warmup-nr-1", LockToken.of("t1"));
        WarmAttempt second = new WarmAttempt(
                C1, DatabaseName.of("nr"), T0.plusSeconds(120), AttemptEvent.DISPATCHED, null, longest, null);
        history.record(first);
        history.record(second);

        assertThat(history.recent(key(C1, "nr"), 10))
                .extracting(WarmAttempt::jobName)
                .containsExactly(longest, "elb-warmup-nr-1");
    }

    @Test
    void entries_are_newest_first_and_limited() {
        InflightKey k = key(C1, "core_nt");
        for (int i = 0; i < 5; i++) {
            history.record(attempt(k, i, AttemptEvent.DISPATCHED));
        }

        assertThat(history.recent(k, 3))
                .containsExactly(
                        attempt(k, 4, AttemptEvent.DISPATCHED),
                        attempt(k, 3, AttemptEvent.DISPATCHED),
                        attempt(k, 2, AttemptEvent.DISPATCHED));
    }

    @Test
    void old_entries_beyond_the_kept_ones_are_dropped() {
        InflightKey k = key(C1, "core_nt");
        InflightKey other = key(C1, "nr");
        history.record(attempt(other, 0, AttemptEvent.READY));
        List<WarmAttempt> expected = new ArrayList<>();
        for (int i = 0; i < kept() + 5; i++) {
            WarmAttempt a = attempt(k, i, i % 2 == 0 ? AttemptEvent.DISPATCHED : AttemptEvent.FAILED);
            history.record(a);
            expected.add(0, a);
        }

        assertThat(history.recent(k, kept() + 5)).containsExactlyElementsOf(expected.subList(0, kept()));
        assertThat(history.recent(other, 10)).containsExactly(attempt(other, 0, AttemptEvent.READY));
    }

    @Test
    void one_read_answers_many_databases_on_many_clusters() {
        InflightKey a = key(C1, "core_nt");
        InflightKey b = key(C1, "nr");
        InflightKey c = key(C2, "core_nt");
        history.record(attempt(a, 0, AttemptEvent.DISPATCHED));
        history.record(attempt(b, 1, AttemptEvent.LOADING));
        history.record(attempt(c, 2, AttemptEvent.READY));
        history.record(attempt(a, 3, AttemptEvent.FAILED));

        Map<InflightKey, List<WarmAttempt>> got = history.recent(Set.of(a, b, c, key(C2, "nr")), 10);

        assertThat(got.get(a))
                .containsExactly(attempt(a, 3, AttemptEvent.FAILED), attempt(a, 0, AttemptEvent.DISPATCHED));
        assertThat(got.get(b)).containsExactly(attempt(b, 1, AttemptEvent.LOADING));
        assertThat(got.get(c)).containsExactly(attempt(c, 2, AttemptEvent.READY));
        assertThat(got.getOrDefault(key(C2, "nr"), List.of())).isEmpty();
    }
}
