package org.elb.warmkeeper.spring.boot;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.elb.warmkeeper.core.cluster.ClusterRef;
import org.elb.warmkeeper.core.warm.ClusterReadinessProbe;
import org.elb.warmkeeper.core.warm.LeaderElection;
import org.elb.warmkeeper.core.warm.WarmStatusProbe;
import org.elb.warmkeeper.core.warm.WarmupDispatcher;
import org.elb.warmkeeper.k8s.Fabric8LeaderElection;
import org.elb.warmkeeper.k8s.Fabric8NodeReadinessProbe;
import org.elb.warmkeeper.k8s.Fabric8WarmStatusProbe;
import org.elb.warmkeeper.k8s.Fabric8WarmupDispatcher;
import org.elb.warmkeeper.k8s.InCluster;
import org.elb.warmkeeper.k8s.KubernetesClientProvider;
import org.elb.warmkeeper.k8s.KubernetesConfigSource;
import org.elb.warmkeeper.k8s.WarmupJobTemplate;
import org.elb.warmkeeper.spring.boot.ElbSettings.ManagedCluster;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;

/**
 * Kubernetes (elb-adapters-k8s): one client per managed cluster, the warm-status and node-readiness
 * probes (informer caches or a LIST per tick), the warmup Job dispatcher and the Lease leader election.
 * Nothing connects before a service needs it.
 */
@AutoConfiguration(
        before = {ElbAutoWarmAutoConfiguration.class, ElbAutoConfiguration.class},
        after = ElbAzureAutoConfiguration.class)
@ConditionalOnElbEnabled
@ConditionalOnClass(KubernetesClientProvider.class)
public class ElbKubernetesAutoConfiguration {

    /** One Kubernetes client per cluster, from a kubeconfig file's contexts ({@code elb.kube.config}) or the default one. */
    @Bean(destroyMethod = "close")
    @Lazy
    @ConditionalOnMissingBean
    public KubernetesClientProvider elbKubernetesClients(
            ElbSettings settings, ObjectProvider<ElbKubernetesCustomizer> customizers) {
        String file = settings.properties().getKube().getConfig();
        KubernetesClientProvider.Builder b;
        if (file == null) {
            b = KubernetesClientProvider.builder(
                    KubernetesConfigSource.kubeconfigContexts(ref -> context(settings, ref)));
        } else {
            b = kubeconfigFile(settings, file);
        }
        b.connectTimeout(settings.properties().getKube().getConnectTimeout())
                .requestTimeout(settings.properties().getKube().getRequestTimeout());
        customizers.orderedStream().forEach(c -> c.customize(b));
        return b.build();
    }

    private static KubernetesClientProvider.Builder kubeconfigFile(ElbSettings settings, String file) {
        File kubeconfig = new File(file);
        if (!kubeconfig.isFile()) {
            throw new ElbConfigurationException(
                    "elb.kube.config",
                    "'elb.kube.config' must be a readable kubeconfig file, but '" + file + "' is not");
        }
        return KubernetesClientProvider.builder(ref -> {
            String context = context(settings, ref);
            Config config = Config.fromKubeconfig(context, kubeconfig);
            if (config.getCurrentContext() == null
                    || !context.equals(config.getCurrentContext().getName())) {
                throw new IllegalArgumentException("kubeconfig " + file + " has no context '" + context
                        + "' (set 'elb.cluster." + ref.clusterName() + ".kube-context')");
            }
            return config;
        });
    }

    /**
     * The informer-backed probes ({@code elb.kube.status-source=informer}, the default): built on first use,
     * closed with the context before the clients, read by the {@code elbInformers} health component.
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    @ConditionalOnProperty(prefix = "elb.kube", name = "status-source", havingValue = "informer", matchIfMissing = true)
    public ElbInformers elbInformers(ElbSettings settings, ObjectProvider<KubernetesClientProvider> clients) {
        return new ElbInformers(clients::getObject, settings);
    }

    /** From informer caches ({@code elb.kube.status-source=informer}), or a LIST per tick ({@code list}). */
    @Bean(destroyMethod = "")
    @Lazy
    @ConditionalOnMissingBean
    public WarmStatusProbe elbWarmStatusProbe(
            ObjectProvider<KubernetesClientProvider> clients,
            ElbSettings settings,
            ObjectProvider<ElbInformers> informers) {
        ElbInformers cached = settings.informers() ? informers.getIfAvailable() : null;
        if (cached != null) {
            return cached.statusProbe();
        }
        return Fabric8WarmStatusProbe.builder(clients.getObject())
                .namespace(settings.properties().getKube().getNamespace())
                .build();
    }

    @Bean
    @Lazy
    @ConditionalOnMissingBean
    public WarmupDispatcher elbWarmupDispatcher(KubernetesClientProvider clients, ElbSettings settings) {
        return Fabric8WarmupDispatcher.builder(
                        clients, template(settings.properties().getKube()))
                .namespace(settings.properties().getKube().getNamespace())
                .build();
    }

    /**
     * ARM state (when {@code elb.azure.readiness} and elb-adapters-azure is present, from the Azure
     * configuration) and node readiness (informer-backed or a LIST per tick).
     */
    @Bean
    @Lazy
    @ConditionalOnMissingBean
    public ClusterReadinessProbe elbClusterReadinessProbe(
            ElbSettings settings,
            ObjectProvider<ElbArmReadiness> arm,
            ObjectProvider<KubernetesClientProvider> clients,
            ObjectProvider<ElbInformers> informers) {
        List<ClusterReadinessProbe> probes = new ArrayList<>();
        // Without elb-adapters-azure there is no ARM half: readiness is the nodes' alone.
        ElbArmReadiness armReadiness = settings.properties().getAzure().isReadiness() ? arm.getIfAvailable() : null;
        if (armReadiness != null) {
            probes.add(armReadiness.probe());
        }
        ElbInformers cached = settings.informers() ? informers.getIfAvailable() : null;
        probes.add(cached != null ? cached.nodeProbe() : Fabric8NodeReadinessProbe.of(clients.getObject()));
        return ClusterReadinessProbe.allOf(probes.toArray(ClusterReadinessProbe[]::new));
    }

    /**
     * The Lease leader election when {@code elb.leader.lease} is set: it depends on the clients, so the
     * context releases the Lease before it closes them.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(prefix = "elb.leader", name = "lease")
    static class LeaseElection {
        /** Clients of the Pod's own cluster, built only when the Lease goes there; closed after the Lease. */
        @Bean(destroyMethod = "close")
        @ConditionalOnMissingBean
        OwnCluster elbOwnClusterClients() {
            return new OwnCluster(InCluster::clients);
        }

        @Bean(destroyMethod = "close")
        @ConditionalOnMissingBean(LeaderElection.class)
        Fabric8LeaderElection elbLeaseLeaderElection(
                ElbSettings settings, ObjectProvider<KubernetesClientProvider> clients, OwnCluster own) {
            LeasePlacement where = LeasePlacement.of(settings, InCluster.detect(System.getenv()));
            String lease = String.valueOf(settings.properties().getLeader().getLease());
            // Through a provider: a Lease call refused with 401/403 rebuilds the client once.
            ManagedCluster home = where.cluster();
            Fabric8LeaderElection.Builder b = home == null
                    ? Fabric8LeaderElection.builder(own.clients(), InCluster.OWN_CLUSTER, where.namespace(), lease)
                    : Fabric8LeaderElection.builder(clients.getObject(), home.ref(), where.namespace(), lease);
            return b.build().start();
        }
    }

    /**
     * Where the Lease is (the runner's rule): {@code elb.leader.cluster} when set; else the Pod's own
     * cluster when the application runs in one ({@code cluster} null); else the first of
     * {@code elb.clusters}. The namespace is {@code elb.leader.namespace}, else the Pod's namespace for its
     * own cluster, else {@code elb.kube.namespace}.
     */
    record LeasePlacement(@Nullable ManagedCluster cluster, String namespace) {
        static LeasePlacement of(ElbSettings settings, Optional<InCluster> pod) {
            ElbProperties.Leader leader = settings.properties().getLeader();
            if (leader.getCluster() == null && pod.isPresent()) {
                return new LeasePlacement(
                        null,
                        leader.getNamespace() != null
                                ? leader.getNamespace()
                                : pod.get().namespace());
            }
            ManagedCluster home = settings.leaseCluster()
                    .orElseThrow(() -> new ElbConfigurationException(
                            "elb.clusters",
                            "'elb.leader.lease' needs a cluster in 'elb.clusters' to hold the Lease (or a Pod to"
                                    + " run in)"));
            return new LeasePlacement(
                    home,
                    leader.getNamespace() != null
                            ? leader.getNamespace()
                            : settings.properties().getKube().getNamespace());
        }
    }

    /** The in-cluster clients of the Lease, made on first use only. */
    static final class OwnCluster implements AutoCloseable {
        private final java.util.function.Supplier<KubernetesClientProvider> make;
        private @Nullable KubernetesClientProvider clients;

        OwnCluster(java.util.function.Supplier<KubernetesClientProvider> make) {
            this.make = make;
        }

        synchronized KubernetesClientProvider clients() {
            KubernetesClientProvider c = clients;
            if (c == null) {
                c = make.get();
                clients = c;
            }
            return c;
        }

        @Override
        public synchronized void close() {
            if (clients != null) {
                clients.close();
                clients = null;
            }
        }
    }

    private static String context(ElbSettings settings, ClusterRef ref) {
        return settings.clusters().stream()
                .filter(c -> c.ref().equals(ref))
                .map(ManagedCluster::kubeContext)
                .findFirst()
                .orElse(ref.clusterName());
    }

    static Job template(ElbProperties.Kube kube) {
        if (kube.getWarmupTemplate() != null) {
            try {
                return Serialization.unmarshal(Files.readString(Path.of(kube.getWarmupTemplate())), Job.class);
            } catch (IOException | RuntimeException e) {
                throw new IllegalArgumentException(
                        "'elb.kube.warmup-template' must be a readable YAML file of a" + " batch/v1 Job: "
                                + kube.getWarmupTemplate(),
                        e);
            }
        }
        return WarmupJobTemplate.defaults(kube.getWarmupImage());
    }
}
