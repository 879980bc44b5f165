package org.elb.warmkeeper.testkit;

import java.time.Clock;
import java.time.Duration;
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
 * The production single-replica lock ({@code org.elb.warmkeeper.inmemory.InMemoryInflightLock}) with what
 * a test needs on top: while {@link #faults()} fails, every key answers UNAVAILABLE (and release
 * UNAVAILABLE), as the Redis lock does when Redis is gone; keys held "by another replica"; a call count.
 */
public final class InMemoryInflightLock implements InflightLock {

    private static final LockToken OTHER_REPLICA = LockToken.of("another-replica");

    private final org.elb.warmkeeper.inmemory.InMemoryInflightLock delegate;
    private final Faults faults = new Faults("memory-lock");
    private int acquireCalls;

    public InMemoryInflightLock(Clock clock) {
        this.delegate = org.elb.warmkeeper.inmemory.InMemoryInflightLock.create(clock);
    }

    public Faults faults() {
        return faults;
    }

    @Override
    public synchronized Map<InflightKey, Acquisition> tryAcquireAll(
            Set<InflightKey> keys, LockToken token, Duration ttl) {
        acquireCalls++;
        try {
            faults.check("tryAcquireAll");
        } catch (RuntimeException e) {
            Map<InflightKey, Acquisition> result = new LinkedHashMap<>();
            keys.forEach(k -> result.put(k, Acquisition.UNAVAILABLE));
            return result;
        }
        return delegate.tryAcquireAll(keys, token, ttl);
    }

    @Override
    public synchronized ReleaseResult release(InflightKey key, LockToken token) {
        try {
            faults.check("release");
        } catch (RuntimeException e) {
            return ReleaseResult.UNAVAILABLE;
        }
        return delegate.release(key, token);
    }

    /** Holds a free key for another owner, as a second replica would. */
    public synchronized void holdForOther(InflightKey key, Duration ttl) {
        delegate.tryAcquireAll(Set.of(key), OTHER_REPLICA, ttl);
    }

    /** The live holder of a key. */
    public synchronized Optional<LockToken> holder(InflightKey key) {
        return delegate.holder(key);
    }

    /** Calls of {@link #tryAcquireAll} (one per tick with candidates). */
    public synchronized int acquireCalls() {
        return acquireCalls;
    }
}
