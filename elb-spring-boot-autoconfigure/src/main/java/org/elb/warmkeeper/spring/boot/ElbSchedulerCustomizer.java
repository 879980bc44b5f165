package org.elb.warmkeeper.spring.boot;

import org.elb.warmkeeper.core.warm.AutoWarmScheduler;

/**
 * Tunes the {@link AutoWarmScheduler} (each time ticking starts) the starter builds, after the {@code elb.autowarm.*} properties are applied: every bean of this type
 * is called, in {@link org.springframework.core.Ordered order}, so a customizer wins over a property. An
 * {@link ElbScheduling} bean of the application's own replaces the starter's schedule altogether.
 */
@FunctionalInterface
public interface ElbSchedulerCustomizer {

    void customize(AutoWarmScheduler.Builder builder);
}
