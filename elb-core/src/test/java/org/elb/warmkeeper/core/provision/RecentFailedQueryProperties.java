package org.elb.warmkeeper.core.provision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.elb.warmkeeper.core.cluster.NameRules.assertRejected;

import java.time.Duration;
import java.time.Instant;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Positive;

/** Recent-failed parameters: defaults 24 h / 10, caps 168 h / 20 (lowered to the cap), non-positive rejected. */
class RecentFailedQueryProperties {

    @Example
    void absent_values_take_the_defaults() {
        assertThat(RecentFailedQuery.of(null, null)).isEqualTo(new RecentFailedQuery(24, 10));
        assertThat(RecentFailedQuery.defaults()).isEqualTo(new RecentFailedQuery(24, 10));
        assertThat(RecentFailedQuery.of(5, null).limit()).isEqualTo(10);
        assertThat(RecentFailedQuery.of(null, 5).hours()).isEqualTo(24);
    }

    @Property
    void hours_are_kept_up_to_168_and_lowered_to_it_above(@ForAll @Positive int hours) {
        assertThat(RecentFailedQuery.of(hours, null).hours()).isEqualTo(Math.min(hours, 168));
    }

    @Property
    void limit_is_kept_up_to_20_and_lowered_to_it_above(@ForAll @Positive int limit) {
        assertThat(RecentFailedQuery.of(null, limit).limit()).isEqualTo(Math.min(limit, 20));
    }

    @Property
    void non_positive_hours_are_rejected_naming_hours(
            @ForAll @IntRange(min = Integer.MIN_VALUE, max = 0) int hours,
            @ForAll @IntRange(min = 1, max = 20) int limit) {
        assertRejected(
                () -> RecentFailedQuery.of(hours, limit), "hours", "must be a positive integer, but was " + hours);
    }

    @Property
    void non_positive_limit_is_rejected_naming_limit(
            @ForAll @IntRange(min = Integer.MIN_VALUE, max = 0) int limit,
            @ForAll @IntRange(min = 1, max = 168) int hours) {
        assertRejected(
                () -> RecentFailedQuery.of(hours, limit), "limit", "must be a positive integer, but was " + limit);
    }

    @Property
    void the_constructor_accepts_only_the_bounded_range(
            @ForAll @IntRange(min = -5, max = 200) int hours, @ForAll @IntRange(min = -5, max = 30) int limit) {
        boolean ok = hours >= 1 && hours <= 168 && limit >= 1 && limit <= 20;
        if (ok) {
            assertThat(new RecentFailedQuery(hours, limit).hours()).isEqualTo(hours);
        } else if (hours < 1 || hours > 168) {
            assertRejected(() -> new RecentFailedQuery(hours, limit), "hours", "must be between 1 and 168");
        } else {
            assertRejected(() -> new RecentFailedQuery(hours, limit), "limit", "must be between 1 and 20");
        }
    }

    @Property
    void since_is_now_minus_hours(@ForAll @IntRange(min = 1, max = 168) int hours) {
        Instant now = Instant.parse("2026-01-08T00:00:00Z");
        assertThat(new RecentFailedQuery(hours, 10).since(now)).isEqualTo(now.minus(Duration.ofHours(hours)));
    }
}
