package org.elb.warmkeeper.spring.boot;

import java.time.Duration;
import org.elb.warmkeeper.azure.AksClusterProvisioner;
import org.elb.warmkeeper.azure.AksReadinessProbe;
import org.elb.warmkeeper.azure.ArmConnection;
import org.elb.warmkeeper.azure.ArmRetry;
import org.elb.warmkeeper.core.provision.ClusterProvisioner;
import org.elb.warmkeeper.core.warm.CachedReadinessProbe;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Lazy;

/**
 * Azure Resource Manager (elb-adapters-azure): the connection, the AKS provisioner (unless
 * {@code elb.provision.enabled=false}) and ARM readiness for the warm loop ({@code elb.azure.readiness}).
 */
@AutoConfiguration(
        before = {
            ElbKubernetesAutoConfiguration.class,
            ElbProvisioningAutoConfiguration.class,
            ElbAutoConfiguration.class
        })
@ConditionalOnElbEnabled
@ConditionalOnClass(ArmConnection.class)
public class ElbAzureAutoConfiguration {

    /**
     * Azure Resource Manager: the default credential, or an unauthenticated pipeline for
     * {@code elb.azure.auth=none}; both with the adapters' ARM retries and timeouts ({@link ArmRetry}: one
     * retry after 250 ms, a long {@code Retry-After} returned rather than slept), as in the runner.
     */
    @Bean
    @Lazy
    @ConditionalOnMissingBean
    public ArmConnection elbArmConnection(ElbSettings settings) {
        String endpoint = settings.properties().getAzure().getEndpoint();
        if (settings.plainArm() && endpoint != null) {
            return ArmConnection.of(ArmRetry.pipeline(), endpoint);
        }
        return ArmConnection.defaultCredential();
    }

    @Bean(destroyMethod = "close")
    @Lazy
    @ConditionalOnMissingBean(ClusterProvisioner.class)
    @ConditionalOnProperty(prefix = "elb.provision", name = "enabled", havingValue = "true", matchIfMissing = true)
    public AksClusterProvisioner elbClusterProvisioner(ArmConnection arm, ElbSettings settings) {
        return AksClusterProvisioner.builder(arm)
                .pollInterval(settings.properties().getAzure().getPollInterval())
                .build();
    }

    /**
     * One ARM read per cluster per {@code elb.azure.readiness-cache} while ready (30 s while not), a 429's
     * Retry-After honoured; a zero cache reads ARM on every tick.
     */
    @Bean
    @Lazy
    @ConditionalOnMissingBean
    @ConditionalOnProperty(prefix = "elb.azure", name = "readiness", havingValue = "true", matchIfMissing = true)
    public ElbArmReadiness elbArmReadiness(ObjectProvider<ArmConnection> arm, ElbSettings settings, ElbClock clock) {
        AksReadinessProbe aks = AksReadinessProbe.of(arm.getObject());
        Duration cache = settings.properties().getAzure().getReadinessCache();
        return new ElbArmReadiness(
                cache.isZero()
                        ? aks
                        : CachedReadinessProbe.builder(aks)
                                .clock(clock.clock())
                                .readyTtl(cache)
                                .build());
    }
}
