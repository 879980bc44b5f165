package org.elb.warmkeeper.core.warm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.elb.warmkeeper.core.warm.WarmWorld.cluster;
import static org.elb.warmkeeper.core.warm.WarmWorld.db;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.elb.warmkeeper.core.cluster.ClusterRef;
import org.elb.warmkeeper.core.cluster.DatabaseName;
import org.elb.warmkeeper.inmemory.InMemoryWarmAttemptHistory;
import org.elb.warmkeeper.json.TickReportJson;
import org.junit.jupiter.api.Test;

/** Pause, attempt history, backoff, early release and stuck loading through whole ticks on the fakes. */
class OperatorLoopTest {

    static final ClusterRef A = cluster("elb-a");
    static final ClusterRef B = cluster("elb-b");
    static final DatabaseName CORE_NT = db("core_nt");
    static final DatabaseName NR = db("nr");
    static final InflightKey KEY = new InflightKey(A, CORE_NT);

    final WarmWorld w = new WarmWorld();
    final InMemoryWarmAttemptHistory history = InMemoryWarmAttemptHistory.create();

    AutoWarmReconciler reconciler() {
        return w.reconcilerBuilder().history(history).build();
    }

    private ClusterOutcome outcome(TickReport r, ClusterRef c) {
        return r.outcome(c).orElseThrow();
    }

    private List<AttemptEvent> events() {
        return history.recent(KEY, 20).stream().map(WarmAttempt::event).toList();
    }

    @Test
    void a_paused_cluster_is_listed_with_every_database_skipped_paused_even_with_force() {
        w.preferences.enable(A, List.of(CORE_NT, NR)).enable(B, List.of(CORE_NT));
        w.downloaded(A, CORE_NT, WarmStatus.ABSENT)
                .downloaded(A, NR, WarmStatus.FAILED)
                .downloaded(B, CORE_NT, WarmStatus.ABSENT);
        w.preferences.setClusterPaused(A, true);

        TickReport r = reconciler().tick(true);

        assertThat(outcome(r, A).enqueued()).isEmpty();
        assertThat(outcome(r, A).skipped())
                .containsExactly(new Skip(CORE_NT, SkipReason.PAUSED), new Skip(NR, SkipReason.PAUSED));
        assertThat(outcome(r, A).status()).isEqualTo(ClusterStatus.WAITING);
        assertThat(outcome(r, B).enqueued()).containsExactly(CORE_NT);
        assertThat(w.lock.holder(KEY)).isEmpty();
        assertThat(TickReportJson.toJson(r)).contains("{\"db\":\"core_nt\",\"reason\":\"paused\"}");
    }

    @Test
    void a_paused_database_is_skipped_alone_and_comes_back_when_resumed() {
        w.preferences.enable(A, List.of(CORE_NT, NR));
        w.downloaded(A, CORE_NT, WarmStatus.ABSENT).downloaded(A, NR, WarmStatus.ABSENT);
        w.preferences.setDatabasePaused(A, CORE_NT, true);

        TickReport r = reconciler().tick();
        assertThat(outcome(r, A).enqueued()).containsExactly(NR);
        assertThat(outcome(r, A).skipped()).containsExactly(new Skip(CORE_NT, SkipReason.PAUSED));

        w.preferences.setDatabasePaused(A, CORE_NT, false);
        assertThat(outcome(reconciler().tick(), A).enqueued()).containsExactly(CORE_NT);
    }

    @Test
    void a_paused_database_that_is_warm_counts_as_warm() {
        w.preferences.enable(A, List.of(CORE_NT));
        w.downloaded(A, CORE_NT, WarmStatus.READY);
        w.preferences.setDatabasePaused(A, CORE_NT, true);

        assertThat(outcome(reconciler().tick(), A).status()).isEqualTo(ClusterStatus.READY_NOOP);
    }

    @Test
    void the_history_says_dispatched_loading_ready_with_the_lock_token_of_the_dispatch() {
        w.preferences.enable(A, List.of(CORE_NT));
        w.downloaded(A, CORE_NT, WarmStatus.ABSENT);
        AutoWarmReconciler r = reconciler();

        r.tick();
        LockToken token = w.lock.holder(KEY).orElseThrow();
        w.clock.advance(Duration.ofMinutes(1));
        w.statuses.set(A, CORE_NT, WarmStatus.LOADING);
        r.tick();
        w.clock.advance(Duration.ofMinutes(1));
        w.statuses.set(A, CORE_NT, WarmStatus.READY);
        r.tick();
        r.tick();

        List<WarmAttempt> h = history.recent(KEY, 20);
        assertThat(h)
                .extracting(WarmAttempt::event)
                .containsExactly(AttemptEvent.READY, AttemptEvent.LOADING, AttemptEvent.DISPATCHED);
        assertThat(h.get(2).token()).isEqualTo(token);
        assertThat(h.get(2).at()).isEqualTo(h.get(1).at().minus(Duration.ofMinutes(1)));
    }

    @Test
    void the_lock_is_released_once_the_database_is_seen_loading() {
        w.preferences.enable(A, List.of(CORE_NT));
        w.downloaded(A, CORE_NT, WarmStatus.ABSENT);
        AutoWarmReconciler r = reconciler();
        r.tick();
        assertThat(w.lock.holder(KEY)).isPresent();

        w.statuses.set(A, CORE_NT, WarmStatus.LOADING);
        w.clock.advance(Duration.ofMinutes(1));
        r.tick();

        assertThat(w.lock.holder(KEY)).isEmpty();
        // evicted right after: enqueued on the next tick, not 15 minutes later
        w.statuses.set(A, CORE_NT, WarmStatus.ABSENT);
        w.clock.advance(Duration.ofMinutes(1));
        assertThat(outcome(r.tick(), A).enqueued()).containsExactly(CORE_NT);
    }

    @Test
    void another_owners_lock_is_not_released_when_loading_is_seen() {
        w.preferences.enable(A, List.of(CORE_NT));
        w.downloaded(A, CORE_NT, WarmStatus.ABSENT);
        AutoWarmReconciler r = reconciler();
        r.tick();
        w.lock.release(KEY, w.lock.holder(KEY).orElseThrow());
        w.holdForOther(A, CORE_NT);
        LockToken other = w.lock.holder(KEY).orElseThrow();

        w.statuses.set(A, CORE_NT, WarmStatus.LOADING);
        r.tick();

        assertThat(w.lock.holder(KEY)).contains(other);
    }

    @Test
    void a_failed_warmup_backs_off_with_retry_at_and_force_bypasses_it() {
        w.preferences.enable(A, List.of(CORE_NT));
        w.downloaded(A, CORE_NT, WarmStatus.ABSENT);
        AutoWarmReconciler r = reconciler();
        r.tick();
        w.statuses.set(A, CORE_NT, WarmStatus.LOADING);
        r.tick();
        w.statuses.set(A, CORE_NT, WarmStatus.FAILED);
        Instant seen = w.clock.advance(Duration.ofMinutes(2));

        TickReport report = r.tick();

        Instant retryAt = seen.plus(WarmBackoff.DEFAULT_BASE);
        assertThat(outcome(report, A).skipped()).containsExactly(Skip.backoff(CORE_NT, retryAt));
        assertThat(TickReportJson.toJson(report))
                .contains("{\"db\":\"core_nt\",\"reason\":\"backoff\",\"retry_at\":\"" + retryAt + "\"}");
        assertThat(w.observer.skippedWithReason("backoff")).containsExactly("elb-a/core_nt:backoff");

        assertThat(outcome(r.tick(true), A).enqueued()).containsExactly(CORE_NT);
    }

    @Test
    void backoff_ends_at_retry_at_and_doubles_after_the_next_failure() {
        w.preferences.enable(A, List.of(CORE_NT));
        w.downloaded(A, CORE_NT, WarmStatus.ABSENT);
        AutoWarmReconciler r = reconciler();
        r.tick();
        w.statuses.set(A, CORE_NT, WarmStatus.LOADING);
        r.tick();
        w.statuses.set(A, CORE_NT, WarmStatus.FAILED);
        Instant first = w.clock.advance(Duration.ofMinutes(1));
        r.tick();

        w.clock.set(first.plus(Duration.ofMinutes(15)).minusSeconds(1));
        assertThat(outcome(r.tick(), A).enqueued()).isEmpty();
        w.clock.set(first.plus(Duration.ofMinutes(15)));
        assertThat(outcome(r.tick(), A).enqueued()).containsExactly(CORE_NT);

        w.statuses.set(A, CORE_NT, WarmStatus.LOADING);
        r.tick();
        w.statuses.set(A, CORE_NT, WarmStatus.FAILED);
        Instant second = w.clock.advance(Duration.ofMinutes(1));
        assertThat(outcome(r.tick(), A).skipped())
                .containsExactly(Skip.backoff(CORE_NT, second.plus(Duration.ofMinutes(30))));
    }

    @Test
    void a_dispatch_never_seen_within_the_lock_ttl_counts_as_a_failure() {
        w.preferences.enable(A, List.of(CORE_NT));
        w.downloaded(A, CORE_NT, WarmStatus.ABSENT);
        AutoWarmReconciler r = reconciler();
        r.tick();
        w.clock.advance(Duration.ofMinutes(14));
        assertThat(outcome(r.tick(), A).skipped()).containsExactly(new Skip(CORE_NT, SkipReason.INFLIGHT));

        Instant seen = w.clock.advance(Duration.ofMinutes(1));
        assertThat(outcome(r.tick(), A).skipped())
                .containsExactly(Skip.backoff(CORE_NT, seen.plus(Duration.ofMinutes(15))));
        assertThat(history.recent(KEY, 1).get(0).reason()).isEqualTo("never_seen");
    }

    /** One warmup of core_nt on A: dispatched (by a forced tick when {@code force}), LOADING, then FAILED. */
    private void failOnce(AutoWarmReconciler r, boolean force) {
        assertThat(outcome(r.tick(force), A).enqueued()).containsExactly(CORE_NT);
        w.statuses.set(A, CORE_NT, WarmStatus.LOADING);
        w.clock.advance(Duration.ofMinutes(1));
        r.tick();
        w.statuses.set(A, CORE_NT, WarmStatus.FAILED);
        w.clock.advance(Duration.ofMinutes(1));
        r.tick();
    }

    @Test
    void ready_resets_the_backoff_so_a_later_failure_is_retried_at_once() {
        w.preferences.enable(A, List.of(CORE_NT));
        w.downloaded(A, CORE_NT, WarmStatus.ABSENT);
        AutoWarmReconciler r = reconciler();
        failOnce(r, false);
        failOnce(r, true);
        failOnce(r, true); // three failures: the next regular dispatch would wait an hour
        assertThat(outcome(r.tick(), A).skipped()).extracting(Skip::reason).containsExactly(SkipReason.BACKOFF);
        assertThat(outcome(r.tick(true), A).enqueued()).containsExactly(CORE_NT);
        w.statuses.set(A, CORE_NT, WarmStatus.READY);
        w.clock.advance(Duration.ofMinutes(1));
        r.tick();

        w.statuses.set(A, CORE_NT, WarmStatus.FAILED);
        w.clock.advance(Duration.ofMinutes(1));
        assertThat(outcome(r.tick(), A).enqueued()).containsExactly(CORE_NT);
        assertThat(events()).startsWith(AttemptEvent.DISPATCHED, AttemptEvent.READY);
    }

    @Test
    void backoff_is_per_database() {
        w.preferences.enable(A, List.of(CORE_NT, NR));
        w.downloaded(A, CORE_NT, WarmStatus.ABSENT).downloaded(A, NR, WarmStatus.ABSENT);
        AutoWarmReconciler r = reconciler();
        r.tick();
        w.statuses.set(A, CORE_NT, WarmStatus.LOADING);
        w.statuses.set(A, NR, WarmStatus.LOADING);
        r.tick();
        w.statuses.set(A, CORE_NT, WarmStatus.FAILED);
        w.statuses.set(A, NR, WarmStatus.READY);
        w.clock.advance(Duration.ofMinutes(1));
        assertThat(outcome(r.tick(), A).skipped())
                .extracting(Skip::db, Skip::reason)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(CORE_NT, SkipReason.BACKOFF));

        w.statuses.set(A, NR, WarmStatus.ABSENT); // evicted: not a failure, and not held back by core_nt
        w.clock.advance(Duration.ofMinutes(1));
        ClusterOutcome later = outcome(r.tick(), A);

        assertThat(later.enqueued()).containsExactly(NR);
        assertThat(later.skipped()).extracting(Skip::db).containsExactly(CORE_NT);
    }

    @Test
    void an_unreadable_history_fails_open() {
        w.preferences.enable(A, List.of(CORE_NT));
        w.downloaded(A, CORE_NT, WarmStatus.ABSENT);
        WarmAttemptHistory broken = new WarmAttemptHistory() {
            @Override
            public void record(WarmAttempt attempt) {
                throw new org.elb.warmkeeper.core.BackendUnavailableException("test", "record", "down");
            }

            @Override
            public java.util.Map<InflightKey, List<WarmAttempt>> recent(java.util.Set<InflightKey> keys, int limit) {
                throw new org.elb.warmkeeper.core.BackendUnavailableException("test", "recent", "down");
            }
        };

        TickReport report = w.reconcilerBuilder().history(broken).build().tick();

        assertThat(outcome(report, A).enqueued()).containsExactly(CORE_NT);
        assertThat(w.observer.probeFailures).containsExactly("elb-a:history", "elb-a:history");
    }

    @Test
    void a_database_loading_longer_than_the_threshold_is_reported_and_never_enqueued() {
        w.preferences.enable(A, List.of(CORE_NT));
        w.downloaded(A, CORE_NT, WarmStatus.ABSENT);
        AutoWarmReconciler r = w.reconcilerBuilder()
                .history(history)
                .stuckLoadingAfter(Duration.ofHours(2))
                .build();
        r.tick();
        w.statuses.set(A, CORE_NT, WarmStatus.LOADING);
        Instant since = w.clock.advance(Duration.ofMinutes(1));
        r.tick();
        w.clock.advance(Duration.ofHours(2).minusSeconds(1));
        assertThat(outcome(r.tick(), A).stuckLoading()).isEmpty();

        w.clock.advance(Duration.ofSeconds(1));
        TickReport report = r.tick();

        assertThat(outcome(report, A).stuckLoading()).containsEntry(CORE_NT, since);
        assertThat(outcome(report, A).enqueued()).isEmpty();
        assertThat(outcome(report, A).status()).isEqualTo(ClusterStatus.READY_NOOP);
        assertThat(TickReportJson.toJson(report))
                .contains("\"stuck_loading\":[{\"db\":\"core_nt\",\"loading_since\":\"" + since + "\"}]");
    }
}
