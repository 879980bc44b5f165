package org.elb.warmkeeper.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.elb.warmkeeper.core.cluster.ClusterRef;
import org.elb.warmkeeper.core.cluster.DatabaseName;
import org.elb.warmkeeper.core.warm.Acquisition;
import org.elb.warmkeeper.core.warm.InflightKey;
import org.elb.warmkeeper.core.warm.InflightLock;
import org.elb.warmkeeper.core.warm.LockToken;
import org.elb.warmkeeper.core.warm.ReleaseResult;
import org.elb.warmkeeper.redis.support.Resp;
import org.elb.warmkeeper.redis.support.WarmClients;
import org.elb.warmkeeper.testservers.TestRedis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.redisson.api.RedissonClient;

/**
 * The lock as the seed's dashboard sees it, through a plain RESP client (as redis-py would): the
 * seed's key format, the token as plain text, a 15-minute TTL; and locks the dashboard takes are
 * honoured by the adapter.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RedissonInflightLockInteropTest {

    private final String subscription = UUID.randomUUID().toString();
    private final ClusterRef cluster = ClusterRef.of(subscription, "rg-elb-prod", "elb-aks-1");
    private TestRedis.Target target;
    private RedissonClient client;
    private RedissonInflightLock lock;
    private Resp plain;

    @BeforeAll
    void start() {
        target = TestRedis.shared();
        client = WarmClients.warmClient(target.url(), "elb-interop-test");
        lock = RedissonInflightLock.builder(client)
                .budget(Duration.ofSeconds(2))
                .build();
        plain = Resp.to(target);
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
    void a_plain_client_reads_the_seed_key_format_a_text_token_and_a_900_s_ttl() {
        InflightKey key = new InflightKey(cluster, DatabaseName.of("core_nt"));
        LockToken token = LockToken.of("replica-7:" + UUID.randomUUID());

        assertThat(lock.tryAcquireAll(Set.of(key), token, InflightLock.DEFAULT_TTL))
                .containsEntry(key, Acquisition.ACQUIRED);

        String seedKey = "autowarmup:inflight:" + subscription + ":rg-elb-prod:elb-aks-1:core_nt";
        assertThat(plain.call("GET", seedKey)).isEqualTo(token.value());
        assertThat(plain.call("TYPE", seedKey)).isEqualTo("string");
        long pttl = (Long) plain.call("PTTL", seedKey);
        assertThat(pttl)
                .isBetween(
                        Duration.ofSeconds(895).toMillis(),
                        Duration.ofSeconds(900).toMillis());
    }

    @Test
    void a_lock_the_dashboard_took_is_held_and_only_its_token_releases_it() {
        String seedKey = "autowarmup:inflight:" + subscription + ":rg-elb-prod:elb-aks-1:swissprot";
        // what the Python dashboard does: SET key token PX 900000 NX
        assertThat(plain.call("SET", seedKey, "dashboard-token", "PX", "900000", "NX"))
                .isEqualTo("OK");
        InflightKey key = new InflightKey(cluster, DatabaseName.of("swissprot"));

        assertThat(lock.tryAcquireAll(Set.of(key), LockToken.of("java-replica"), InflightLock.DEFAULT_TTL))
                .containsEntry(key, Acquisition.HELD);
        assertThat(lock.release(key, LockToken.of("java-replica"))).isEqualTo(ReleaseResult.NOT_OWNER);
        assertThat(plain.call("GET", seedKey)).isEqualTo("dashboard-token");

        assertThat(lock.release(key, LockToken.of("dashboard-token"))).isEqualTo(ReleaseResult.RELEASED);
        assertThat(plain.call("EXISTS", seedKey)).isEqualTo(0L);
    }

    @Test
    void every_key_of_a_1000_key_call_is_written_with_its_own_ttl() {
        Set<InflightKey> keys = new java.util.LinkedHashSet<>();
        for (int i = 0; i < 1000; i++) {
            keys.add(new InflightKey(cluster, DatabaseName.of("db_" + i)));
        }
        Map<InflightKey, Acquisition> result = lock.tryAcquireAll(keys, LockToken.of("bulk"), Duration.ofMinutes(5));

        assertThat(result).hasSize(1000);
        assertThat(result.values()).containsOnly(Acquisition.ACQUIRED);
        assertThat(plain.call("GET", "autowarmup:inflight:" + subscription + ":rg-elb-prod:elb-aks-1:db_999"))
                .isEqualTo("bulk");
        assertThat((Long) plain.call("PTTL", "autowarmup:inflight:" + subscription + ":rg-elb-prod:elb-aks-1:db_0"))
                .isBetween(
                        Duration.ofMinutes(4).toMillis(), Duration.ofMinutes(5).toMillis());
    }
}
