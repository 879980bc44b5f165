package org.elb.warmkeeper.spring.boot;

import org.elb.warmkeeper.core.provision.ProvisioningService;

/**
 * Tunes the {@link ProvisioningService} the starter builds, after the {@code elb.azure.*} properties are applied: every bean of this type
 * is called, in {@link org.springframework.core.Ordered order}, so a customizer wins over a property. A bean
 * of the built type of the application's own replaces the starter's altogether (and no customizer is called).
 */
@FunctionalInterface
public interface ElbProvisioningCustomizer {

    void customize(ProvisioningService.Builder builder);
}
