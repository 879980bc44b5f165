package org.elb.warmkeeper.core.warm;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.elb.warmkeeper.core.cluster.Checks;
import org.jspecify.annotations.Nullable;

/**
 * Capped exponential backoff per database, decided from its attempt history alone (so it is shared by
 * replicas and survives a restart wherever the history is stored). Let {@code n} be the number of
 * {@link AttemptEvent#FAILED} entries newer than the newest {@link AttemptEvent#READY}; when {@code n > 0}
 * the next dispatch waits until {@code newest FAILED + min(cap, base x 2^(n-1))}. A READY entry resets it.
 * Tick times do not matter: only the recorded times do. {@code force} bypasses it (the reconciler's rule).
 *
 * <p>Defaults: base {@link #DEFAULT_BASE} (15 min, the default lock TTL), cap {@link #DEFAULT_CAP} (6 h).
 * A database that fails every time is dispatched about 8 times a day instead of 96.
 */
public final class WarmBackoff {

    public static final Duration DEFAULT_BASE = InflightLock.DEFAULT_TTL;
    public static final Duration DEFAULT_CAP = Duration.ofHours(6);

    private final Duration base;
    private final Duration cap;

    private WarmBackoff(Duration base, Duration cap) {
        this.base = base;
        this.cap = cap;
    }

    public static WarmBackoff ofDefaults() {
        return builder().build();
    }

    /**
     * The backoff of a schedule whose in-flight lock lives {@code lockTtl} (the runner's and the starter's
     * default): base {@code lockTtl}, cap the larger of {@link #DEFAULT_CAP} and {@code lockTtl}.
     */
    public static WarmBackoff forLockTtl(Duration lockTtl) {
        Checks.positive(lockTtl, "lockTtl");
        return builder()
                .base(lockTtl)
                .cap(lockTtl.compareTo(DEFAULT_CAP) > 0 ? lockTtl : DEFAULT_CAP)
                .build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Duration base() {
        return base;
    }

    public Duration cap() {
        return cap;
    }

    /** The wait after the {@code n}-th consecutive failure (n >= 1): {@code min(cap, base x 2^(n-1))}. */
    public Duration delay(int failures) {
        Checks.positive(failures, "failures");
        Duration d = base;
        for (int i = 1; i < failures && d.compareTo(cap) < 0; i++) {
            d = d.multipliedBy(2);
        }
        return d.compareTo(cap) > 0 ? cap : d;
    }

    /**
     * When the database may be dispatched again, from its history (newest first); empty when no failure
     * followed its newest READY.
     */
    public Optional<Instant> retryAt(List<WarmAttempt> newestFirst) {
        int failures = 0;
        @Nullable Instant lastFailure = null;
        for (WarmAttempt a : newestFirst) {
            if (a.event() == AttemptEvent.READY) {
                break;
            }
            if (a.event() == AttemptEvent.FAILED) {
                failures++;
                if (lastFailure == null || a.at().isAfter(lastFailure)) {
                    lastFailure = a.at();
                }
            }
        }
        return failures == 0 || lastFailure == null ? Optional.empty() : Optional.of(lastFailure.plus(delay(failures)));
    }

    /** The retry time when the database is in backoff at {@code now}; empty when it may be dispatched. */
    public Optional<Instant> holdUntil(List<WarmAttempt> newestFirst, Instant now) {
        return retryAt(newestFirst).filter(now::isBefore);
    }

    @Override
    public String toString() {
        return "WarmBackoff[base=" + base + ", cap=" + cap + "]";
    }

    /** Builder of {@link WarmBackoff}; setters validate eagerly. */
    public static final class Builder {
        private Duration base = DEFAULT_BASE;
        private Duration cap = DEFAULT_CAP;

        private Builder() {}

        /** Default {@link #DEFAULT_BASE}. */
        public Builder base(Duration base) {
            this.base = Checks.positive(base, "base");
            return this;
        }

        /** Default {@link #DEFAULT_CAP}. */
        public Builder cap(Duration cap) {
            this.cap = Checks.positive(cap, "cap");
            return this;
        }

        public WarmBackoff build() {
            if (cap.compareTo(base) < 0) {
                throw new IllegalArgumentException(
                        "'cap' must not be shorter than 'base', but was " + cap + " < " + base);
            }
            return new WarmBackoff(base, cap);
        }
    }
}
