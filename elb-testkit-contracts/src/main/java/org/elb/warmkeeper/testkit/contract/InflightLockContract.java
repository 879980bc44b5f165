package org.elb.warmkeeper.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.elb.warmkeeper.core.cluster.ClusterRef;
import org.elb.warmkeeper.core.cluster.DatabaseName;
import org.elb.warmkeeper.core.warm.Acquisition;
import org.elb.warmkeeper.core.warm.InflightKey;
import org.elb.warmkeeper.core.warm.InflightLock;
import org.elb.warmkeeper.core.warm.LockToken;
import org.elb.warmkeeper.core.warm.ReleaseResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link InflightLock} must have. Extend it with {@link #createLock()} and, for a
 * backend that keeps real time, nothing else (a lock whose store can be out extends
 * {@link FallibleInflightLockContract}, which adds the outage hooks): by default {@link #advanceTime} sleeps and the expiry tests use a {@link #ttlForExpiryTests()
 * short real TTL}. A fake on a settable clock overrides {@link #advanceTime} to move its clock.
 *
 * <p>Every test works on keys of a fresh random cluster ({@link #cluster()}), so a suite may run
 * against a shared store; {@link #cleanUp(Set)} gets every key a test touched.
 */
public abstract class InflightLockContract {

    /** Keys of this test: a random cluster, so runs against a shared store never collide. */
    private final ClusterRef cluster = ClusterRef.of(
            UUID.randomUUID().toString(),
            "elb-contract-" + UUID.randomUUID().toString().substring(0, 8),
            "aks-contract");

    private final Set<InflightKey> used = ConcurrentHashMap.newKeySet();
    private InflightLock lock;

    /** A lock on a store in which no key of {@link #cluster()} is held. Called before each test. */
    protected abstract InflightLock createLock();

    /** The TTL of the expiry tests. Default 300 ms: a real backend waits it out. */
    protected Duration ttlForExpiryTests() {
        return Duration.ofMillis(300);
    }

    /** A TTL that never runs out during a test. Default 2 min. */
    protected Duration longTtl() {
        return Duration.ofMinutes(2);
    }

    /** Lets {@code by} pass for the store. Default: sleep. A fake on a settable clock advances it. */
    protected void advanceTime(Duration by) throws InterruptedException {
        Thread.sleep(by.toMillis());
    }

    /** Threads of the contention tests. Default 8. */
    protected int contentionThreads() {
        return 8;
    }

    /** Calls per thread in the contention tests. Default 40. */
    protected int contentionRounds() {
        return 40;
    }

    /** Deletes what a test left behind in a shared store. Default: nothing (TTLs expire them). */
    protected void cleanUp(Set<InflightKey> keys) {}

    /** The lock under test. */
    protected final InflightLock lock() {
        return lock;
    }

    /** The random cluster whose keys this test uses. */
    protected final ClusterRef cluster() {
        return cluster;
    }

    /** A key of {@link #cluster()}; recorded for {@link #cleanUp}. */
    protected final InflightKey key(String db) {
        InflightKey k = new InflightKey(cluster, DatabaseName.of(db));
        used.add(k);
        return k;
    }

    protected final Set<InflightKey> keys(int n) {
        Set<InflightKey> out = new LinkedHashSet<>();
        for (int i = 0; i < n; i++) {
            out.add(key("db_" + i));
        }
        return out;
    }

    @BeforeEach
    final void createLockUnderTest() {
        lock = createLock();
    }

    @AfterEach
    final void cleanUpKeys() {
        cleanUp(Set.copyOf(used));
    }

    @Test
    void acquires_many_free_keys_in_one_call() {
        Set<InflightKey> keys = keys(50);

        Map<InflightKey, Acquisition> result = lock.tryAcquireAll(keys, LockToken.of("owner-a"), longTtl());

        assertThat(result).containsOnlyKeys(keys);
        assertThat(result.values()).containsOnly(Acquisition.ACQUIRED);
    }

    @Test
    void answers_every_requested_key_when_some_are_held() {
        List<InflightKey> keys = new ArrayList<>(keys(10));
        Set<InflightKey> firstHalf = new LinkedHashSet<>(keys.subList(0, 5));
        assertThat(lock.tryAcquireAll(firstHalf, LockToken.of("owner-a"), longTtl())
                        .values())
                .containsOnly(Acquisition.ACQUIRED);

        Map<InflightKey, Acquisition> result =
                lock.tryAcquireAll(new LinkedHashSet<>(keys), LockToken.of("owner-b"), longTtl());

        assertThat(result).containsOnlyKeys(keys);
        for (InflightKey k : keys) {
            assertThat(result.get(k))
                    .as(k.encode())
                    .isEqualTo(firstHalf.contains(k) ? Acquisition.HELD : Acquisition.ACQUIRED);
        }
    }

    @Test
    void empty_request_answers_empty_map() {
        assertThat(lock.tryAcquireAll(Set.of(), LockToken.of("owner-a"), longTtl()))
                .isEmpty();
    }

    @Test
    void key_held_by_another_token_answers_held() {
        InflightKey k = key("core_nt");
        assertThat(lock.tryAcquireAll(Set.of(k), LockToken.of("owner-a"), longTtl()))
                .containsEntry(k, Acquisition.ACQUIRED);

        assertThat(lock.tryAcquireAll(Set.of(k), LockToken.of("owner-b"), longTtl()))
                .containsEntry(k, Acquisition.HELD);
    }

    @Test
    void lock_is_not_reentrant_the_same_token_gets_held() {
        InflightKey k = key("swissprot");
        LockToken a = LockToken.of("owner-a");
        lock.tryAcquireAll(Set.of(k), a, longTtl());

        assertThat(lock.tryAcquireAll(Set.of(k), a, longTtl())).containsEntry(k, Acquisition.HELD);
    }

    @Test
    void release_by_owner_frees_the_key_for_the_next_acquire() {
        InflightKey k = key("core_nt");
        LockToken a = LockToken.of("owner-a");
        lock.tryAcquireAll(Set.of(k), a, longTtl());

        assertThat(lock.release(k, a)).isEqualTo(ReleaseResult.RELEASED);
        assertThat(lock.tryAcquireAll(Set.of(k), LockToken.of("owner-b"), longTtl()))
                .containsEntry(k, Acquisition.ACQUIRED);
    }

    @Test
    void release_by_a_non_owner_never_deletes() {
        InflightKey k = key("core_nt");
        LockToken a = LockToken.of("owner-a");
        lock.tryAcquireAll(Set.of(k), a, longTtl());

        assertThat(lock.release(k, LockToken.of("owner-b"))).isEqualTo(ReleaseResult.NOT_OWNER);

        assertThat(lock.tryAcquireAll(Set.of(k), LockToken.of("owner-c"), longTtl()))
                .containsEntry(k, Acquisition.HELD);
        assertThat(lock.release(k, a)).isEqualTo(ReleaseResult.RELEASED);
    }

    @Test
    void release_of_an_absent_key_or_a_second_release_is_not_owner() {
        InflightKey k = key("core_nt");
        LockToken a = LockToken.of("owner-a");
        assertThat(lock.release(k, a)).isEqualTo(ReleaseResult.NOT_OWNER);

        lock.tryAcquireAll(Set.of(k), a, longTtl());
        assertThat(lock.release(k, a)).isEqualTo(ReleaseResult.RELEASED);
        assertThat(lock.release(k, a)).isEqualTo(ReleaseResult.NOT_OWNER);
    }

    @Test
    void expiry_frees_the_key_and_a_late_release_never_deletes_the_next_holder() throws Exception {
        InflightKey k = key("core_nt");
        LockToken a = LockToken.of("owner-a");
        assertThat(lock.tryAcquireAll(Set.of(k), a, ttlForExpiryTests())).containsEntry(k, Acquisition.ACQUIRED);

        advanceTime(ttlForExpiryTests().plusMillis(100));

        LockToken b = LockToken.of("owner-b");
        assertThat(lock.tryAcquireAll(Set.of(k), b, longTtl())).containsEntry(k, Acquisition.ACQUIRED);
        assertThat(lock.release(k, a)).isEqualTo(ReleaseResult.NOT_OWNER);
        assertThat(lock.tryAcquireAll(Set.of(k), LockToken.of("owner-c"), longTtl()))
                .containsEntry(k, Acquisition.HELD);
    }

    @Test
    void a_key_stays_held_until_its_own_ttl_runs_out() throws Exception {
        InflightKey shortLived = key("short_lived");
        InflightKey longLived = key("long_lived");
        LockToken a = LockToken.of("owner-a");
        lock.tryAcquireAll(Set.of(shortLived), a, ttlForExpiryTests());
        lock.tryAcquireAll(Set.of(longLived), a, longTtl());

        advanceTime(ttlForExpiryTests().plusMillis(100));

        Map<InflightKey, Acquisition> result =
                lock.tryAcquireAll(Set.of(shortLived, longLived), LockToken.of("owner-b"), longTtl());
        assertThat(result).containsEntry(shortLived, Acquisition.ACQUIRED).containsEntry(longLived, Acquisition.HELD);
    }

    /**
     * 8 threads try to take the same keys over and over, each with its own token, within one TTL:
     * each key is acquired exactly once, every other answer is HELD, and only the winner can release.
     */
    @Test
    void contention_each_key_is_acquired_exactly_once_per_ttl() throws Exception {
        Set<InflightKey> keys = keys(16);
        int threads = contentionThreads();
        int rounds = contentionRounds();
        Map<InflightKey, List<LockToken>> winners = new ConcurrentHashMap<>();
        AtomicLong held = new AtomicLong();
        AtomicLong other = new AtomicLong();
        CyclicBarrier start = new CyclicBarrier(threads);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                LockToken token = LockToken.of("contender-" + t);
                futures.add(pool.submit(() -> {
                    start.await();
                    for (int r = 0; r < rounds; r++) {
                        Map<InflightKey, Acquisition> result = lock.tryAcquireAll(keys, token, longTtl());
                        assertThat(result).containsOnlyKeys(keys);
                        result.forEach((k, acq) -> {
                            switch (acq) {
                                case ACQUIRED ->
                                    winners.computeIfAbsent(k, x -> new CopyOnWriteArrayList<>())
                                            .add(token);
                                case HELD -> held.incrementAndGet();
                                case UNAVAILABLE -> other.incrementAndGet();
                            }
                        });
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get(2, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(other.get()).as("UNAVAILABLE answers").isZero();
        assertThat(winners).containsOnlyKeys(keys);
        winners.forEach(
                (k, tokens) -> assertThat(tokens).as("winners of " + k.encode()).hasSize(1));
        assertThat(held.get()).isEqualTo((long) threads * rounds * keys.size() - keys.size());
        for (Map.Entry<InflightKey, List<LockToken>> won : winners.entrySet()) {
            InflightKey k = won.getKey();
            LockToken winner = won.getValue().get(0);
            LockToken loser = LockToken.of(winner.value().equals("contender-0") ? "contender-1" : "contender-0");
            assertThat(lock.release(k, loser)).isEqualTo(ReleaseResult.NOT_OWNER);
            assertThat(lock.release(k, winner)).isEqualTo(ReleaseResult.RELEASED);
        }
    }

    /**
     * 8 threads take one key, increment a plain counter while holding it, and release it (the ShedLock
     * fuzz test): never two holders at once, and the counter equals the number of acquisitions exactly.
     */
    @Test
    void contention_with_release_gives_mutual_exclusion_and_exact_totals() throws Exception {
        InflightKey k = key("fuzz");
        int threads = contentionThreads();
        int rounds = contentionRounds();
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger overlaps = new AtomicInteger();
        AtomicInteger acquisitions = new AtomicInteger();
        AtomicInteger releases = new AtomicInteger();
        Map<String, Integer> badAnswers = new ConcurrentHashMap<>();
        int[] counter = {0};
        CyclicBarrier start = new CyclicBarrier(threads);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                LockToken token = LockToken.of("fuzzer-" + t);
                futures.add(pool.submit(() -> {
                    start.await();
                    for (int r = 0; r < rounds; r++) {
                        Acquisition acq =
                                lock.tryAcquireAll(Set.of(k), token, longTtl()).get(k);
                        if (acq == Acquisition.UNAVAILABLE || acq == null) {
                            badAnswers.merge("acquire:" + acq, 1, Integer::sum);
                        }
                        if (acq != Acquisition.ACQUIRED) {
                            continue;
                        }
                        if (inside.incrementAndGet() != 1) {
                            overlaps.incrementAndGet();
                        }
                        acquisitions.incrementAndGet();
                        int v = counter[0];
                        Thread.yield();
                        counter[0] = v + 1;
                        inside.decrementAndGet();
                        ReleaseResult rel = lock.release(k, token);
                        if (rel == ReleaseResult.RELEASED) {
                            releases.incrementAndGet();
                        } else {
                            badAnswers.merge("release:" + rel, 1, Integer::sum);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get(2, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(badAnswers).isEmpty();
        assertThat(overlaps.get()).as("times two threads held the key at once").isZero();
        assertThat(acquisitions.get()).isPositive();
        assertThat(counter[0]).isEqualTo(acquisitions.get());
        assertThat(releases.get()).isEqualTo(acquisitions.get());
    }
}
