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
import org.springframework.context.annotation.Import;

/**
 * The Redis lock and job-state events, on the first of: a client of {@code elb.redis.url}; the
 * application's {@link RedissonClient}; a client of Boot's Redis connection details when the application
 * has them ({@code spring.data.redis.*} with Spring Data Redis, or a {@code @ServiceConnection} in tests;
 * Boot 3.5's {@code RedisConnectionDetails} or Boot 4's {@code DataRedisConnectionDetails}, one server).
 * The library's own clients are private to it (an {@link ElbRedisClient}, not a {@link RedissonClient}
 * bean), tuned by {@code elb.redis.connect-timeout}, {@code elb.redis.response-timeout} and
 * {@link ElbRedissonCustomizer} beans, and shut down with the context. Needs elb-adapters-redis; off with
 * {@code elb.redis.enabled=false} (the lock is then in memory).
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
@Import({
    ElbRedisConfiguration.OwnClient.class,
    ElbRedisConfiguration.Boot3Details.class,
    ElbRedisConfiguration.Boot4Details.class,
    ElbRedisConfiguration.ApplicationClient.class
})
public class ElbRedisConfiguration {

    private static final Logger log = LoggerFactory.getLogger(ElbRedisConfiguration.class);

    /** {@code elb.redis.url} wins over the application's client. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(prefix = "elb.redis", name = "url")
    static class OwnClient {
        @Bean(destroyMethod = "close")
        @ConditionalOnMissingBean
        ElbRedisClient elbRedisClient(ElbProperties properties, ObjectProvider<ElbRedissonCustomizer> customizers) {
            return client(
                    RedissonClients.builder(String.valueOf(properties.getRedis().getUrl())), properties, customizers);
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

    /**
     * Boot 3.5's connection details, when there is neither {@code elb.redis.url} nor a {@link RedissonClient}
     * of the application.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = Boot3Details.TYPE)
    @ConditionalOnBean(type = Boot3Details.TYPE)
    @ConditionalOnMissingBean({RedissonClient.class, ElbRedisClient.class})
    @Conditional(NoElbRedisUrl.class)
    static class Boot3Details {
        static final String TYPE = "org.springframework.boot.autoconfigure.data.redis.RedisConnectionDetails";

        @Bean(destroyMethod = "close")
        ElbRedisClient elbRedisClient(
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

    /**
     * Boot 4's connection details, when there is neither {@code elb.redis.url} nor a {@link RedissonClient}
     * of the application.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = Boot4Details.TYPE)
    @ConditionalOnBean(type = Boot4Details.TYPE)
    @ConditionalOnMissingBean({RedissonClient.class, ElbRedisClient.class})
    @Conditional(NoElbRedisUrl.class)
    static class Boot4Details {
        static final String TYPE = "org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails";

        @Bean(destroyMethod = "close")
        ElbRedisClient elbRedisClient(
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

    static ElbRedisClient fromDetails(
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

    static ElbRedisClient client(
            RedissonClients.Builder b, ElbProperties properties, ObjectProvider<ElbRedissonCustomizer> customizers) {
        ElbProperties.Redis redis = properties.getRedis();
        b.connectTimeout(redis.getConnectTimeout()).responseTimeout(redis.getResponseTimeout());
        customizers.orderedStream().forEach(c -> c.customize(b));
        return new ElbRedisClient(b.build());
    }

    private static ElbConfigurationException notStandalone() {
        return new ElbConfigurationException(
                "elb.redis.url",
                "Boot's Redis connection details name a cluster or Sentinel; the in-flight lock takes one server:"
                        + " set 'elb.redis.url' (redis://host:port/db) or give a RedissonClient bean");
    }

    /** {@code elb.redis.url} is not set (it wins over Boot's details whatever the registration order). */
    static final class NoElbRedisUrl extends NoneNestedConditions {
        NoElbRedisUrl() {
            super(ConfigurationPhase.REGISTER_BEAN);
        }

        @ConditionalOnProperty(prefix = "elb.redis", name = "url")
        static final class UrlSet {}
    }
}
