package org.elb.warmkeeper.spring.boot;

import java.time.Duration;
import org.elb.warmkeeper.core.provision.ClusterProvisioner;
import org.elb.warmkeeper.core.provision.JobStateEvents;
import org.elb.warmkeeper.core.provision.JobStateRepository;
import org.elb.warmkeeper.core.provision.ProvisioningObserver;
import org.elb.warmkeeper.core.provision.ProvisioningService;
import org.elb.warmkeeper.core.provision.ProvisioningSweeper;
import org.elb.warmkeeper.core.provision.SweepPolicy;
import org.elb.warmkeeper.core.warm.LeaderElection;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Lazy;

/**
 * AKS provisioning as durable job state: the service on the store's job rows and a cluster provisioner
 * (Azure's, or the application's), and the sweep on the leader. Off with {@code elb.provision.enabled=false}.
 */
@AutoConfiguration(
        before = ElbAutoConfiguration.class,
        after = {ElbStoreAutoConfiguration.class, ElbAzureAutoConfiguration.class, ElbRedisConfiguration.class})
@ConditionalOnElbEnabled
@ConditionalOnProperty(prefix = "elb.provision", name = "enabled", havingValue = "true", matchIfMissing = true)
@ConditionalOnBean({JobStateRepository.class, ClusterProvisioner.class})
public class ElbProvisioningAutoConfiguration {

    @Bean
    @Lazy
    @ConditionalOnMissingBean
    public ProvisioningService elbProvisioningService(
            JobStateRepository jobs,
            ClusterProvisioner provisioner,
            JobStateEvents events,
            ObjectProvider<ProvisioningObserver> observer,
            ElbClock clock,
            ElbSettings settings,
            ObjectProvider<ElbProvisioningCustomizer> customizers) {
        ProvisioningService.Builder b = ProvisioningService.builder(jobs, provisioner)
                .events(events)
                .clock(clock.clock())
                .observer(observer.getIfAvailable(() -> ProvisioningObserver.NOOP))
                .policy(settings.provisionPolicy());
        String tenant = settings.properties().getAzure().getTenant();
        if (tenant != null) {
            b.tenant(tenant);
        }
        customizers.orderedStream().forEach(c -> c.customize(b));
        return b.build();
    }

    /** Dead-job detection, maximum age and retention on the leader; off with {@code elb.provision.sweep=false}. */
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnProperty(prefix = "elb.provision", name = "sweep", havingValue = "true", matchIfMissing = true)
    public ElbSweeping elbSweeping(
            ObjectProvider<ProvisioningService> provisioning,
            LeaderElection leader,
            ElbSettings settings,
            ObjectProvider<ElbSweepCustomizer> customizers) {
        ElbProperties.Provision p = settings.properties().getProvision();
        SweepPolicy policy = SweepPolicy.forResumeWindow(p.getResumeWindow()).withRetention(p.getRetention());
        Duration maxAge = p.getMaxAge();
        if (maxAge != null) {
            policy = policy.withMaxAge(maxAge);
        }
        return new ElbSweeping(
                () -> {
                    ProvisioningSweeper.Builder b = ProvisioningSweeper.builder(provisioning.getObject());
                    customizers.orderedStream().forEach(c -> c.customize(b));
                    return b;
                },
                policy,
                leader,
                provisioning::getObject,
                p.getResumeWindow());
    }
}
