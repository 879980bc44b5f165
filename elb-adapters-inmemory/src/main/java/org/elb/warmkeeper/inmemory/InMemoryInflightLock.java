package org.elb.warmkeeper.inmemory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.elb.warmkeeper.core.warm.Acquisition;
import org.elb.warmkeeper.core.warm.InflightKey;
import org.elb.warmkeeper.core.warm.InflightLock;
import org.elb.warmkeeper.core.warm.LockToken;
import org.elb.warmkeeper.core.warm.ReleaseResult;

/**
 * A single-replica {@link InflightLock}: keys live in this JVM and expire on the given clock, with the
 * same semantics as the Redis lock (set-if-absent with a TTL, compare-and-delete by token). It never
 * answers {@code UNAVAILABLE}. Expired entries are dropped as they are met and on every acquire that
 * finds the map grown past twice its live size, so memory stays bounded by the live keys.
 */
public final class InMemoryInflightLock implements InflightLock {

    private record Entry(LockToken token, Instant expiresAt) {}

    private final Clock clock;
    private final Map<InflightKey, Entry> entries = new HashMap<>();
    private int liveAfterLastPurge;

    private InMemoryInflightLock(Clock clock) {
        this.clock = clock;
    }

    /** A lock whose keys expire on {@code clock}. */
    public static InMemoryInflightLock create(Clock clock) {
        return new InMemoryInflightLock(Objects.requireNonNull(clock, "clock"));
    }

    @Override
    public synchronized Map<InflightKey, Acquisition> tryAcquireAll(
            Set<InflightKey> keys, LockToken token, Duration ttl) {
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("ttl must be positive, but was " + ttl);
        }
        Instant now = clock.instant();
        purgeIfGrown(now);
        Map<InflightKey, Acquisition> result = new LinkedHashMap<>();
        for (InflightKey key : keys) {
            Entry e = entries.get(key);
            if (e != null && e.expiresAt().isAfter(now)) {
                result.put(key, Acquisition.HELD);
            } else {
                entries.put(key, new Entry(token, now.plus(ttl)));
                result.put(key, Acquisition.ACQUIRED);
            }
        }
        return result;
    }

    @Override
    public synchronized ReleaseResult release(InflightKey key, LockToken token) {
        Entry e = entries.get(key);
        if (e == null || !e.expiresAt().isAfter(clock.instant()) || !e.token().equals(token)) {
            return ReleaseResult.NOT_OWNER;
        }
        entries.remove(key);
        return ReleaseResult.RELEASED;
    }

    /** The live holder of a key, if any (for diagnostics and tests). */
    public synchronized Optional<LockToken> holder(InflightKey key) {
        Entry e = entries.get(key);
        return e != null && e.expiresAt().isAfter(clock.instant()) ? Optional.of(e.token()) : Optional.empty();
    }

    /** Entries in the map, live or not yet purged (bounded by about twice the live keys). */
    synchronized int size() {
        return entries.size();
    }

    private void purgeIfGrown(Instant now) {
        if (entries.size() > 2 * Math.max(16, liveAfterLastPurge)) {
            entries.values().removeIf(e -> !e.expiresAt().isAfter(now));
            liveAfterLastPurge = entries.size();
        }
    }
}
