package org.elb.warmkeeper.spring.boot;

import io.micrometer.core.instrument.MeterRegistry;
import org.elb.warmkeeper.micrometer.MicrometerObserver;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;

/**
 * Ticks, enqueues, skips, fail-opens and provisioning outcomes on the application's {@link MeterRegistry}
 * (elb-adapters-micrometer); off with {@code elb.metrics.enabled=false}.
 */
@AutoConfiguration(
        before = ElbAutoConfiguration.class,
        afterName = {
            "org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration",
            "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration"
        })
@ConditionalOnElbEnabled
@ConditionalOnClass({MeterRegistry.class, MicrometerObserver.class})
@ConditionalOnProperty(prefix = "elb.metrics", name = "enabled", havingValue = "true", matchIfMissing = true)
public class ElbMetricsConfiguration {

    @Bean
    @ConditionalOnBean(MeterRegistry.class)
    @ConditionalOnMissingBean
    public MicrometerObserver elbMicrometerObserver(MeterRegistry registry) {
        return MicrometerObserver.of(registry);
    }
}
