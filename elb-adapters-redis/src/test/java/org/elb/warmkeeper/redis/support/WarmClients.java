package org.elb.warmkeeper.redis.support;

import org.elb.warmkeeper.redis.RedissonClients;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

/**
 * Redisson clients for tests, on a Redis from {@link org.elb.warmkeeper.testservers.TestRedis} (the
 * machine's, or embedded).
 */
public final class WarmClients {

    private WarmClients() {}

    /**
     * A tuned client on {@code url} whose connections are open: the first call of a cold client
     * (connect, JIT) may take longer than the lock's 250 ms budget and fail open, which a test of the
     * healthy path must not see.
     */
    public static RedissonClient warmClient(String url, String clientName) {
        RedissonClient client =
                RedissonClients.builder(url).clientName(clientName).build();
        RuntimeException last = null;
        for (int i = 0; i < 50; i++) {
            try {
                client.getBucket("elb-test-warmup", StringCodec.INSTANCE).isExists();
                return client;
            } catch (RuntimeException e) {
                last = e;
                try {
                    Thread.sleep(100);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        client.shutdown();
        throw new IllegalStateException("redis at " + url + " did not answer", last);
    }
}
