package org.elb.warmkeeper.core.warm;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.elb.warmkeeper.core.cluster.ClusterRef;
import org.elb.warmkeeper.core.cluster.DatabaseName;

/**
 * The backoff schedule: monotone in the number of failures, capped, equal to {@code base x 2^(n-1)} below
 * the cap, reset by READY, decided per database and from recorded times only (not from when ticks run).
 */
class WarmBackoffProperties {

    static final ClusterRef CLUSTER = ClusterRef.of("0f1e2d3c-4b5a-6978-8695-a4b3c2d1e0f9", "rg-elb", "elb-a");
    static final InflightKey KEY = new InflightKey(CLUSTER, DatabaseName.of("core_nt"));
    static final InflightKey OTHER = new InflightKey(CLUSTER, DatabaseName.of("nr"));
    static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");

    @Provide
    Arbitrary<WarmBackoff> backoffs() {
        return Arbitraries.integers()
                .between(1, 3600)
                .flatMap(base -> Arbitraries.integers()
                        .between(base, 48 * 3600)
                        .map(cap -> WarmBackoff.builder()
                                .base(Duration.ofSeconds(base))
                                .cap(Duration.ofSeconds(cap))
                                .build()));
    }

    /** A history, newest first, of events at non-decreasing times. */
    @Provide
    Arbitrary<List<WarmAttempt>> histories() {
        return Arbitraries.of(AttemptEvent.class)
                .list()
                .ofMaxSize(20)
                .flatMap(events -> Arbitraries.integers()
                        .between(0, 7200)
                        .list()
                        .ofSize(events.size())
                        .map(gaps -> {
                            List<WarmAttempt> out = new ArrayList<>();
                            Instant t = T0;
                            for (int i = 0; i < events.size(); i++) {
                                t = t.plusSeconds(gaps.get(i));
                                out.add(0, WarmAttempt.observed(KEY, t, events.get(i), null));
                            }
                            return out;
                        }));
    }

    @Property
    void the_delay_is_monotone_and_capped(
            @ForAll("backoffs") WarmBackoff b, @ForAll @IntRange(min = 1, max = 200) int n) {
        assertThat(b.delay(n + 1)).isGreaterThanOrEqualTo(b.delay(n));
        assertThat(b.delay(n)).isLessThanOrEqualTo(b.cap()).isGreaterThanOrEqualTo(b.base());
    }

    @Property
    void the_delay_doubles_from_the_base_until_the_cap(
            @ForAll("backoffs") WarmBackoff b, @ForAll @IntRange(min = 1, max = 40) int n) {
        Duration uncapped = b.base().multipliedBy(1L << (n - 1));
        assertThat(b.delay(n)).isEqualTo(uncapped.compareTo(b.cap()) > 0 ? b.cap() : uncapped);
    }

    @Property
    void ready_resets_whatever_came_before(
            @ForAll("backoffs") WarmBackoff b, @ForAll("histories") List<WarmAttempt> h) {
        List<WarmAttempt> withReady = new ArrayList<>(h);
        Instant last = h.isEmpty() ? T0 : h.get(0).at();
        withReady.add(0, WarmAttempt.observed(KEY, last, AttemptEvent.READY, null));

        assertThat(b.retryAt(withReady)).isEmpty();
    }

    @Property
    void only_failures_after_the_newest_ready_count(
            @ForAll("backoffs") WarmBackoff b, @ForAll("histories") List<WarmAttempt> h) {
        int failures = 0;
        Instant newest = null;
        for (WarmAttempt a : h) {
            if (a.event() == AttemptEvent.READY) {
                break;
            }
            if (a.event() == AttemptEvent.FAILED) {
                failures++;
                newest = newest == null ? a.at() : newest;
            }
        }
        Optional<Instant> expected = failures == 0 ? Optional.empty() : Optional.of(newest.plus(b.delay(failures)));
        assertThat(b.retryAt(h)).isEqualTo(expected);
    }

    @Property
    void the_retry_time_does_not_depend_on_when_the_tick_runs(
            @ForAll("backoffs") WarmBackoff b,
            @ForAll("histories") List<WarmAttempt> h,
            @ForAll @IntRange(min = 0, max = 200_000) int tickA,
            @ForAll @IntRange(min = 0, max = 200_000) int tickB) {
        Instant nowA = T0.plusSeconds(tickA);
        Instant nowB = T0.plusSeconds(tickB);
        Optional<Instant> retry = b.retryAt(h);

        assertThat(b.holdUntil(h, nowA)).isEqualTo(retry.filter(nowA::isBefore));
        assertThat(b.holdUntil(h, nowB)).isEqualTo(retry.filter(nowB::isBefore));
    }

    @Property
    void one_databases_history_never_changes_anothers_decision(
            @ForAll("histories") List<WarmAttempt> mine,
            @ForAll("histories") List<WarmAttempt> theirs,
            @ForAll WarmStatus myStatus,
            @ForAll WarmStatus theirStatus,
            @ForAll @IntRange(min = 0, max = 100_000) int at) {
        WarmLoopRules rules = new WarmLoopRules(WarmBackoff.ofDefaults(), Duration.ofMinutes(15), Duration.ofHours(2));
        List<WarmAttempt> otherHistory = theirs.stream()
                .map(a -> new WarmAttempt(CLUSTER, OTHER.database(), a.at(), a.event(), a.reason(), null, null))
                .toList();
        Instant now = T0.plusSeconds(at);
        List<DatabaseName> configured = List.of(KEY.database(), OTHER.database());

        WarmLoopView alone = rules.evaluate(
                CLUSTER, List.of(KEY.database()), Map.of(KEY.database(), myStatus), Map.of(KEY, mine), now, false);
        WarmLoopView both = rules.evaluate(
                CLUSTER,
                configured,
                Map.of(KEY.database(), myStatus, OTHER.database(), theirStatus),
                Map.of(KEY, mine, OTHER, otherHistory),
                now,
                false);

        assertThat(both.backoff().get(KEY.database())).isEqualTo(alone.backoff().get(KEY.database()));
        assertThat(both.observations().stream().filter(o -> o.key().equals(KEY)).toList())
                .isEqualTo(alone.observations());
        assertThat(both.releases().get(KEY)).isEqualTo(alone.releases().get(KEY));
    }

    @Property
    void force_empties_the_backoff_and_warm_databases_are_never_in_it(
            @ForAll("histories") List<WarmAttempt> h,
            @ForAll WarmStatus status,
            @ForAll @IntRange(min = 0, max = 100_000) int at) {
        WarmLoopRules rules = new WarmLoopRules(WarmBackoff.ofDefaults(), Duration.ofMinutes(15), Duration.ofHours(2));
        Instant now = T0.plusSeconds(at);
        WarmLoopView forced = rules.evaluate(
                CLUSTER, List.of(KEY.database()), Map.of(KEY.database(), status), Map.of(KEY, h), now, true);
        WarmLoopView regular = rules.evaluate(
                CLUSTER, List.of(KEY.database()), Map.of(KEY.database(), status), Map.of(KEY, h), now, false);

        assertThat(forced.backoff()).isEmpty();
        if (status.isWarmOrWarming()) {
            assertThat(regular.backoff()).isEmpty();
        }
    }
}
