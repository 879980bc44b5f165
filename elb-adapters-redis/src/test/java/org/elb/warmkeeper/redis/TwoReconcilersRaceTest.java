package org.elb.warmkeeper.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.elb.warmkeeper.core.cluster.DatabaseName;
import org.elb.warmkeeper.core.warm.AutoWarmReconciler;
import org.elb.warmkeeper.core.warm.ClusterOutcome;
import org.elb.warmkeeper.core.warm.Skip;
import org.elb.warmkeeper.core.warm.SkipReason;
import org.elb.warmkeeper.core.warm.TickReport;
import org.elb.warmkeeper.core.warm.WarmupDispatcher;
import org.elb.warmkeeper.redis.support.Resp;
import org.elb.warmkeeper.redis.support.WarmClients;
import org.elb.warmkeeper.redis.support.WarmFixture;
import org.elb.warmkeeper.testservers.TestRedis;
import org.junit.jupiter.api.Test;
import org.redisson.api.RedissonClient;

/**
 * Two reconcilers, each with its own Redisson client, tick at the same moment on one simulated world
 * for 200 ticks; warmups get evicted or fail now and then, so both keep wanting to re-enqueue.
 *
 * <p>Time: the reconcilers run on a {@link org.elb.warmkeeper.testkit.MutableClock} (a minute per
 * tick), but Redis expires keys in real time, so the lock TTL is a real 1 s and the 200 ticks run in
 * windows of 40: a window runs at full speed (it must take less than the TTL, which the test checks, or
 * the check would be unsound), then the test waits out the TTL, so every lock of one window has expired
 * before the next starts and none expires within a window. Hence "at most once per TTL window" is
 * exactly: within a window, each database is dispatched at most once by the two reconcilers together.
 * Every dispatch call is counted, including those the idempotent world answers ALREADY_RUNNING, so the
 * world's own idempotency cannot hide a double enqueue.
 */
class TwoReconcilersRaceTest {

    /** Long enough for a window of 40 tick pairs on a loaded 2-core machine (seen: 1.1 s). */
    private static final Duration TTL = Duration.ofSeconds(2);

    private static final int TICKS = 200;
    private static final int WINDOW = 40;
    /**
     * A generous budget: this test is about mutual exclusion, and a call that fails open (allowed to
     * enqueue twice by design) on a loaded machine would make it fail for the wrong reason.
     */
    private static final Duration BUDGET = Duration.ofSeconds(2);

    private record Attempt(int window, int tick, DatabaseName db, String by) {}

    @Test
    void every_database_is_dispatched_at_most_once_per_ttl_window() throws Exception {
        TestRedis.Target target = TestRedis.shared();
        WarmFixture f = new WarmFixture(12, 3, 3);
        RedissonClient clientA = WarmClients.warmClient(target.url(), "elb-race-a");
        RedissonClient clientB = WarmClients.warmClient(target.url(), "elb-race-b");
        List<Attempt> attempts = new ArrayList<>();
        int[] current = {0, 0}; // window, tick
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            AutoWarmReconciler a = f.reconciler(
                    RedissonInflightLock.builder(clientA).budget(BUDGET).build(),
                    recording(f, attempts, current, "a"),
                    TTL);
            AutoWarmReconciler b = f.reconciler(
                    RedissonInflightLock.builder(clientB).budget(BUDGET).build(),
                    recording(f, attempts, current, "b"),
                    TTL);
            CyclicBarrier together = new CyclicBarrier(2);
            Random random = new Random(42);
            List<TickReport> reports = new ArrayList<>();
            long windowStart = System.nanoTime();

            for (int tick = 0; tick < TICKS; tick++) {
                synchronized (attempts) {
                    current[0] = tick / WINDOW;
                    current[1] = tick;
                }
                Future<TickReport> ra = pool.submit(() -> {
                    together.await();
                    return a.tick();
                });
                Future<TickReport> rb = pool.submit(() -> {
                    together.await();
                    return b.tick();
                });
                reports.add(ra.get(30, TimeUnit.SECONDS));
                reports.add(rb.get(30, TimeUnit.SECONDS));

                f.world.advance();
                f.clock.advance(Duration.ofMinutes(1));
                if (tick % 4 == 3) { // a warmup pod goes away or a warmup fails
                    DatabaseName db = f.dbs.get(random.nextInt(f.dbs.size()));
                    if (random.nextBoolean()) {
                        f.world.evict(f.cluster, db);
                    } else {
                        f.world.failWarmup(f.cluster, db);
                    }
                }
                if (tick % WINDOW == WINDOW - 1) {
                    Duration span = Duration.ofNanos(System.nanoTime() - windowStart);
                    assertThat(span)
                            .as("window %d must run within one TTL for the check to be sound", tick / WINDOW)
                            .isLessThan(TTL);
                    Thread.sleep(TTL.toMillis() + 150);
                    windowStart = System.nanoTime();
                }
            }

            List<ClusterOutcome> outcomes = reports.stream()
                    .map(r -> r.outcome(f.cluster).orElseThrow())
                    .toList();
            assertThat(outcomes)
                    .allSatisfy(o ->
                            assertThat(o.failOpen()).as("fail-open decisions").isZero());
            Map<String, Integer> perWindowAndDb = new HashMap<>();
            synchronized (attempts) {
                for (Attempt at : attempts) {
                    perWindowAndDb.merge(at.window() + "/" + at.db(), 1, Integer::sum);
                }
                perWindowAndDb.forEach((k, n) -> assertThat(n)
                        .as(
                                "dispatches of window/db %s: %s",
                                k,
                                attempts.stream()
                                        .filter(at -> (at.window() + "/" + at.db()).equals(k))
                                        .toList())
                        .isEqualTo(1));
                assertThat(attempts).extracting(Attempt::db).containsAll(f.dbs);
                assertThat(attempts.stream().map(Attempt::window).distinct().count())
                        .as("windows with re-enqueues")
                        .isEqualTo(TICKS / WINDOW);
            }
            long inflightSkips = outcomes.stream()
                    .flatMap(o -> o.skipped().stream())
                    .map(Skip::reason)
                    .filter(r -> r == SkipReason.INFLIGHT)
                    .count();
            assertThat(inflightSkips)
                    .as("skips because the other reconciler held the lock")
                    .isPositive();
        } finally {
            pool.shutdownNow();
            clientA.shutdown();
            clientB.shutdown();
            try (Resp resp = Resp.to(target)) {
                resp.deleteMatching(f.keyPattern());
            }
        }
    }

    private static WarmupDispatcher recording(WarmFixture f, List<Attempt> attempts, int[] current, String by) {
        return request -> {
            synchronized (attempts) {
                attempts.add(new Attempt(current[0], current[1], request.database(), by));
            }
            return f.world.enqueue(request);
        };
    }
}
