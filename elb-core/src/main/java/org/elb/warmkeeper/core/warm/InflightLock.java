package org.elb.warmkeeper.core.warm;

import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * Port: a lock per database warmup that covers the phases Kubernetes cannot observe yet (download,
 * shard, plan). Implementations never throw for an unreachable store: they answer
 * {@link Acquisition#UNAVAILABLE} within a bounded time so that the caller can fail open.
 */
public interface InflightLock {

    /** The seed's TTL: 15 minutes. */
    Duration DEFAULT_TTL = Duration.ofMinutes(15);

    /**
     * Tries to take every key with {@code token} as value and {@code ttl} as expiry, in one round
     * trip. Every requested key is a key of the result.
     */
    Map<InflightKey, Acquisition> tryAcquireAll(Set<InflightKey> keys, LockToken token, Duration ttl);

    /** Deletes the key only when it holds {@code token} (compare-and-delete). */
    ReleaseResult release(InflightKey key, LockToken token);
}
