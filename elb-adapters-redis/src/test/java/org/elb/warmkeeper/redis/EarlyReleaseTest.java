package org.elb.warmkeeper.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.elb.warmkeeper.core.cluster.ClusterRef;
import org.elb.warmkeeper.core.cluster.DatabaseName;
import org.elb.warmkeeper.core.warm.AutoWarmReconciler;
import org.elb.warmkeeper.core.warm.WarmStatus;
import org.elb.warmkeeper.inmemory.InMemoryWarmAttemptHistory;
import org.elb.warmkeeper.redis.support.Resp;
import org.elb.warmkeeper.redis.support.WarmClients;
import org.elb.warmkeeper.testkit.FakeWarmStatusProbe;
import org.elb.warmkeeper.testkit.InMemoryAutoWarmPreferences;
import org.elb.warmkeeper.testkit.InMemoryDatabaseInventory;
import org.elb.warmkeeper.testkit.MutableClock;
import org.elb.warmkeeper.testkit.RecordingWarmupDispatcher;
import org.elb.warmkeeper.testservers.TestRedis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.redisson.api.RedissonClient;

/**
 * Early release on the real Redis: once the dispatched warmup is seen LOADING, the reconciler deletes
 * its key by compare-and-delete with the token it dispatched under; a key another owner holds stays.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EarlyReleaseTest {

    private final String subscription = UUID.randomUUID().toString();
    private final ClusterRef cluster = ClusterRef.of(subscription, "rg-elb-prod", "elb-aks-1");
    private final DatabaseName db = DatabaseName.of("core_nt");
    private final String seedKey = "autowarmup:inflight:" + subscription + ":rg-elb-prod:elb-aks-1:core_nt";
    private TestRedis.Target target;
    private RedissonClient client;
    private Resp plain;

    private final MutableClock clock = MutableClock.start();
    private final FakeWarmStatusProbe statuses = new FakeWarmStatusProbe();
    private AutoWarmReconciler reconciler;

    @BeforeAll
    void start() {
        target = TestRedis.shared();
        client = WarmClients.warmClient(target.url(), "elb-early-release-test");
        plain = Resp.to(target);
        RedissonInflightLock lock = RedissonInflightLock.builder(client)
                .budget(Duration.ofSeconds(2))
                .build();
        InMemoryAutoWarmPreferences prefs = new InMemoryAutoWarmPreferences().enable(cluster, List.of(db));
        InMemoryDatabaseInventory inventory = new InMemoryDatabaseInventory().markDownloaded(cluster, db);
        reconciler = AutoWarmReconciler.builder(prefs, inventory, statuses, lock, new RecordingWarmupDispatcher(false))
                .clock(clock)
                .history(InMemoryWarmAttemptHistory.create())
                .build();
    }

    @AfterEach
    void clean() {
        plain.deleteMatching("autowarmup:inflight:" + subscription + ":*");
    }

    @AfterAll
    void stop() {
        plain.close();
        client.shutdown();
    }

    @Test
    void the_key_is_gone_once_loading_is_seen_and_a_non_owners_key_is_never_released() {
        statuses.set(cluster, db, WarmStatus.ABSENT);
        assertThat(reconciler.tick().enqueuedCount()).isEqualTo(1);
        assertThat(plain.call("GET", seedKey)).isNotNull();

        statuses.set(cluster, db, WarmStatus.LOADING);
        clock.advance(Duration.ofMinutes(1));
        reconciler.tick();

        assertThat(plain.call("EXISTS", seedKey)).isEqualTo(0L);

        // evicted: dispatched again at once, under a new key; then another owner (the dashboard) takes the key
        statuses.set(cluster, db, WarmStatus.ABSENT);
        clock.advance(Duration.ofMinutes(1));
        assertThat(reconciler.tick().enqueuedCount()).isEqualTo(1);
        plain.call("DEL", seedKey);
        assertThat(plain.call("SET", seedKey, "dashboard-token", "PX", "900000", "NX"))
                .isEqualTo("OK");

        statuses.set(cluster, db, WarmStatus.LOADING);
        clock.advance(Duration.ofMinutes(1));
        reconciler.tick();
        statuses.set(cluster, db, WarmStatus.READY);
        reconciler.tick();

        assertThat(plain.call("GET", seedKey)).isEqualTo("dashboard-token");
    }
}
