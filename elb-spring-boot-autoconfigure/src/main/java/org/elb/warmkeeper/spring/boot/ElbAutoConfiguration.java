package org.elb.warmkeeper.spring.boot;

import org.elb.warmkeeper.core.provision.JobStateEvents;
import org.elb.warmkeeper.core.warm.AutoWarmPreferences;
import org.elb.warmkeeper.core.warm.InflightLock;
import org.elb.warmkeeper.core.warm.LeaderElection;
import org.elb.warmkeeper.inmemory.InMemoryInflightLock;
import org.elb.warmkeeper.inmemory.LocalJobStateEvents;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * The core of ELB Warmkeeper's auto-configuration: the checked {@code elb.*} settings, the library's
 * clock, and the single-replica defaults (in-memory lock, no job-state events, every replica leads)
 * where no capability configuration (Redis, Kubernetes' Lease) or the application gave one; and the
 * health reading. It runs after the capability configurations ({@link ElbStoreAutoConfiguration},
 * {@link ElbRedisConfiguration}, {@link ElbKubernetesAutoConfiguration}, {@link ElbAzureAutoConfiguration},
 * {@link ElbAutoWarmAutoConfiguration}, {@link ElbProvisioningAutoConfiguration},
 * {@link ElbVersionGateAutoConfiguration}), each guarded by its adapter's class and its switch. Every bean
 * is {@link ConditionalOnMissingBean}: an application that defines its own port (or a fake) gets that one.
 * Off, with everything else, with {@code elb.enabled=false}.
 */
@AutoConfiguration
@ConditionalOnElbEnabled
@EnableConfigurationProperties(ElbProperties.class)
public class ElbAutoConfiguration {

    private static final Logger log = LoggerFactory.getLogger(ElbAutoConfiguration.class);

    /** The checked settings: a bad key fails the context here, naming the key. */
    @Bean
    @ConditionalOnMissingBean
    public ElbSettings elbSettings(ElbProperties properties) {
        return ElbSettings.of(properties);
    }

    /** The library's clock, in a type of its own (no {@link java.time.Clock} bean for the application to meet). */
    @Bean
    @ConditionalOnMissingBean
    public ElbClock elbClock() {
        return ElbClock.systemUtc();
    }

    /** The single-replica lock, when neither the application nor Redis gives one (a warning). */
    @Bean
    @ConditionalOnMissingBean
    public InflightLock elbInflightLock(ElbClock clock) {
        log.warn("ELB Warmkeeper: no RedissonClient and no 'elb.redis.url': the in-flight lock is in memory, for a"
                + " single replica only (two replicas would enqueue the same warmup)");
        return InMemoryInflightLock.create(clock.clock());
    }

    /**
     * Without Redis, job-state changes within this process (the runner's behaviour): this replica's event
     * streams and listeners still hear its own changes.
     */
    @Bean
    @ConditionalOnMissingBean
    public JobStateEvents elbJobStateEvents() {
        return LocalJobStateEvents.create();
    }

    /** Without a Lease every replica leads (use the Redis lock with several replicas). */
    @Bean
    @ConditionalOnMissingBean
    public LeaderElection elbLeaderElection() {
        return LeaderElection.ALWAYS;
    }

    @Bean
    @ConditionalOnMissingBean
    public ElbHealth elbHealth(
            ElbSettings settings,
            InflightLock lock,
            LeaderElection leader,
            ObjectProvider<ElbScheduling> scheduling,
            ObjectProvider<AutoWarmPreferences> preferences) {
        return new ElbHealth(settings, lock, leader, scheduling, preferences);
    }
}
