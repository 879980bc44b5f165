package org.elb.warmkeeper.spring.boot;

import org.elb.warmkeeper.core.provision.JobStateEvents;
import org.elb.warmkeeper.core.warm.InflightLock;
import org.elb.warmkeeper.redis.RedissonClients;
import org.elb.warmkeeper.redis.RedissonInflightLock;
import org.elb.warmkeeper.redis.RedissonJobStateEvents;
import org.jspecify.annotations.Nullable;
import org.redisson.api.RedissonClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.NoneNestedConditions;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;

/**
 * The Redis lock and job-state events, on the first of: the application's {@link RedissonClient}; a
 * client of {@code elb.redis.url}; a client of Boot's Redis connection details when the application has
 * them ({@code spring.data.redis.*} with Spring Data Redis, or a {@code @ServiceConnection} in tests; Boot
 * 3.5's {@code RedisConnectionDetails} or Boot 4's {@code DataRedisConnectionDetails}, a single server).
 * The starter's clients are tuned by {@code elb.redis.connect-timeout}, {@code elb.redis.response-timeout}
 * and {@link ElbRedissonCustomizer} beans, and shut down with the context. Needs elb-adapters-redis; off
 * with {@code elb.redis.enabled=false} (the lock is then in memory).
 */
@AutoConfiguration(
        before = ElbAutoConfiguration.class,
        afterName = {
            "org.redisson.spring.starter.RedissonAutoConfigurationV2",
            "org.springframework.boot.autoconfigure.data.redis.RedisAutoConfiguration",
            "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration"
        })
@ConditionalOnElbEnabled
@ConditionalOnClass({RedissonClient.class, RedissonInflightLock.class})
@ConditionalOnProperty(prefix = "elb.redis", name = "enabled", havingValue = "true", matchIfMissing = true)
public class ElbRedisConfiguration {

    private static final Logger log = LoggerFactory.getLogger(ElbRedisConfiguration.class);

    /** A client of {@code elb.redis.url} when the application has none. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(prefix = "elb.redis", name = "url")
    static class Client {
        @Bean(destroyMethod = "shutdown")
        @ConditionalOnMissingBean
        RedissonClient elbRedissonClient(ElbProperties properties, ObjectProvider<ElbRedissonCustomizer> customizers) {
            return client(
                    RedissonClients.builder(String.valueOf(properties.getRedis().getUrl())), properties, customizers);
        }
    }

    /** Boot 3.5's connection details, when there is no {@code elb.redis.url}. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = Boot3Details.TYPE)
    @Conditional(NoElbRedisUrl.class)
    static class Boot3Details {
        static final String TYPE = "org.springframework.boot.autoconfigure.data.redis.RedisConnectionDetails";

        @Bean(destroyMethod = "shutdown")
        @ConditionalOnBean(type = TYPE)
        @ConditionalOnMissingBean
        RedissonClient elbRedissonClientOfBootDetails(
                org.springframework.boot.autoconfigure.data.redis.RedisConnectionDetails details,
                ElbProperties properties,
                ObjectProvider<ElbRedissonCustomizer> customizers) {
            var standalone = details.getStandalone();
            if (standalone == null || details.getCluster() != null || details.getSentinel() != null) {
                throw notStandalone();
            }
            return fromDetails(
                    standalone.getHost(),
                    standalone.getPort(),
                    standalone.getDatabase(),
                    details.getUsername(),
                    details.getPassword(),
                    properties,
                    customizers);
        }
    }

    /** Boot 4's connection details, when there is no {@code elb.redis.url}. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = Boot4Details.TYPE)
    @Conditional(NoElbRedisUrl.class)
    static class Boot4Details {
        static final String TYPE = "org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails";

        @Bean(destroyMethod = "shutdown")
        @ConditionalOnBean(type = TYPE)
        @ConditionalOnMissingBean
        RedissonClient elbRedissonClientOfBootDetails(
                org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails details,
                ElbProperties properties,
                ObjectProvider<ElbRedissonCustomizer> customizers) {
            var standalone = details.getStandalone();
            if (standalone == null || details.getCluster() != null || details.getSentinel() != null) {
                throw notStandalone();
            }
            return fromDetails(
                    standalone.getHost(),
                    standalone.getPort(),
                    standalone.getDatabase(),
                    details.getUsername(),
                    details.getPassword(),
                    properties,
                    customizers);
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

    static RedissonClient fromDetails(
            String host,
            int port,
            int database,
            @Nullable String username,
            @Nullable String password,
            ElbProperties properties,
            ObjectProvider<ElbRedissonCustomizer> customizers) {
        RedissonClients.Builder b =
                RedissonClients.builder("redis://" + host + ":" + port).database(database);
        if (username != null && !username.isEmpty()) {
            b.username(username);
        }
        if (password != null && !password.isEmpty()) {
            b.password(password);
        }
        log.info(
                "ELB Warmkeeper: the in-flight lock and job-state events use Boot's Redis at {}:{}/{}",
                host,
                port,
                database);
        return client(b, properties, customizers);
    }

    static RedissonClient client(
            RedissonClients.Builder b, ElbProperties properties, ObjectProvider<ElbRedissonCustomizer> customizers) {
        ElbProperties.Redis redis = properties.getRedis();
        b.connectTimeout(redis.getConnectTimeout()).responseTimeout(redis.getResponseTimeout());
        customizers.orderedStream().forEach(c -> c.customize(b));
        return b.build();
    }

    private static ElbConfigurationException notStandalone() {
        return new ElbConfigurationException(
                "elb.redis.url",
                "Boot's Redis connection details name a cluster or Sentinel; the in-flight lock takes one server:"
                        + " set 'elb.redis.url' (redis://host:port/db) or give a RedissonClient bean");
    }

    /** Neither {@code elb.redis.url} is set. */
    static final class NoElbRedisUrl extends NoneNestedConditions {
        NoElbRedisUrl() {
            super(ConfigurationPhase.REGISTER_BEAN);
        }

        @ConditionalOnProperty(prefix = "elb.redis", name = "url")
        static final class UrlSet {}
    }
}
