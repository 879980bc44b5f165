package org.elb.warmkeeper.spring.boot;

import org.elb.warmkeeper.core.provision.ProvisioningSweeper;

/**
 * Tunes the {@link ProvisioningSweeper} (dead jobs, maximum age, retention) the starter builds, after the {@code elb.provision.*} properties are applied: every bean of this type
 * is called, in {@link org.springframework.core.Ordered order}, so a customizer wins over a property. An
 * {@link ElbSweeping} bean of the application's own replaces the starter's sweep altogether.
 */
@FunctionalInterface
public interface ElbSweepCustomizer {

    void customize(ProvisioningSweeper.Builder builder);
}
