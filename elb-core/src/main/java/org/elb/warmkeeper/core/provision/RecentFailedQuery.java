package org.elb.warmkeeper.core.provision;

import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * The parameters of "recent failed provisions", as the dashboard's
 * {@code GET /api/aks/recent-failed-provisions?hours=24&limit=10}: {@code hours} defaults to 24 and is
 * capped at 168 (one week); {@code limit} defaults to 10 and is capped at 20. A value above its cap is
 * lowered to the cap; zero or negative is rejected with an {@link IllegalArgumentException} that names
 * the parameter.
 */
public record RecentFailedQuery(int hours, int limit) {

    public static final int DEFAULT_HOURS = 24;
    public static final int MAX_HOURS = 168;
    public static final int DEFAULT_LIMIT = 10;
    public static final int MAX_LIMIT = 20;

    public RecentFailedQuery {
        if (hours < 1 || hours > MAX_HOURS) {
            throw new IllegalArgumentException("'hours' must be between 1 and " + MAX_HOURS + ", but was " + hours);
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("'limit' must be between 1 and " + MAX_LIMIT + ", but was " + limit);
        }
    }

    /** Applies the defaults to absent values and the caps to large ones; rejects non-positive values. */
    public static RecentFailedQuery of(@Nullable Integer hours, @Nullable Integer limit) {
        return new RecentFailedQuery(
                bound(hours, "hours", DEFAULT_HOURS, MAX_HOURS), bound(limit, "limit", DEFAULT_LIMIT, MAX_LIMIT));
    }

    public static RecentFailedQuery defaults() {
        return new RecentFailedQuery(DEFAULT_HOURS, DEFAULT_LIMIT);
    }

    /** The oldest failure time included. */
    public Instant since(Instant now) {
        return now.minus(Duration.ofHours(hours));
    }

    private static int bound(@Nullable Integer value, String field, int dflt, int max) {
        if (value == null) {
            return dflt;
        }
        if (value < 1) {
            throw new IllegalArgumentException("'" + field + "' must be a positive integer, but was " + value);
        }
        return Math.min(value, max);
    }
}
