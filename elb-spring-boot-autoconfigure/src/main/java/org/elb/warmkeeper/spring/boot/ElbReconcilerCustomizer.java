package org.elb.warmkeeper.spring.boot;

import org.elb.warmkeeper.core.warm.AutoWarmReconciler;

/**
 * Tunes the {@link AutoWarmReconciler} the starter builds, after the {@code elb.autowarm.*} properties are applied: every bean of this type
 * is called, in {@link org.springframework.core.Ordered order}, so a customizer wins over a property. A bean
 * of the built type of the application's own replaces the starter's altogether (and no customizer is called).
 */
@FunctionalInterface
public interface ElbReconcilerCustomizer {

    void customize(AutoWarmReconciler.Builder builder);
}
