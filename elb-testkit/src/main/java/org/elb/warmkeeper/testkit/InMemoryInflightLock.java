package org.elb.warmkeeper.testkit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.elb.warmkeeper.core.warm.Acquisition;
import org.elb.warmkeeper.core.warm.InflightKey;
import org.elb.warmkeeper.core.warm.InflightLock;
import org.elb.warmkeeper.core.warm.LockToken;
import org.elb.warmkeeper.core.warm.ReleaseResult;

/**
 * An in-memory {@link InflightLock} with expiry on the given clock. While {@link #faults()} fails, every
 * key answers UNAVAILABLE (and release UNAVAILABLE), as a real adapter does when Redis is gone.
 */
public final class InMemoryInflightLock implements InflightLock {

    private record Entry(LockToken token, Instant expiresAt) {}

    private final Clock clock;
    private final Faults faults = new Faults("memory-lock");
    private final Map<InflightKey, Entry> entries = new LinkedHashMap<>();
    private int acquireCalls;

    public InMemoryInflightLock(Clock clock) {
        this.clock = clock;
    }

    public Faults faults() {
        return faults;
    }

    @Override
    public synchronized Map<InflightKey, Acquisition> tryAcquireAll(Set<InflightKey> keys, LockToken token, Duration ttl) {
        acquireCalls++;
        Map<InflightKey, Acquisition> result = new LinkedHashMap<>();
        try {
            faults.check("tryAcquireAll");
        } catch (RuntimeException e) {
            keys.forEach(k -> result.put(k, Acquisition.UNAVAILABLE));
            return result;
        }
        Instant now = clock.instant();
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
        try {
            faults.check("release");
        } catch (RuntimeException e) {
            return ReleaseResult.UNAVAILABLE;
        }
        Entry e = entries.get(key);
        if (e == null || !e.expiresAt().isAfter(clock.instant()) || !e.token().equals(token)) {
            return ReleaseResult.NOT_OWNER;
        }
        entries.remove(key);
        return ReleaseResult.RELEASED;
    }

    /** Holds a key for another owner, as a second replica would. */
    public synchronized void holdForOther(InflightKey key, Duration ttl) {
        entries.put(key, new Entry(LockToken.of("another-replica"), clock.instant().plus(ttl)));
    }

    /** The live holder of a key. */
    public synchronized Optional<LockToken> holder(InflightKey key) {
        Entry e = entries.get(key);
        return e != null && e.expiresAt().isAfter(clock.instant()) ? Optional.of(e.token()) : Optional.empty();
    }

    /** Calls of {@link #tryAcquireAll} (one per tick with candidates). */
    public synchronized int acquireCalls() {
        return acquireCalls;
    }
}
