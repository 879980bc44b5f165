package org.elb.warmkeeper.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.elb.warmkeeper.core.cluster.DatabaseName;
import org.elb.warmkeeper.core.cluster.OwnerId;
import org.elb.warmkeeper.core.provision.JobId;
import org.elb.warmkeeper.core.provision.JobStateChange;
import org.elb.warmkeeper.core.provision.JobStatus;
import org.elb.warmkeeper.core.warm.Acquisition;
import org.elb.warmkeeper.core.warm.AutoWarmReconciler;
import org.elb.warmkeeper.core.warm.ClusterOutcome;
import org.elb.warmkeeper.core.warm.InflightKey;
import org.elb.warmkeeper.core.warm.LockToken;
import org.elb.warmkeeper.core.warm.ReleaseResult;
import org.elb.warmkeeper.core.warm.TickReport;
import org.elb.warmkeeper.redis.support.Resp;
import org.elb.warmkeeper.redis.support.WarmClients;
import org.elb.warmkeeper.redis.support.WarmFixture;
import org.elb.warmkeeper.testservers.TcpProxy;
import org.elb.warmkeeper.testservers.TestRedis;
import org.junit.jupiter.api.Test;
import org.redisson.api.RedissonClient;

/**
 * Redis unreachable at start, stopped mid-run and frozen: each time the lock answers UNAVAILABLE within
 * its budget, the reconciler fails open (enqueues and counts it), a job-state publish returns without
 * throwing, and the lock works again once Redis is back, without a new client.
 */
class RedissonInflightLockFaultTest {

    /** The budget plus scheduling slack on a shared 2-core machine. */
    private static final Duration BOUND = RedissonInflightLock.DEFAULT_BUDGET.plusMillis(250);

    private static final Duration RECOVERY = Duration.ofSeconds(20);

    @Test
    void nothing_listening_at_start_fails_open_then_works_once_redis_starts() {
        int port = TestRedis.freePort();
        RedissonClient client = RedissonClients.create("redis://127.0.0.1:" + port); // lazy: never throws here
        TestRedis.Embedded server = null;
        try {
            RedissonInflightLock lock = RedissonInflightLock.of(client);
            WarmFixture f = new WarmFixture(3, 2, 2);

            assertFailsOpen(lock, client, f);

            server = TestRedis.startEmbedded(port);
            assertRecovers(lock, client, f);
        } finally {
            client.shutdown();
            if (server != null) {
                server.stop();
            }
        }
    }

    @Test
    void server_stopped_mid_run_fails_open_then_works_after_restart() {
        int port = TestRedis.freePort();
        TestRedis.Embedded server = TestRedis.startEmbedded(port);
        RedissonClient client = WarmClients.warmClient("redis://127.0.0.1:" + port, "elb-fault-test");
        try {
            RedissonInflightLock lock = RedissonInflightLock.of(client);
            WarmFixture f = new WarmFixture(3, 2, 2);
            InflightKey before = new InflightKey(f.cluster, DatabaseName.of("before"));
            assertThat(patient(client).tryAcquireAll(Set.of(before), LockToken.random(), Duration.ofMinutes(1)))
                    .containsEntry(before, Acquisition.ACQUIRED);

            server.stop();
            assertFailsOpen(lock, client, f);

            server = TestRedis.startEmbedded(port);
            assertRecovers(lock, client, f);
        } finally {
            client.shutdown();
            server.stop();
        }
    }

    @Test
    void server_frozen_fails_open_then_works_after_it_thaws() {
        TestRedis.Target target = TestRedis.shared();
        WarmFixture f = new WarmFixture(3, 2, 2);
        try (TcpProxy proxy = new TcpProxy(target.host(), target.port())) {
            RedissonClient client = WarmClients.warmClient(proxy.redisUrl(target.database()), "elb-fault-test");
            try {
                RedissonInflightLock lock = RedissonInflightLock.of(client);
                InflightKey before = new InflightKey(f.cluster, DatabaseName.of("before"));
                assertThat(patient(client).tryAcquireAll(Set.of(before), LockToken.random(), Duration.ofMinutes(1)))
                        .containsEntry(before, Acquisition.ACQUIRED);

                proxy.freeze();
                try {
                    assertFailsOpen(lock, client, f);
                } finally {
                    proxy.thaw();
                }
                assertRecovers(lock, client, f);
            } finally {
                client.shutdown();
            }
        } finally {
            try (Resp resp = Resp.to(target)) {
                resp.deleteMatching(f.keyPattern());
            }
        }
    }

    /**
     * Frozen before the client ever connected: Redisson's lazy first connect runs on the thread of the
     * first command and takes about 2 s against a frozen server; the lock must still answer in budget.
     */
    @Test
    void server_frozen_before_the_first_connection_fails_open_then_works_after_it_thaws() {
        TestRedis.Target target = TestRedis.shared();
        WarmFixture f = new WarmFixture(3, 2, 2);
        try (TcpProxy proxy = new TcpProxy(target.host(), target.port())) {
            proxy.freeze();
            RedissonClient client = RedissonClients.builder(proxy.redisUrl(target.database()))
                    .clientName("elb-fault-test")
                    .build();
            try {
                RedissonInflightLock lock = RedissonInflightLock.of(client);
                try {
                    assertFailsOpen(lock, client, f);
                    for (int i = 0; i < 3; i++) { // while the first connect attempt is still stuck
                        InflightKey k = new InflightKey(f.cluster, DatabaseName.of("again_" + i));
                        long t0 = System.nanoTime();
                        assertThat(lock.tryAcquireAll(Set.of(k), LockToken.random(), Duration.ofMinutes(1)))
                                .containsEntry(k, Acquisition.UNAVAILABLE);
                        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThanOrEqualTo(BOUND);
                    }
                } finally {
                    proxy.thaw();
                }
                assertRecovers(lock, client, f);
            } finally {
                client.shutdown();
            }
        } finally {
            try (Resp resp = Resp.to(target)) {
                resp.deleteMatching(f.keyPattern());
            }
        }
    }

    private static void assertFailsOpen(RedissonInflightLock lock, RedissonClient client, WarmFixture f) {
        Set<InflightKey> keys = new LinkedHashSet<>();
        for (int i = 0; i < 50; i++) {
            keys.add(new InflightKey(f.cluster, DatabaseName.of("probe_" + i)));
        }
        long t0 = System.nanoTime();
        Map<InflightKey, Acquisition> result = lock.tryAcquireAll(keys, LockToken.random(), Duration.ofMinutes(1));
        Duration acquireTook = Duration.ofNanos(System.nanoTime() - t0);
        assertThat(result).containsOnlyKeys(keys);
        assertThat(result.values()).containsOnly(Acquisition.UNAVAILABLE);
        assertThat(acquireTook).isLessThanOrEqualTo(BOUND);

        long t1 = System.nanoTime();
        assertThat(lock.release(keys.iterator().next(), LockToken.of("someone")))
                .isEqualTo(ReleaseResult.UNAVAILABLE);
        assertThat(Duration.ofNanos(System.nanoTime() - t1)).isLessThanOrEqualTo(BOUND);

        AutoWarmReconciler reconciler = f.reconciler(lock);
        TickReport report = reconciler.tick();
        ClusterOutcome outcome = report.outcome(f.cluster).orElseThrow();
        assertThat(outcome.enqueued()).containsExactlyElementsOf(f.dbs);
        assertThat(outcome.failOpen()).isEqualTo(f.dbs.size());
        assertThat(report.duration()).isLessThanOrEqualTo(BOUND);

        RedissonJobStateEvents events = RedissonJobStateEvents.of(client);
        long t2 = System.nanoTime();
        events.publish(new JobStateChange(
                JobId.random(),
                "aks_provision",
                OwnerId.of("owner-1"),
                JobStatus.RUNNING,
                null,
                "Creating",
                2,
                Instant.parse("2026-01-01T00:00:00Z")));
        assertThat(Duration.ofNanos(System.nanoTime() - t2)).isLessThanOrEqualTo(BOUND);
    }

    private static void assertRecovers(RedissonInflightLock lock, RedissonClient client, WarmFixture f) {
        long deadline = System.nanoTime() + RECOVERY.toNanos();
        Acquisition after;
        int attempt = 0;
        do {
            // a fresh key per attempt: one that timed out may still be applied late
            InflightKey k = new InflightKey(f.cluster, DatabaseName.of("after_" + attempt++));
            after = lock.tryAcquireAll(Set.of(k), LockToken.random(), Duration.ofMinutes(1))
                    .get(k);
            if (after != Acquisition.ACQUIRED) {
                sleep(100);
            }
        } while (after != Acquisition.ACQUIRED && System.nanoTime() < deadline);
        assertThat(after).as("lock works again after redis is back").isEqualTo(Acquisition.ACQUIRED);

        // The reconciler uses the lock again: a new cold database is enqueued under the lock, no fail-open.
        DatabaseName fresh =
                DatabaseName.of("cold_" + UUID.randomUUID().toString().substring(0, 8));
        f.world.database(f.cluster, fresh, true, org.elb.warmkeeper.core.warm.WarmStatus.ABSENT);
        f.preferences.enable(f.cluster, java.util.List.of(fresh));
        // (a generous budget on the same client: a fail-open on a loaded machine is not what this checks)
        RedissonInflightLock patient = patient(client);
        TickReport report = f.reconciler(patient).tick();
        ClusterOutcome outcome = report.outcome(f.cluster).orElseThrow();
        assertThat(outcome.enqueued()).containsExactly(fresh);
        assertThat(outcome.failOpen()).isZero();
        InflightKey freshKey = new InflightKey(f.cluster, fresh);
        assertThat(patient.tryAcquireAll(Set.of(freshKey), LockToken.random(), Duration.ofMinutes(1)))
                .containsEntry(freshKey, Acquisition.HELD);
    }

    /** The same client with a generous budget, for healthy-path preconditions on a loaded machine. */
    private static RedissonInflightLock patient(RedissonClient client) {
        return RedissonInflightLock.builder(client)
                .budget(Duration.ofSeconds(2))
                .build();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
