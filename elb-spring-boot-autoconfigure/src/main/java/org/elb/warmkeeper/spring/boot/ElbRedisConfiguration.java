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
import org.springframework.context.annotation.Import;

/**
 * The Redis lock and job-state events: on a client of {@code elb.redis.url} when it is set (tuned
 * timeouts, private to the library: an {@link ElbRedisClient}, not a {@link RedissonClient} bean, shut
 * down with the context), else on the application's {@link RedissonClient} when it has one. Needs
 * elb-adapters-redis; off with {@code elb.redis.enabled=false} (the lock is then in memory).
 */
@AutoConfiguration(
        before = ElbAutoConfiguration.class,
        afterName = "org.redisson.spring.starter.RedissonAutoConfigurationV2")
@ConditionalOnElbEnabled
@ConditionalOnClass({RedissonClient.class, RedissonInflightLock.class})
@ConditionalOnProperty(prefix = "elb.redis", name = "enabled", havingValue = "true", matchIfMissing = true)
@Import({ElbRedisConfiguration.OwnClient.class, ElbRedisConfiguration.ApplicationClient.class})
public class ElbRedisConfiguration {

    /** {@code elb.redis.url} wins over the application's client. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(prefix = "elb.redis", name = "url")
    static class OwnClient {
        @Bean(destroyMethod = "close")
        @ConditionalOnMissingBean
        ElbRedisClient elbRedisClient(ElbProperties properties) {
            return new ElbRedisClient(
                    RedissonClients.create(String.valueOf(properties.getRedis().getUrl())));
        }

        @Bean
        @ConditionalOnMissingBean
        InflightLock elbRedisInflightLock(ElbRedisClient redis) {
            return RedissonInflightLock.of(redis.client());
        }

        @Bean
        @ConditionalOnMissingBean
        JobStateEvents elbRedisJobStateEvents(ElbRedisClient redis) {
            return RedissonJobStateEvents.of(redis.client());
        }
    }

    /** The application's {@link RedissonClient}, when it has one and {@code elb.redis.url} is not set. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnBean(RedissonClient.class)
    @ConditionalOnMissingBean(ElbRedisClient.class)
    static class ApplicationClient {
        @Bean
        @ConditionalOnMissingBean
        InflightLock elbRedisInflightLock(RedissonClient redis) {
            return RedissonInflightLock.of(redis);
        }

        @Bean
        @ConditionalOnMissingBean
        JobStateEvents elbRedisJobStateEvents(RedissonClient redis) {
            return RedissonJobStateEvents.of(redis);
        }
    }
}
