package org.elb.warmkeeper.runner;

import com.azure.core.http.HttpPipeline;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.elb.warmkeeper.azure.AcrImageRegistry;
import org.elb.warmkeeper.azure.AksClusterProvisioner;
import org.elb.warmkeeper.azure.AksReadinessProbe;
import org.elb.warmkeeper.azure.ArmConnection;
import org.elb.warmkeeper.azure.ArmRetry;
import org.elb.warmkeeper.core.BackendUnavailableException;
import org.elb.warmkeeper.core.Secrets;
import org.elb.warmkeeper.core.cluster.DatabaseName;
import org.elb.warmkeeper.core.provision.JobStateEvents;
import org.elb.warmkeeper.core.provision.ProvisioningService;
import org.elb.warmkeeper.core.version.DeployedVersion;
import org.elb.warmkeeper.core.version.DeployedVersionProbe;
import org.elb.warmkeeper.core.version.ImageRegistry;
import org.elb.warmkeeper.core.version.ImageTagSource;
import org.elb.warmkeeper.core.version.ServiceName;
import org.elb.warmkeeper.core.version.VersionGateService;
import org.elb.warmkeeper.core.warm.AutoWarmReconciler;
import org.elb.warmkeeper.core.warm.CachedReadinessProbe;
import org.elb.warmkeeper.core.warm.ClusterReadinessProbe;
import org.elb.warmkeeper.core.warm.InflightLock;
import org.elb.warmkeeper.core.warm.LeaderElection;
import org.elb.warmkeeper.core.warm.WarmBackoff;
import org.elb.warmkeeper.core.warm.WarmStatusProbe;
import org.elb.warmkeeper.core.warm.WarmupDispatcher;
import org.elb.warmkeeper.inmemory.InMemoryInflightLock;
import org.elb.warmkeeper.inmemory.LocalJobStateEvents;
import org.elb.warmkeeper.jdbi.JdbiStore;
import org.elb.warmkeeper.k8s.OpenApiDeployedVersionProbe;
import org.elb.warmkeeper.micrometer.MicrometerObserver;
import org.elb.warmkeeper.redis.RedissonClients;
import org.elb.warmkeeper.redis.RedissonInflightLock;
import org.elb.warmkeeper.redis.RedissonJobStateEvents;
import org.elb.warmkeeper.runner.RunConfig.ConfigException;
import org.elb.warmkeeper.runner.RunSettings.Cluster;
import org.jspecify.annotations.Nullable;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

/**
 * The real adapters, built from {@link RunSettings} on first use and closed together: the JDBI store,
 * the in-flight lock (Redis, or in memory for a single replica), the Kubernetes adapters, the Azure
 * provisioner, readiness and registry, the services over them, and a Prometheus registry that every
 * service reports to. {@link #checks()} asks each configured dependency once and says whether it answered.
 */
final class Wiring implements AutoCloseable {

    /** One dependency's state at start: never holds a secret (the detail is masked: it names endpoints). */
    record Check(String dependency, boolean ok, String detail) {
        Check {
            detail = Secrets.masked(detail);
        }

        String line() {
            return String.format("  %-12s %-12s %s", dependency, ok ? "ok" : "UNAVAILABLE", detail);
        }
    }

    final RunSettings settings;
    final Clock clock;
    final PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    final MicrometerObserver metrics = MicrometerObserver.of(prometheus);
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private @Nullable JdbiStore store;
    private @Nullable ArmConnection arm;
    private @Nullable AksClusterProvisioner provisioner;
    private @Nullable ProvisioningService provisioning;
    private @Nullable VersionGateService gate;
    private @Nullable AutoWarmReconciler reconciler;
    private @Nullable InflightLock lock;
    private @Nullable Kube kube;
    private @Nullable RedissonClient redis;
    private @Nullable DeployedVersionProbe deployed;
    private @Nullable JobStateEvents events;

    Wiring(RunSettings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        closeables.add(JvmMeters.bind(prometheus));
        Gauge.builder("elb.informers.up", this, Wiring::informersUp)
                .description("1 when every started informer is synced and watching, 0 when one is not (readyz"
                        + " component informers); NaN before Kubernetes is set up")
                .register(prometheus);
    }

    /** For the gauge: the informers' state, without setting Kubernetes up for a scrape. */
    private double informersUp() {
        Kube k;
        synchronized (this) {
            k = kube;
        }
        if (k == null) {
            return Double.NaN;
        }
        return k.informersHealth().status() == org.elb.warmkeeper.runner.http.Health.Status.UP ? 1 : 0;
    }

    /** The JDBI store, migrated; the configured clusters are seeded into its preferences and inventory. */
    synchronized JdbiStore store() {
        if (store == null) {
            JdbiStore.Builder b = JdbiStore.builder(settings.jdbcUrl).clock(clock);
            if (settings.jdbcUser != null) {
                b.credentials(settings.jdbcUser, settings.jdbcPassword);
            }
            if (settings.jdbcSchema != null) {
                b.schema(settings.jdbcSchema);
            }
            JdbiStore s = b.build();
            closeables.add(s);
            store = s;
        }
        return store;
    }

    /**
     * Seeds the configured clusters into the store: a cluster's auto-warm preferences once (what users
     * change through the API survives restarts; {@code elb.autowarm.reseed=true} writes them again), its
     * downloaded databases every start.
     */
    void seed() {
        JdbiStore s = store();
        for (Cluster c : settings.clusters) {
            s.seedCluster(c.ref(), c.databases(), c.downloaded(), settings.reseed);
        }
    }

    synchronized ArmConnection arm() {
        if (arm == null) {
            if (settings.azureAuth == RunSettings.AzureAuth.NONE) {
                if (settings.azureEndpoint == null) {
                    throw new ConfigException(
                            "'elb.azure.auth' none needs 'elb.azure.endpoint' (the URL of a Resource Manager emulator or proxy)");
                }
                arm = ArmConnection.of(plainPipeline(), settings.azureEndpoint);
            } else if (settings.azureEndpoint != null) {
                throw new ConfigException(
                        "'elb.azure.endpoint' is for 'elb.azure.auth' none; with the default credential the public cloud is used");
            } else {
                arm = ArmConnection.defaultCredential();
            }
        }
        return arm;
    }

    /**
     * A pipeline without authentication (a local emulator or an authenticating proxy), with the adapters'
     * ARM retries and timeouts ({@link ArmRetry}: one quick retry, a long Retry-After returned, not slept).
     */
    static HttpPipeline plainPipeline() {
        return ArmRetry.pipeline();
    }

    synchronized AksClusterProvisioner provisioner() {
        if (provisioner == null) {
            AksClusterProvisioner p = AksClusterProvisioner.builder(arm())
                    .pollInterval(settings.pollInterval)
                    .build();
            closeables.add(p);
            provisioner = p;
        }
        return provisioner;
    }

    synchronized ProvisioningService provisioning() {
        if (provisioning == null) {
            ProvisioningService.Builder b = ProvisioningService.builder(store().jobStateRepository(), provisioner())
                    .clock(clock)
                    .observer(metrics)
                    .events(events())
                    .policy(settings.provisionPolicy);
            if (settings.azureTenant != null) {
                b.tenant(settings.azureTenant);
            }
            provisioning = b.build();
            metrics.bindWriteQueue(provisioning);
            closeables.add(provisioning); // stops retrying queued job-state writes (logged if any wait)
        }
        return provisioning;
    }

    synchronized VersionGateService gate() {
        if (gate == null) {
            gate = VersionGateService.builder(ImageTagSource.of(settings.imageTags), deployedVersions(), registry())
                    .build();
        }
        return gate;
    }

    ImageRegistry registry() {
        if (settings.registry == null) {
            return describe((service, tag) -> true, "not configured: every pinned tag is taken to exist");
        }
        AcrImageRegistry.Builder b = AcrImageRegistry.builder(settings.registry);
        if (settings.azureAuth == RunSettings.AzureAuth.NONE) {
            b.pipeline(plainPipeline());
        }
        return b.build();
    }

    /** The running services' versions from their OpenAPI spec URLs ({@code elb.openapi.<service>}). */
    synchronized DeployedVersionProbe deployedVersions() {
        if (deployed == null) {
            Map<ServiceName, URI> urls = new java.util.HashMap<>();
            settings.openApiUrls.forEach((service, url) -> urls.put(service, URI.create(url)));
            // asked only for configured services (below), so the URL is there
            OpenApiDeployedVersionProbe probe = OpenApiDeployedVersionProbe.viaUrl(
                            service -> Objects.requireNonNull(urls.get(service), "url"))
                    .build();
            closeables.add(probe);
            deployed = service -> urls.containsKey(service)
                    ? probe.deployedVersion(service)
                    : DeployedVersion.unreachable("no 'elb.openapi." + service.value() + "' URL configured");
        }
        return deployed;
    }

    synchronized InflightLock lock() {
        if (lock == null) {
            RedissonClient client = redis();
            lock = client == null ? InMemoryInflightLock.create(clock) : RedissonInflightLock.of(client);
        }
        return lock;
    }

    /** The Redis client when {@code elb.redis.url} is set (lazy: built while Redis is down too). */
    synchronized @Nullable RedissonClient redis() {
        if (settings.redisUrl == null) {
            return null;
        }
        if (redis == null) {
            RedissonClient client = RedissonClients.create(settings.redisUrl);
            closeables.add(client::shutdown);
            redis = client;
        }
        return redis;
    }

    /**
     * Job-state changes on Redis pub/sub when Redis is configured (every replica hears them), else within
     * this process (one replica: its event streams still hear its own changes). One instance.
     */
    synchronized JobStateEvents events() {
        if (events == null) {
            RedissonClient client = redis();
            events = client == null ? LocalJobStateEvents.create() : RedissonJobStateEvents.of(client);
        }
        return events;
    }

    String lockDescription() {
        return settings.redisUrl == null
                ? "in memory (no elb.redis.url): single replica only, locks are lost on restart"
                : Secrets.masked(settings.redisUrl);
    }

    synchronized Kube kube() {
        if (kube == null) {
            kube = Kube.create(this);
            closeables.add(kube);
        }
        return kube;
    }

    ClusterReadinessProbe readiness() {
        List<ClusterReadinessProbe> probes = new ArrayList<>();
        if (settings.armReadiness) {
            // one ARM read per cluster per elb.azure.readiness-cache while ready (30 s while not), 429
            // Retry-After honoured; a zero cache reads ARM on every tick
            AksReadinessProbe aks = AksReadinessProbe.of(arm());
            probes.add(
                    settings.armReadinessCache.isZero()
                            ? aks
                            : CachedReadinessProbe.builder(aks)
                                    .clock(clock)
                                    .readyTtl(settings.armReadinessCache)
                                    .build());
        }
        kube().nodeReadiness().ifPresent(probes::add);
        return ClusterReadinessProbe.allOf(probes.toArray(ClusterReadinessProbe[]::new));
    }

    synchronized AutoWarmReconciler reconciler() {
        if (reconciler == null) {
            JdbiStore s = store();
            Kube k = kube();
            reconciler = AutoWarmReconciler.builder(
                            s.autoWarmPreferences(), s.databaseInventory(), k.statusProbe(), lock(), k.dispatcher())
                    .readiness(readiness())
                    .clock(clock)
                    .lockTtl(settings.lockTtl)
                    .observer(new RetainingObserver(metrics, k))
                    .history(s.warmAttemptHistory())
                    .backoff(WarmBackoff.forLockTtl(settings.lockTtl))
                    .build();
            closeables.add(reconciler); // its worker pool; closed before the adapters it calls
        }
        return reconciler;
    }

    LeaderElection leaderElection() {
        return kube().leaderElection().orElse(LeaderElection.ALWAYS);
    }

    /** Asks every configured dependency once, each bounded by {@code elb.check.timeout}. */
    List<Check> checks() {
        List<Check> out = new ArrayList<>();
        out.add(check("database", () -> {
            JdbiStore s = store();
            s.autoWarmPreferences().enabledClusters();
            return s.dialect().name().toLowerCase(java.util.Locale.ROOT) + " " + urlWithoutSecrets(settings.jdbcUrl)
                    + " (migrated; " + settings.clusters.size() + " cluster(s) configured)";
        }));
        out.add(lockCheck());
        out.addAll(kube().checks());
        if (settings.clusters.isEmpty()) {
            out.add(new Check("azure", true, arm() + ": not checked (no cluster configured)"));
        } else {
            Cluster first = settings.clusters.get(0);
            out.add(check(
                    "azure",
                    () -> arm() + ": " + first.name() + " "
                            + readinessText(AksReadinessProbe.of(arm()).probe(first.ref()))));
        }
        if (settings.registry == null) {
            out.add(new Check("registry", true, "not configured: pinned tags are not checked against a registry"));
        } else {
            ImageRegistry r = registry();
            settings.imageTags.forEach((service, tag) -> out.add(check(
                    "registry",
                    () -> settings.registry + " " + service.value() + ":" + tag.value()
                            + (r.tagExists(service, tag) ? " exists" : " MISSING"))));
        }
        DeployedVersionProbe versions = deployedVersions();
        settings.imageTags.keySet().forEach(service -> {
            DeployedVersion v = versions.deployedVersion(service);
            boolean ok = !(v instanceof DeployedVersion.Unreachable);
            out.add(new Check("openapi", ok, service.value() + ": " + describe(v)));
        });
        return out;
    }

    private Check lockCheck() {
        RedissonClient client = redis();
        if (client == null) {
            return new Check("redis", true, lockDescription());
        }
        return check("redis", () -> {
            client.getBucket("elb:runner:check", StringCodec.INSTANCE).isExists();
            return lockDescription() + " (in-flight lock, job-state events)";
        });
    }

    private static String describe(DeployedVersion v) {
        if (v instanceof DeployedVersion.Reported r) {
            return "reports version " + r.version();
        } else if (v instanceof DeployedVersion.Unknown u) {
            return "answers without a usable version: " + u.reason();
        }
        return "unreachable: " + ((DeployedVersion.Unreachable) v).reason();
    }

    static String readinessText(org.elb.warmkeeper.core.warm.Readiness r) {
        return r.isReady() ? "ready" : "not ready: " + r.reason();
    }

    Check check(String name, Supplier<String> probe) {
        try {
            String detail =
                    CompletableFuture.supplyAsync(probe).get(settings.checkTimeout.toMillis(), TimeUnit.MILLISECONDS);
            return new Check(name, true, detail);
        } catch (TimeoutException e) {
            return new Check(name, false, "no answer within " + settings.checkTimeout);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof ConfigException ce) {
                throw ce;
            }
            return new Check(name, false, reason(cause == null ? e : cause));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Check(name, false, "interrupted");
        }
    }

    /** A failure's message without secrets (URLs masked). */
    static String reason(Throwable e) {
        return Secrets.masked(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
    }

    /** A JDBC URL without its parameters and user info (which may hold a password). */
    static String urlWithoutSecrets(String url) {
        int q = url.indexOf('?');
        String base = q < 0 ? url : url.substring(0, q);
        int semi = base.indexOf(';');
        base = semi < 0 ? base : base.substring(0, semi);
        return Secrets.masked(base);
    }

    static ImageRegistry describe(ImageRegistry registry, String text) {
        return new ImageRegistry() {
            @Override
            public boolean tagExists(
                    org.elb.warmkeeper.core.version.ServiceName repository,
                    org.elb.warmkeeper.core.version.ImageTag tag) {
                return registry.tagExists(repository, tag);
            }

            @Override
            public String toString() {
                return text;
            }
        };
    }

    @Override
    public synchronized void close() {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            try {
                closeables.get(i).close();
            } catch (Exception e) {
                org.slf4j.LoggerFactory.getLogger(Wiring.class)
                        .warn("closing {} failed: {}", closeables.get(i), e.toString());
            }
        }
        closeables.clear();
    }

    /** The Kubernetes side: status probe, dispatcher, node readiness, deployed versions, leader lease. */
    interface Kube extends AutoCloseable {
        WarmStatusProbe statusProbe();

        WarmupDispatcher dispatcher();

        java.util.Optional<ClusterReadinessProbe> nodeReadiness();

        java.util.Optional<LeaderElection> leaderElection();

        List<Check> checks();

        /** After a tick: keeps what serves the clusters {@code ticked}, stops the rest (the informers). */
        default void retainOnly(java.util.Collection<org.elb.warmkeeper.core.cluster.ClusterRef> ticked) {}

        /** The state of the informer caches, for {@code /readyz}. */
        default org.elb.warmkeeper.runner.http.Health informersHealth() {
            return org.elb.warmkeeper.runner.http.Health.up("not used: no Kubernetes configured");
        }

        @Override
        void close();

        static Kube create(Wiring w) {
            return w.settings.kubeSource == RunSettings.KubeSource.NONE ? new NoKube() : new Fabric8Kube(w);
        }
    }

    /**
     * The metrics observer, and after every completed tick the Kubernetes side keeps only what the tick's
     * clusters need (the informers of clusters no longer configured are stopped).
     */
    static final class RetainingObserver implements org.elb.warmkeeper.core.warm.AutoWarmObserver {
        private final org.elb.warmkeeper.core.warm.AutoWarmObserver metrics;
        private final Kube kube;

        RetainingObserver(org.elb.warmkeeper.core.warm.AutoWarmObserver metrics, Kube kube) {
            this.metrics = metrics;
            this.kube = kube;
        }

        @Override
        public void tickCompleted(org.elb.warmkeeper.core.warm.TickReport report, java.time.Duration duration) {
            metrics.tickCompleted(report, duration);
            try {
                kube.retainOnly(report.clusters().stream()
                        .map(org.elb.warmkeeper.core.warm.ClusterOutcome::cluster)
                        .toList());
            } catch (RuntimeException e) {
                org.slf4j.LoggerFactory.getLogger(Wiring.class)
                        .warn("stopping the informers of removed clusters failed: {}", reason(e));
            }
        }

        @Override
        public void tickFailed(Throwable error) {
            metrics.tickFailed(error);
        }

        @Override
        public void enqueued(org.elb.warmkeeper.core.cluster.ClusterRef cluster, DatabaseName db) {
            metrics.enqueued(cluster, db);
        }

        @Override
        public void skipped(
                org.elb.warmkeeper.core.cluster.ClusterRef cluster,
                DatabaseName db,
                org.elb.warmkeeper.core.warm.SkipReason reason) {
            metrics.skipped(cluster, db, reason);
        }

        @Override
        public void lockFailedOpen(org.elb.warmkeeper.core.cluster.ClusterRef cluster, DatabaseName db) {
            metrics.lockFailedOpen(cluster, db);
        }

        @Override
        public void stuckLoading(
                org.elb.warmkeeper.core.cluster.ClusterRef cluster, DatabaseName db, java.time.Instant loadingSince) {
            metrics.stuckLoading(cluster, db, loadingSince);
        }

        @Override
        public void probeFailed(org.elb.warmkeeper.core.cluster.ClusterRef cluster, String stage, Throwable error) {
            metrics.probeFailed(cluster, stage, error);
        }
    }

    /** No Kubernetes configured: auto-warm cannot probe or dispatch, each cluster's tick outcome is ERROR. */
    static final class NoKube implements Kube {
        @Override
        public WarmStatusProbe statusProbe() {
            return (cluster, dbs) -> {
                throw new BackendUnavailableException(
                        "kubernetes", "warm status", "no Kubernetes configured (elb.kube.source)");
            };
        }

        @Override
        public WarmupDispatcher dispatcher() {
            return request -> {
                throw new BackendUnavailableException(
                        "kubernetes", "dispatch", "no Kubernetes configured (elb.kube.source)");
            };
        }

        @Override
        public java.util.Optional<ClusterReadinessProbe> nodeReadiness() {
            return java.util.Optional.empty();
        }

        @Override
        public java.util.Optional<LeaderElection> leaderElection() {
            return java.util.Optional.empty();
        }

        @Override
        public List<Check> checks() {
            return List.of(new Check(
                    "kubernetes",
                    false,
                    "not configured (elb.kube.source=none): auto-warm cannot read warm status or dispatch warmups"));
        }

        @Override
        public void close() {}
    }
}
