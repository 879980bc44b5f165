package org.elb.warmkeeper.spring.boot;

import org.elb.warmkeeper.jdbi.JdbiStore;

/**
 * Tunes the {@link JdbiStore} (job state, preferences, attempt history) the starter builds, after the {@code elb.jdbc.*} properties are applied: every bean of this type
 * is called, in {@link org.springframework.core.Ordered order}, so a customizer wins over a property. A bean
 * of the built type of the application's own replaces the starter's altogether (and no customizer is called).
 */
@FunctionalInterface
public interface ElbStoreCustomizer {

    void customize(JdbiStore.Builder builder);
}
