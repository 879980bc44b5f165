package org.elb.warmkeeper.core.provision;

import com.google.common.base.Ticker;
import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.elb.warmkeeper.core.cluster.OwnerId;

/**
 * The counting half of a {@link ProvisionPolicy}, for one process: provisions under way per owner, creates
 * accepted but not yet taken by ARM, and each owner's requests in its current minute.
 *
 * <p>Memory is bounded: an entry per provision under way, dropped when it ends; the rate windows live in
 * a Guava cache bounded by {@link ProvisionPolicy#maxTrackedOwners()} (least recently used dropped) whose
 * entries expire a minute after they were made, read on the service's {@link Clock}.
 */
final class ProvisionQuotas {

    static final Duration RATE_WINDOW = Duration.ofMinutes(1);

    private final ProvisionPolicy policy;
    /** owner -> requests accepted in the window that began with the first of them. */
    private final Cache<OwnerId, AtomicInteger> rate;
    /** Provisions under way, guarded by {@code this}. */
    private final Map<JobId, Entry> active = new HashMap<>();
    /** Provisions under way per owner, guarded by {@code this}; no zero entries. */
    private final Map<OwnerId, Integer> perOwner = new HashMap<>();
    /** Entries of {@link #active} not yet started, guarded by {@code this}. */
    private int queued;

    private static final class Entry {
        final OwnerId owner;
        boolean started;

        Entry(OwnerId owner, boolean started) {
            this.owner = owner;
            this.started = started;
        }
    }

    ProvisionQuotas(ProvisionPolicy policy, Clock clock) {
        this.policy = policy;
        this.rate = CacheBuilder.newBuilder()
                .maximumSize(policy.maxTrackedOwners())
                .expireAfterWrite(RATE_WINDOW.toNanos(), TimeUnit.NANOSECONDS)
                .ticker(ticker(clock))
                .build();
    }

    private static Ticker ticker(Clock clock) {
        return new Ticker() {
            @Override
            public long read() {
                java.time.Instant now = clock.instant();
                return now.getEpochSecond() * 1_000_000_000L + now.getNano();
            }
        };
    }

    /**
     * Counts a new provision of {@code owner} as {@code job}, queued, or refuses it: the owner's provisions
     * under way, then the queue, then the owner's rate (a refused request takes no slot and no rate).
     */
    synchronized void admit(OwnerId owner, JobId job) {
        int mine = perOwner.getOrDefault(owner, 0);
        if (mine >= policy.maxActivePerOwner()) {
            throw new ProvisionRefusedException(
                    ProvisionRule.MAX_ACTIVE_PER_OWNER,
                    Integer.toString(policy.maxActivePerOwner()),
                    "you have " + mine + " provisions under way, the most allowed at once; retry when one ends");
        }
        if (queued >= policy.maxQueued()) {
            throw new ProvisionRefusedException(
                    ProvisionRule.MAX_QUEUED,
                    Integer.toString(policy.maxQueued()),
                    "the queue of accepted creates is full (" + queued + "); retry later");
        }
        AtomicInteger window = rate.asMap().computeIfAbsent(owner, o -> new AtomicInteger());
        if (window.get() >= policy.ownerRatePerMinute()) {
            throw new ProvisionRefusedException(
                    ProvisionRule.OWNER_RATE,
                    policy.ownerRatePerMinute() + " per minute",
                    "more than " + policy.ownerRatePerMinute() + " provision requests in a minute; retry later");
        }
        window.incrementAndGet();
        active.put(job, new Entry(owner, false));
        perOwner.merge(owner, 1, Integer::sum);
        queued++;
    }

    /** Counts a provision followed again after a restart (already taken by ARM); no limit applies. */
    synchronized void track(OwnerId owner, JobId job) {
        if (active.putIfAbsent(job, new Entry(owner, true)) == null) {
            perOwner.merge(owner, 1, Integer::sum);
        }
    }

    /** ARM took the create: it leaves the queue (it still counts for its owner). */
    synchronized void started(JobId job) {
        Entry e = active.get(job);
        if (e != null && !e.started) {
            e.started = true;
            queued--;
        }
    }

    /** The provision ended (or was never begun): its slot is free. Idempotent. */
    synchronized void release(JobId job) {
        Entry e = active.remove(job);
        if (e == null) {
            return;
        }
        if (!e.started) {
            queued--;
        }
        perOwner.computeIfPresent(e.owner, (o, n) -> n <= 1 ? null : n - 1);
    }

    /** Provisions under way. */
    synchronized int active() {
        return active.size();
    }

    /** Owners with a provision under way. */
    synchronized int owners() {
        return perOwner.size();
    }

    /** Creates accepted but not yet taken by ARM. */
    synchronized int queued() {
        return queued;
    }

    /** Rate windows remembered (expired ones dropped first). */
    long rateWindows() {
        rate.cleanUp();
        return rate.size();
    }
}
