package org.elb.warmkeeper.core.warm;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.elb.warmkeeper.core.BackendThrottledException;
import org.elb.warmkeeper.core.cluster.Checks;
import org.elb.warmkeeper.core.cluster.ClusterRef;

/**
 * A readiness probe that asks its delegate at most once per TTL per cluster: an answer "ready" is kept
 * {@link Builder#readyTtl} (default 5 min), "not ready" {@link Builder#notReadyTtl} (default 30 s, so
 * that a cluster coming up is seen soon). A failure is never cached: the next tick asks again.
 *
 * <p>When the delegate is throttled ({@link BackendThrottledException}, e.g. ARM's 429 with
 * {@code Retry-After}), nobody in that subscription asks again before the time the backend named
 * (ARM throttles reads per subscription): meanwhile a cluster with an earlier answer gets that answer,
 * one without gets the throttle exception (its outcome is {@code error} for that tick) without a call.
 *
 * <p>With ticks every minute and the defaults, a ready cluster costs 0.2 delegate calls per tick.
 * Thread-safe.
 */
public final class CachedReadinessProbe implements ClusterReadinessProbe {

    /** Default time an answer "ready" is kept. */
    public static final Duration DEFAULT_READY_TTL = Duration.ofMinutes(5);
    /** Default time an answer "not ready" is kept. */
    public static final Duration DEFAULT_NOT_READY_TTL = Duration.ofSeconds(30);

    private record Entry(Readiness readiness, Instant expiresAt) {}

    private final ClusterReadinessProbe delegate;
    private final Clock clock;
    private final Duration readyTtl;
    private final Duration notReadyTtl;
    private final Map<ClusterRef, Entry> answers = new ConcurrentHashMap<>();
    private final Map<String, Instant> throttledUntil = new ConcurrentHashMap<>();

    private CachedReadinessProbe(Builder b) {
        this.delegate = b.delegate;
        this.clock = b.clock;
        this.readyTtl = b.readyTtl;
        this.notReadyTtl = b.notReadyTtl;
    }

    public static Builder builder(ClusterReadinessProbe delegate) {
        return new Builder(delegate);
    }

    @Override
    public Readiness probe(ClusterRef cluster) {
        Instant now = clock.instant();
        Entry known = answers.get(cluster);
        if (known != null && now.isBefore(known.expiresAt())) {
            return known.readiness();
        }
        Instant until = throttledUntil.get(cluster.subscriptionId());
        if (until != null && now.isBefore(until)) {
            if (known != null) {
                return known.readiness();
            }
            throw new BackendThrottledException(
                    "readiness",
                    "probe",
                    cluster.display() + ": throttled",
                    Duration.between(now, until),
                    new IllegalStateException("not asked while throttled"));
        }
        Readiness answer;
        try {
            answer = delegate.probe(cluster);
        } catch (BackendThrottledException e) {
            throttledUntil.merge(cluster.subscriptionId(), now.plus(e.retryAfter()), (a, b) -> a.isAfter(b) ? a : b);
            if (known != null) {
                return known.readiness();
            }
            throw e;
        }
        answers.put(cluster, new Entry(answer, now.plus(answer.isReady() ? readyTtl : notReadyTtl)));
        return answer;
    }

    /** Drops what is known of a cluster (e.g. no longer configured, or known to have changed). */
    public void forget(ClusterRef cluster) {
        answers.remove(cluster);
    }

    @Override
    public String toString() {
        return "CachedReadinessProbe[" + delegate + ", readyTtl=" + readyTtl + ", notReadyTtl=" + notReadyTtl + "]";
    }

    /** Builder of {@link CachedReadinessProbe}. */
    public static final class Builder {
        private final ClusterReadinessProbe delegate;
        private Clock clock = Clock.systemUTC();
        private Duration readyTtl = DEFAULT_READY_TTL;
        private Duration notReadyTtl = DEFAULT_NOT_READY_TTL;

        private Builder(ClusterReadinessProbe delegate) {
            this.delegate = Checks.required(delegate, "delegate");
        }

        public Builder clock(Clock clock) {
            this.clock = Checks.required(clock, "clock");
            return this;
        }

        /** How long "ready" is kept. Default {@link #DEFAULT_READY_TTL} (5 min). */
        public Builder readyTtl(Duration readyTtl) {
            this.readyTtl = Checks.positive(readyTtl, "readyTtl");
            return this;
        }

        /** How long "not ready" is kept. Default {@link #DEFAULT_NOT_READY_TTL} (30 s). */
        public Builder notReadyTtl(Duration notReadyTtl) {
            this.notReadyTtl = Checks.positive(notReadyTtl, "notReadyTtl");
            return this;
        }

        public CachedReadinessProbe build() {
            return new CachedReadinessProbe(this);
        }
    }
}
