package org.elb.warmkeeper.spring.boot;

import org.elb.warmkeeper.redis.RedissonClients;

/**
 * Tunes the Redisson client the starter builds (from {@code elb.redis.url}, or from Boot's Redis
 * connection details), after the {@code elb.redis.*} properties are applied: every bean of this type is
 * called, in {@link org.springframework.core.Ordered order}. A {@code RedissonClient} bean of the
 * application's own replaces the starter's client altogether (and no customizer is called).
 */
@FunctionalInterface
public interface ElbRedissonCustomizer {

    void customize(RedissonClients.Builder builder);
}
