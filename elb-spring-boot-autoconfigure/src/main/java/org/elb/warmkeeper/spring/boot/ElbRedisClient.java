package org.elb.warmkeeper.spring.boot;

import org.redisson.api.RedissonClient;

/**
 * The Redisson client the library opens for {@code elb.redis.url}, in a type of its own: the
 * application's {@code RedissonClient} injection points (and Boot's or Redisson's own auto-configuration)
 * never meet it. Shut down with the context.
 */
public final class ElbRedisClient implements AutoCloseable {

    private final RedissonClient client;

    ElbRedisClient(RedissonClient client) {
        this.client = client;
    }

    public RedissonClient client() {
        return client;
    }

    @Override
    public void close() {
        client.shutdown();
    }
}
