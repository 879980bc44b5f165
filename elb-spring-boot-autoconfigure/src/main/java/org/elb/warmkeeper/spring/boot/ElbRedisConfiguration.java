package org.elb.warmkeeper.spring.boot;

import org.elb.warmkeeper.core.provision.JobStateEvents;
import org.elb.warmkeeper.core.warm.InflightLock;
import org.elb.warmkeeper.redis.RedissonClients;
import org.elb.warmkeeper.redis.RedissonInflightLock;
import org.elb.warmkeeper.redis.RedissonJobStateEvents;
import org.redisson.api.RedissonClient;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The Redis lock and job-state events: on the application's {@link RedissonClient} when it has one,
 * else on a client of {@code elb.redis.url} (tuned timeouts, shut down with the context). Needs
 * elb-adapters-redis; off with {@code elb.redis.enabled=false} (the lock is then in memory).
 */
@AutoConfiguration(
        before = ElbAutoConfiguration.class,
        afterName = "org.redisson.spring.starter.RedissonAutoConfigurationV2")
@ConditionalOnElbEnabled
@ConditionalOnClass({RedissonClient.class, RedissonInflightLock.class})
@ConditionalOnProperty(prefix = "elb.redis", name = "enabled", havingValue = "true", matchIfMissing = true)
public class ElbRedisConfiguration {

    /** A client of {@code elb.redis.url} when the application has none. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(prefix = "elb.redis", name = "url")
    static class Client {
        @Bean(destroyMethod = "shutdown")
        @ConditionalOnMissingBean
        RedissonClient elbRedissonClient(ElbProperties properties) {
            return RedissonClients.create(String.valueOf(properties.getRedis().getUrl()));
        }
    }

    @Bean
    @ConditionalOnBean(RedissonClient.class)
    @ConditionalOnMissingBean
    public InflightLock elbRedisInflightLock(RedissonClient redis) {
        return RedissonInflightLock.of(redis);
    }

    @Bean
    @ConditionalOnBean(RedissonClient.class)
    @ConditionalOnMissingBean
    public JobStateEvents elbRedisJobStateEvents(RedissonClient redis) {
        return RedissonJobStateEvents.of(redis);
    }
}
