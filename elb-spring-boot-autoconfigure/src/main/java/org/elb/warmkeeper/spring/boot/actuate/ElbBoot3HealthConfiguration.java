package org.elb.warmkeeper.spring.boot.actuate;

import org.elb.warmkeeper.spring.boot.ConditionalOnElbEnabled;
import org.elb.warmkeeper.spring.boot.ElbAutoConfiguration;
import org.elb.warmkeeper.spring.boot.ElbHealth;
import org.elb.warmkeeper.spring.boot.ElbInformers;
import org.springframework.boot.actuate.autoconfigure.health.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/** The {@code elb} health indicator on Spring Boot 3's actuator API. */
@AutoConfiguration(after = ElbAutoConfiguration.class)
@ConditionalOnElbEnabled
@ConditionalOnEnabledHealthIndicator("elb")
@ConditionalOnClass(name = "org.springframework.boot.actuate.health.HealthIndicator")
public class ElbBoot3HealthConfiguration {

    @Bean(name = "elbHealthIndicator")
    @ConditionalOnBean(ElbHealth.class)
    @ConditionalOnMissingBean(name = "elbHealthIndicator")
    public HealthIndicator elbHealthIndicator(ElbHealth health) {
        return () -> {
            ElbHealth.Reading r = health.read();
            return (r.up() ? Health.up() : Health.down())
                    .withDetails(r.details())
                    .build();
        };
    }

    /** Per cluster, whether the informer caches of {@code elb.kube.status-source=informer} have synced. */
    @Bean(name = "elbInformersHealthIndicator")
    @ConditionalOnBean(ElbInformers.class)
    @ConditionalOnMissingBean(name = "elbInformersHealthIndicator")
    public HealthIndicator elbInformersHealthIndicator(ElbInformers informers) {
        return () -> {
            ElbInformers.Reading r = informers.read();
            return Health.status(r.status()).withDetails(r.details()).build();
        };
    }
}
