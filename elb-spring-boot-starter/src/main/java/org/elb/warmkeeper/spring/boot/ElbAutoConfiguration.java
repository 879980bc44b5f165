package org.elb.warmkeeper.spring.boot;

import com.azure.core.http.HttpPipelineBuilder;
import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.azure.core.http.policy.RetryPolicy;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.elb.warmkeeper.azure.AcrImageRegistry;
import org.elb.warmkeeper.azure.AksClusterProvisioner;
import org.elb.warmkeeper.azure.AksReadinessProbe;
import org.elb.warmkeeper.azure.ArmConnection;
import org.elb.warmkeeper.core.cluster.ClusterRef;
import org.elb.warmkeeper.core.cluster.DatabaseName;
import org.elb.warmkeeper.core.provision.ClusterProvisioner;
import org.elb.warmkeeper.core.provision.JobStateEvents;
import org.elb.warmkeeper.core.provision.JobStateRepository;
import org.elb.warmkeeper.core.provision.ProvisioningObserver;
import org.elb.warmkeeper.core.provision.ProvisioningService;
import org.elb.warmkeeper.core.provision.ProvisioningSweeper;
import org.elb.warmkeeper.core.provision.SweepPolicy;
import org.elb.warmkeeper.core.version.DeployedVersion;
import org.elb.warmkeeper.core.version.DeployedVersionProbe;
import org.elb.warmkeeper.core.version.ImageRegistry;
import org.elb.warmkeeper.core.version.ImageTagSource;
import org.elb.warmkeeper.core.version.VersionGateService;
import org.elb.warmkeeper.core.warm.AutoWarmObserver;
import org.elb.warmkeeper.core.warm.AutoWarmPreferences;
import org.elb.warmkeeper.core.warm.AutoWarmReconciler;
import org.elb.warmkeeper.core.warm.CachedReadinessProbe;
import org.elb.warmkeeper.core.warm.ClusterReadinessProbe;
import org.elb.warmkeeper.core.warm.DatabaseInventory;
import org.elb.warmkeeper.core.warm.InflightLock;
import org.elb.warmkeeper.core.warm.LeaderElection;
import org.elb.warmkeeper.core.warm.WarmAttemptHistory;
import org.elb.warmkeeper.core.warm.WarmBackoff;
import org.elb.warmkeeper.core.warm.WarmStatusProbe;
import org.elb.warmkeeper.core.warm.WarmupDispatcher;
import org.elb.warmkeeper.inmemory.InMemoryInflightLock;
import org.elb.warmkeeper.jdbi.JdbiAutoWarmPreferences;
import org.elb.warmkeeper.jdbi.JdbiStore;
import org.elb.warmkeeper.k8s.Fabric8LeaderElection;
import org.elb.warmkeeper.k8s.Fabric8NodeReadinessProbe;
import org.elb.warmkeeper.k8s.Fabric8WarmStatusProbe;
import org.elb.warmkeeper.k8s.Fabric8WarmupDispatcher;
import org.elb.warmkeeper.k8s.KubernetesClientProvider;
import org.elb.warmkeeper.k8s.KubernetesConfigSource;
import org.elb.warmkeeper.k8s.OpenApiDeployedVersionProbe;
import org.elb.warmkeeper.k8s.WarmupJobTemplate;
import org.elb.warmkeeper.spring.boot.ElbSettings.ManagedCluster;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;

/**
 * Builds ELB Warmkeeper from the {@code elb.*} keys. Every bean is {@link ConditionalOnMissingBean}: an
 * application that defines its own port (or a fake) gets that one. Adapters that reach a backend are
 * {@link Lazy}: nothing connects before a service needs it, and a port the application replaces never
 * builds its default.
 */
@AutoConfiguration(
        afterName = {
            "org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration",
            "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
            "org.redisson.spring.starter.RedissonAutoConfigurationV2",
            "org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration",
            "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration"
        })
@EnableConfigurationProperties(ElbProperties.class)
public class ElbAutoConfiguration {

    private static final Logger log = LoggerFactory.getLogger(ElbAutoConfiguration.class);

    /** The checked settings: a bad key fails the context here, naming the key. */
    @Bean
    @ConditionalOnMissingBean
    public ElbSettings elbSettings(ElbProperties properties) {
        return ElbSettings.of(properties);
    }

    @Bean
    @ConditionalOnMissingBean
    public Clock elbClock() {
        return Clock.systemUTC();
    }

    /**
     * The store: on the application's DataSource when there is one, else on {@code elb.jdbc.url}, else an
     * in-memory H2 (a warning: nothing survives a restart). The configured clusters are seeded into it.
     */
    @Bean(destroyMethod = "close")
    @Lazy
    @ConditionalOnMissingBean
    public JdbiStore elbJdbiStore(ElbSettings settings, ObjectProvider<DataSource> dataSource, Clock clock) {
        ElbProperties.Jdbc jdbc = settings.properties().getJdbc();
        DataSource app = dataSource.getIfUnique();
        JdbiStore.Builder b;
        if (app != null) {
            b = JdbiStore.builder(app);
        } else if (jdbc.getUrl() != null) {
            b = JdbiStore.builder(jdbc.getUrl());
            if (jdbc.getUser() != null) {
                b.credentials(jdbc.getUser(), jdbc.getPassword());
            }
        } else {
            log.warn("ELB Warmkeeper: no DataSource and no 'elb.jdbc.url': job state and preferences live in an"
                    + " in-memory H2 database and are lost on restart");
            b = JdbiStore.builder("jdbc:h2:mem:elb-warmkeeper;DB_CLOSE_DELAY=-1");
        }
        if (jdbc.getSchema() != null) {
            b.schema(jdbc.getSchema());
        }
        JdbiStore store = b.tablePrefix(jdbc.getTablePrefix())
                .migrate(jdbc.isMigrate())
                .clock(clock)
                .build();
        for (ManagedCluster c : settings.clusters()) {
            if (!c.databases().isEmpty()) {
                store.autoWarmPreferences().enable(c.ref(), c.databases());
            }
            for (DatabaseName db : c.downloaded()) {
                store.databaseInventory().markDownloaded(c.ref(), db);
            }
        }
        return store;
    }

    @Bean
    @Lazy
    @ConditionalOnMissingBean
    public JobStateRepository elbJobStateRepository(JdbiStore store) {
        return store.jobStateRepository();
    }

    @Bean
    @Lazy
    @ConditionalOnMissingBean
    public AutoWarmPreferences elbAutoWarmPreferences(JdbiStore store) {
        return store.autoWarmPreferences();
    }

    @Bean
    @Lazy
    @ConditionalOnMissingBean
    public DatabaseInventory elbDatabaseInventory(JdbiStore store) {
        return store.databaseInventory();
    }

    /**
     * The attempt history (backoff, early lock release, stuck loading) in the store, shared by replicas,
     * when the preferences are the store's; an application that gives its own preferences gets none
     * (no backoff, as before) unless it also gives a {@link WarmAttemptHistory} bean.
     */
    @Bean
    @Lazy
    @ConditionalOnMissingBean
    public WarmAttemptHistory elbWarmAttemptHistory(AutoWarmPreferences preferences, ObjectProvider<JdbiStore> store) {
        return preferences instanceof JdbiAutoWarmPreferences
                ? store.getObject().warmAttemptHistory()
                : WarmAttemptHistory.NONE;
    }

    /** The single-replica lock, when neither the application nor Redis gives one (a warning). */
    @Bean
    @ConditionalOnMissingBean
    public InflightLock elbInflightLock(Clock clock) {
        log.warn("ELB Warmkeeper: no RedissonClient and no 'elb.redis.url': the in-flight lock is in memory, for a"
                + " single replica only (two replicas would enqueue the same warmup)");
        return InMemoryInflightLock.create(clock);
    }

    @Bean
    @ConditionalOnMissingBean
    public JobStateEvents elbJobStateEvents() {
        return JobStateEvents.NOOP;
    }

    /** One Kubernetes client per cluster, from a kubeconfig file's contexts ({@code elb.kube.config}) or the default one. */
    @Bean(destroyMethod = "close")
    @Lazy
    @ConditionalOnMissingBean
    public KubernetesClientProvider elbKubernetesClients(ElbSettings settings) {
        String file = settings.properties().getKube().getConfig();
        if (file == null) {
            return KubernetesClientProvider.builder(
                            KubernetesConfigSource.kubeconfigContexts(ref -> context(settings, ref)))
                    .build();
        }
        File kubeconfig = new File(file);
        if (!kubeconfig.isFile()) {
            throw new IllegalArgumentException(
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
                })
                .build();
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

    /** Azure Resource Manager: the default credential, or an unauthenticated pipeline for {@code elb.azure.auth=none}. */
    @Bean
    @Lazy
    @ConditionalOnMissingBean
    public ArmConnection elbArmConnection(ElbSettings settings) {
        String endpoint = settings.properties().getAzure().getEndpoint();
        if (settings.plainArm() && endpoint != null) {
            return ArmConnection.of(
                    new HttpPipelineBuilder()
                            .httpClient(new JdkHttpClientBuilder().build())
                            .policies(new RetryPolicy())
                            .build(),
                    endpoint);
        }
        return ArmConnection.defaultCredential();
    }

    @Bean(destroyMethod = "close")
    @Lazy
    @ConditionalOnMissingBean(ClusterProvisioner.class)
    public AksClusterProvisioner elbClusterProvisioner(ArmConnection arm, ElbSettings settings) {
        return AksClusterProvisioner.builder(arm)
                .pollInterval(settings.properties().getAzure().getPollInterval())
                .build();
    }

    /** ARM state (when {@code elb.azure.readiness}) and node readiness (informer-backed or a LIST per tick). */
    @Bean
    @Lazy
    @ConditionalOnMissingBean
    public ClusterReadinessProbe elbClusterReadinessProbe(
            ElbSettings settings,
            ObjectProvider<ArmConnection> arm,
            ObjectProvider<KubernetesClientProvider> clients,
            ObjectProvider<ElbInformers> informers,
            Clock clock) {
        List<ClusterReadinessProbe> probes = new ArrayList<>();
        if (settings.properties().getAzure().isReadiness()) {
            // One ARM read per cluster per elb.azure.readiness-cache while ready (30 s while not), a 429's
            // Retry-After honoured; a zero cache reads ARM on every tick.
            AksReadinessProbe aks = AksReadinessProbe.of(arm.getObject());
            Duration cache = settings.properties().getAzure().getReadinessCache();
            probes.add(
                    cache.isZero()
                            ? aks
                            : CachedReadinessProbe.builder(aks)
                                    .clock(clock)
                                    .readyTtl(cache)
                                    .build());
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
        @Bean(destroyMethod = "close")
        @ConditionalOnMissingBean(LeaderElection.class)
        Fabric8LeaderElection elbLeaseLeaderElection(ElbSettings settings, KubernetesClientProvider clients) {
            ElbProperties.Leader leader = settings.properties().getLeader();
            ManagedCluster home = settings.leaseCluster()
                    .orElseThrow(() -> new IllegalArgumentException(
                            "'elb.leader.lease' needs a cluster in 'elb.clusters' to hold the Lease"));
            String namespace = leader.getNamespace() != null
                    ? leader.getNamespace()
                    : settings.properties().getKube().getNamespace();
            // Through the provider: a Lease call refused with 401/403 rebuilds the client once.
            return Fabric8LeaderElection.builder(clients, home.ref(), namespace, String.valueOf(leader.getLease()))
                    .build()
                    .start();
        }
    }

    /** Without a Lease every replica leads (use the Redis lock with several replicas). */
    @Bean
    @ConditionalOnMissingBean
    public LeaderElection elbLeaderElection() {
        return LeaderElection.ALWAYS;
    }

    @Bean
    @Lazy
    @ConditionalOnMissingBean
    public AutoWarmReconciler elbAutoWarmReconciler(
            AutoWarmPreferences preferences,
            DatabaseInventory inventory,
            WarmStatusProbe statusProbe,
            InflightLock lock,
            WarmupDispatcher dispatcher,
            ClusterReadinessProbe readiness,
            ObjectProvider<AutoWarmObserver> observer,
            Clock clock,
            ElbSettings settings,
            ObjectProvider<WarmAttemptHistory> history) {
        Duration lockTtl = settings.properties().getAutowarm().getLockTtl();
        return AutoWarmReconciler.builder(preferences, inventory, statusProbe, lock, dispatcher)
                .history(history.getIfAvailable(() -> WarmAttemptHistory.NONE))
                .backoff(WarmBackoff.builder()
                        .base(lockTtl)
                        .cap(lockTtl.compareTo(WarmBackoff.DEFAULT_CAP) > 0 ? lockTtl : WarmBackoff.DEFAULT_CAP)
                        .build())
                .readiness(readiness)
                .clock(clock)
                .lockTtl(lockTtl)
                .observer(observer.getIfAvailable(() -> AutoWarmObserver.NOOP))
                .build();
    }

    /** Ticks from application-ready until the context closes; off with {@code elb.autowarm.enabled=false}. */
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnProperty(prefix = "elb.autowarm", name = "enabled", havingValue = "true", matchIfMissing = true)
    public ElbScheduling elbScheduling(
            ObjectProvider<AutoWarmReconciler> reconciler,
            LeaderElection leader,
            ElbSettings settings,
            ObjectProvider<AutoWarmObserver> observer) {
        return new ElbScheduling(
                reconciler::getObject,
                leader,
                settings.properties().getAutowarm().getInterval(),
                observer.getIfAvailable(() -> AutoWarmObserver.NOOP));
    }

    @Bean
    @Lazy
    @ConditionalOnMissingBean
    public ProvisioningService elbProvisioningService(
            JobStateRepository jobs,
            ClusterProvisioner provisioner,
            JobStateEvents events,
            ObjectProvider<ProvisioningObserver> observer,
            Clock clock,
            ElbSettings settings) {
        ProvisioningService.Builder b = ProvisioningService.builder(jobs, provisioner)
                .events(events)
                .clock(clock)
                .observer(observer.getIfAvailable(() -> ProvisioningObserver.NOOP))
                .policy(settings.provisionPolicy());
        String tenant = settings.properties().getAzure().getTenant();
        if (tenant != null) {
            b.tenant(tenant);
        }
        return b.build();
    }

    /** Dead-job detection, maximum age and retention on the leader; off with {@code elb.provision.sweep=false}. */
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnProperty(prefix = "elb.provision", name = "sweep", havingValue = "true", matchIfMissing = true)
    public ElbSweeping elbSweeping(
            ObjectProvider<ProvisioningService> provisioning, LeaderElection leader, ElbSettings settings) {
        java.time.Duration window = settings.properties().getProvision().getResumeWindow();
        SweepPolicy policy = SweepPolicy.ofDefaults()
                .withStaleAfter(window)
                .withMaxAge(window.compareTo(SweepPolicy.DEFAULT_MAX_AGE) > 0 ? window : SweepPolicy.DEFAULT_MAX_AGE);
        return new ElbSweeping(() -> ProvisioningSweeper.builder(provisioning.getObject()), policy, leader);
    }

    @Bean
    @ConditionalOnMissingBean
    public ImageTagSource elbImageTagSource(ElbSettings settings) {
        return ImageTagSource.of(settings.imageTags());
    }

    /** The running services' versions from {@code elb.openapi.<service>}. */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    public OpenApiDeployedVersionProbe elbOpenApiProbe(ElbSettings settings) {
        return OpenApiDeployedVersionProbe.viaUrl(settings.openApiUrls()::get).build();
    }

    @Bean
    @ConditionalOnMissingBean
    public DeployedVersionProbe elbDeployedVersionProbe(ElbSettings settings, OpenApiDeployedVersionProbe probe) {
        return service -> settings.openApiUrls().containsKey(service)
                ? probe.deployedVersion(service)
                : DeployedVersion.unreachable("no 'elb.openapi." + service.value() + "' URL configured");
    }

    @Bean
    @ConditionalOnMissingBean
    public ImageRegistry elbImageRegistry(ElbSettings settings) {
        String server = settings.properties().getRegistry().getLoginServer();
        if (server == null) {
            return (service, tag) -> true;
        }
        AcrImageRegistry.Builder b = AcrImageRegistry.builder(server);
        if (settings.plainArm()) {
            b.pipeline(new HttpPipelineBuilder()
                    .httpClient(new JdkHttpClientBuilder().build())
                    .build());
        }
        return b.build();
    }

    @Bean
    @ConditionalOnMissingBean
    public VersionGateService elbVersionGateService(
            ImageTagSource tags, DeployedVersionProbe deployed, ImageRegistry registry) {
        return VersionGateService.builder(tags, deployed, registry).build();
    }

    @Bean
    @ConditionalOnMissingBean
    public ElbHealth elbHealth(
            ElbSettings settings,
            InflightLock lock,
            LeaderElection leader,
            ObjectProvider<ElbScheduling> scheduling,
            ObjectProvider<AutoWarmPreferences> preferences) {
        return new ElbHealth(settings, lock, leader, scheduling, preferences);
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
