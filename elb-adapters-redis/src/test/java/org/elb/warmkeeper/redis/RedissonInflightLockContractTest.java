package org.elb.warmkeeper.redis;

import java.time.Duration;
import java.util.Set;
import org.elb.warmkeeper.core.warm.InflightKey;
import org.elb.warmkeeper.core.warm.InflightLock;
import org.elb.warmkeeper.redis.support.Resp;
import org.elb.warmkeeper.redis.support.WarmClients;
import org.elb.warmkeeper.testkit.contract.FallibleInflightLockContract;
import org.elb.warmkeeper.testservers.TcpProxy;
import org.elb.warmkeeper.testservers.TestRedis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * The testkit's contract suite against a real Redis, through a local TCP proxy so that the outage test
 * can freeze the path. Time is real: the expiry tests use a 300 ms TTL and sleep.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RedissonInflightLockContractTest extends FallibleInflightLockContract {

    /**
     * 1 s rather than the default 250 ms: the contention tests assert that no call fails open, which a
     * loaded shared machine can otherwise break; the default budget is held to by the fault tests.
     */
    private static final Duration BUDGET = Duration.ofSeconds(1);

    private TestRedis.Target target;
    private TcpProxy proxy;
    private org.redisson.api.RedissonClient client;
    private RedissonInflightLock lock;

    @BeforeAll
    void startClient() {
        target = TestRedis.shared();
        proxy = new TcpProxy(target.host(), target.port());
        client = WarmClients.warmClient(proxy.redisUrl(target.database()), "elb-contract-test");
        lock = RedissonInflightLock.builder(client).budget(BUDGET).build();
    }

    @AfterAll
    void stopClient() {
        client.shutdown();
        proxy.close();
    }

    @Override
    protected InflightLock createLock() {
        return lock;
    }

    @Override
    protected void startOutage() {
        proxy.freeze();
    }

    @Override
    protected void endOutage() {
        proxy.thaw();
    }

    @Override
    protected Duration unavailableBound() {
        // the budget plus scheduling slack on a shared 2-core machine
        return BUDGET.plusMillis(250);
    }

    @Override
    protected void cleanUp(Set<InflightKey> keys) {
        try (Resp resp = Resp.to(target)) {
            for (InflightKey k : keys) {
                resp.call("DEL", k.encode());
            }
        }
    }
}
