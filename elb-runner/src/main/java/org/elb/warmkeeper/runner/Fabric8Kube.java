package org.elb.warmkeeper.runner;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.elb.warmkeeper.azure.AksKubeconfigSource;
import org.elb.warmkeeper.core.cluster.ClusterRef;
import org.elb.warmkeeper.core.warm.ClusterReadinessProbe;
import org.elb.warmkeeper.core.warm.LeaderElection;
import org.elb.warmkeeper.core.warm.Readiness;
import org.elb.warmkeeper.core.warm.WarmStatusProbe;
import org.elb.warmkeeper.core.warm.WarmupDispatcher;
import org.elb.warmkeeper.k8s.Fabric8InformerNodeReadinessProbe;
import org.elb.warmkeeper.k8s.Fabric8InformerWarmStatusProbe;
import org.elb.warmkeeper.k8s.Fabric8LeaderElection;
import org.elb.warmkeeper.k8s.Fabric8NodeReadinessProbe;
import org.elb.warmkeeper.k8s.Fabric8WarmStatusProbe;
import org.elb.warmkeeper.k8s.Fabric8WarmupDispatcher;
import org.elb.warmkeeper.k8s.InCluster;
import org.elb.warmkeeper.k8s.KubernetesClientProvider;
import org.elb.warmkeeper.k8s.KubernetesConfigSource;
import org.elb.warmkeeper.k8s.WarmupJobTemplate;
import org.elb.warmkeeper.runner.RunConfig.ConfigException;
import org.elb.warmkeeper.runner.RunSettings.Cluster;
import org.elb.warmkeeper.runner.http.Health;
import org.jspecify.annotations.Nullable;

/**
 * The Kubernetes side on Fabric8: one client per cluster from a kubeconfig file (a context per cluster)
 * or from AKS user credentials fetched through ARM; warm status and node readiness from informer caches
 * (by default: no API call per tick once synced; {@code elb.kube.status-source=list} makes one LIST of
 * each per cluster per tick), the Job dispatcher, and the Lease leader election when
 * {@code elb.leader.lease} is set. The informers of clusters no longer ticked are stopped after each
 * tick ({@link #retainOnly}), and every informer is stopped on close.
 */
final class Fabric8Kube implements Wiring.Kube {

    private final Wiring wiring;
    private final RunSettings settings;
    private final KubernetesClientProvider clients;
    private final Job template;
    private @Nullable Fabric8LeaderElection leader;
    private @Nullable KubernetesClientProvider ownCluster;
    private @Nullable Informers informers;

    Fabric8Kube(Wiring wiring) {
        this.wiring = wiring;
        this.settings = wiring.settings;
        this.template = template(settings);
        this.clients = KubernetesClientProvider.builder(source()).build();
    }

    private KubernetesConfigSource source() {
        if (settings.kubeSource == RunSettings.KubeSource.AKS) {
            return KubernetesConfigSource.kubeconfigDocuments(
                    ref -> AksKubeconfigSource.of(wiring.arm()).kubeconfig(ref));
        }
        if (settings.kubeconfig == null) {
            return KubernetesConfigSource.kubeconfigContexts(this::context);
        }
        java.io.File file = settings.kubeconfig.toFile();
        if (!file.isFile()) {
            throw new ConfigException(
                    "'elb.kube.config' must be a readable kubeconfig file, but '" + settings.kubeconfig + "' is not");
        }
        return cluster -> {
            String context = context(cluster);
            Config config = Config.fromKubeconfig(context, file);
            if (config.getCurrentContext() == null
                    || !context.equals(config.getCurrentContext().getName())) {
                throw new IllegalArgumentException(
                        "kubeconfig " + file + " has no context '" + context + "' for cluster " + cluster.display()
                                + " (set 'elb.cluster." + cluster.clusterName() + ".kube-context')");
            }
            return config;
        };
    }

    private String context(ClusterRef ref) {
        return settings.clusters.stream()
                .filter(c -> c.ref().equals(ref))
                .map(Cluster::kubeContext)
                .findFirst()
                .orElse(ref.clusterName());
    }

    static Job template(RunSettings settings) {
        if (settings.warmupTemplate != null) {
            try {
                return Serialization.unmarshal(Files.readString(settings.warmupTemplate), Job.class);
            } catch (IOException | RuntimeException e) {
                throw new ConfigException("'elb.kube.warmup-template' must be a readable YAML file of a batch/v1 Job: "
                        + settings.warmupTemplate + ": " + e.getMessage());
            }
        }
        return WarmupJobTemplate.defaults(settings.warmupImage);
    }

    @Override
    public WarmStatusProbe statusProbe() {
        Informers i = informers();
        if (i != null) {
            return i.statuses;
        }
        return Fabric8WarmStatusProbe.builder(clients)
                .namespace(settings.namespace)
                .build();
    }

    @Override
    public WarmupDispatcher dispatcher() {
        return Fabric8WarmupDispatcher.builder(clients, template)
                .namespace(settings.namespace)
                .build();
    }

    @Override
    public Optional<ClusterReadinessProbe> nodeReadiness() {
        Informers i = informers();
        return Optional.of(i != null ? i.nodes : Fabric8NodeReadinessProbe.of(clients));
    }

    /** The informer probes ({@code elb.kube.status-source=informer}, the default), made once; null for list. */
    private synchronized @Nullable Informers informers() {
        if (settings.statusSource != RunSettings.StatusSource.INFORMER) {
            return null;
        }
        if (informers == null) {
            informers = new Informers(clients, settings.namespace);
        }
        return informers;
    }

    @Override
    public void retainOnly(Collection<ClusterRef> ticked) {
        Informers i = informers();
        if (i != null) {
            i.retainOnly(ticked, settings.leaseCluster().map(Cluster::ref).orElse(null));
        }
    }

    @Override
    public Health informersHealth() {
        Informers i = informers();
        return i == null
                ? Health.up("not used (elb.kube.status-source=list: one LIST of pods and nodes per cluster per tick)")
                : i.health();
    }

    /** Key of the runner's own cluster (in-cluster configuration) in {@link #ownCluster}. */
    static final ClusterRef OWN_CLUSTER = InCluster.OWN_CLUSTER;

    @Override
    public synchronized Optional<LeaderElection> leaderElection() {
        Optional<RunSettings.LeasePlacement> placement = settings.leasePlacement();
        String lease = settings.leaderLease;
        if (placement.isEmpty() || lease == null) {
            return Optional.empty();
        }
        if (leader == null) {
            Cluster home = placement.get().cluster();
            // Through a client provider: a 401/403 on a Lease call rebuilds the client once.
            leader = (home != null
                            ? Fabric8LeaderElection.builder(
                                    clients, home.ref(), placement.get().namespace(), lease)
                            : Fabric8LeaderElection.builder(
                                    ownCluster(), OWN_CLUSTER, placement.get().namespace(), lease))
                    .build()
                    .start();
        }
        return Optional.of(leader);
    }

    /** Clients of the cluster the runner runs in: Kubernetes' in-cluster configuration (service account). */
    private synchronized KubernetesClientProvider ownCluster() {
        if (ownCluster == null) {
            ownCluster = InCluster.clients();
        }
        return ownCluster;
    }

    @Override
    public List<Wiring.Check> checks() {
        List<Wiring.Check> out = new ArrayList<>();
        Informers i = informers();
        String how = settings.kubeSource == RunSettings.KubeSource.AKS ? "AKS credentials" : "context ";
        if (i == null) {
            Fabric8NodeReadinessProbe nodes = Fabric8NodeReadinessProbe.of(clients);
            for (Cluster c : settings.clusters) {
                String via = settings.kubeSource == RunSettings.KubeSource.AKS ? how : how + c.kubeContext();
                out.add(wiring.check(
                        "kubernetes",
                        () -> c.name() + " (" + via + ", namespace " + settings.namespace + "): "
                                + Wiring.readinessText(nodes.probe(c.ref()))));
            }
        } else {
            // every cluster's informers start syncing at once; each check then waits for its own
            Map<Cluster, CompletableFuture<Readiness>> syncs = i.syncAll(settings.clusters);
            for (Cluster c : settings.clusters) {
                String via = settings.kubeSource == RunSettings.KubeSource.AKS ? how : how + c.kubeContext();
                out.add(wiring.check(
                        "kubernetes",
                        () -> c.name() + " (" + via + ", namespace " + settings.namespace + "): "
                                + Wiring.readinessText(Informers.join(syncs.get(c)))));
            }
            if (!settings.clusters.isEmpty()) {
                out.add(new Wiring.Check(
                        "informers", i.allWatching(), i.health().detail()));
            }
        }
        if (settings.clusters.isEmpty()) {
            out.add(new Wiring.Check("kubernetes", true, "configured, not checked: no cluster in 'elb.clusters'"));
        }
        settings.leasePlacement()
                .ifPresent(home -> out.add(wiring.check("leader", () -> {
                    Fabric8LeaderElection l =
                            (Fabric8LeaderElection) leaderElection().orElseThrow();
                    return "Lease " + home.namespace() + "/" + settings.leaderLease + " " + home.where()
                            + " as " + l.identity()
                            + (l.isLeader() ? ": leader now" : ": campaigning (another replica may lead)");
                })));
        return out;
    }

    @Override
    public synchronized void close() {
        if (leader != null) {
            leader.close();
        }
        if (ownCluster != null) {
            ownCluster.close();
        }
        if (informers != null) {
            informers.close();
        }
        clients.close();
    }

    /**
     * The informer-backed warm status and node readiness probes of every cluster, the clusters whose
     * informers were stopped (their clients are invalidated one tick later, once the watches' WebSocket
     * close has gone through), and the health of the caches.
     */
    static final class Informers implements AutoCloseable {
        private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(Informers.class);

        final KubernetesClientProvider clients;
        final Fabric8InformerWarmStatusProbe statuses;
        final Fabric8InformerNodeReadinessProbe nodes;
        private final Set<ClusterRef> stoppedLastTime = ConcurrentHashMap.newKeySet();
        static final java.time.Duration WATCH_CLOSE_GRACE = java.time.Duration.ofSeconds(1);

        Informers(KubernetesClientProvider clients, String namespace) {
            this.clients = clients;
            this.statuses = Fabric8InformerWarmStatusProbe.builder(clients)
                    .namespace(namespace)
                    .build();
            this.nodes = Fabric8InformerNodeReadinessProbe.builder(clients).build();
        }

        /** Starts every cluster's informers at once (one thread per cluster, at most 64 at a time). */
        Map<Cluster, CompletableFuture<Readiness>> syncAll(List<Cluster> clusters) {
            Map<Cluster, CompletableFuture<Readiness>> out = new java.util.LinkedHashMap<>();
            if (clusters.isEmpty()) {
                return out;
            }
            ExecutorService pool = Executors.newFixedThreadPool(Math.min(clusters.size(), 64), r -> {
                Thread t = new Thread(r, "elb-informer-sync");
                t.setDaemon(true);
                return t;
            });
            try {
                for (Cluster c : clusters) {
                    out.put(
                            c,
                            CompletableFuture.supplyAsync(
                                    () -> {
                                        statuses.statuses(c.ref(), Set.of());
                                        return nodes.probe(c.ref());
                                    },
                                    pool));
                }
            } finally {
                pool.shutdown(); // the syncs run on; each is bounded by its informer's sync timeout
            }
            return out;
        }

        static Readiness join(@Nullable CompletableFuture<Readiness> sync) {
            try {
                return java.util.Objects.requireNonNull(sync, "sync").join();
            } catch (java.util.concurrent.CompletionException e) {
                if (e.getCause() instanceof RuntimeException re) {
                    throw re;
                }
                throw e;
            }
        }

        /**
         * Keeps the informers of the clusters {@code ticked}, stops the others; the clients of clusters
         * stopped at the previous call and still not ticked are invalidated (their connections closed),
         * except the Lease's cluster, whose client the leader election holds.
         */
        void retainOnly(Collection<ClusterRef> ticked, @Nullable ClusterRef leaseCluster) {
            Set<ClusterRef> keep = Set.copyOf(ticked);
            for (ClusterRef c : Set.copyOf(stoppedLastTime)) {
                stoppedLastTime.remove(c);
                if (!keep.contains(c) && !c.equals(leaseCluster)) {
                    clients.invalidate(c);
                    log.debug("kubernetes client of {} closed: no longer configured", c.display());
                }
            }
            stoppedLastTime.addAll(statuses.retainOnly(keep));
            stoppedLastTime.addAll(nodes.retainOnly(keep));
        }

        boolean allWatching() {
            return notWatching().isEmpty();
        }

        private List<String> notWatching() {
            List<String> out = new ArrayList<>();
            for (ClusterRef c : statuses.clusters()) {
                if (!statuses.isWatching(c)) {
                    out.add(c.clusterName() + " (warm status" + silentFor(statuses.watchAge(c), statuses.maxSilence())
                            + ")");
                }
            }
            for (ClusterRef c : nodes.clusters()) {
                if (!nodes.isWatching(c)) {
                    out.add(c.clusterName() + " (nodes" + silentFor(nodes.watchAge(c), nodes.maxSilence()) + ")");
                }
            }
            return out;
        }

        /** ", silent for N s" for a watch silent past its maxSilence (being relisted), else nothing. */
        private static String silentFor(java.util.Optional<java.time.Duration> age, java.time.Duration maxSilence) {
            return age.filter(a -> a.compareTo(maxSilence) > 0)
                    .map(a -> ", silent for " + a.toSeconds() + " s")
                    .orElse("");
        }

        /** The longest time since an event or bookmark over every watching informer (its watch age). */
        private long oldestWatchAgeSeconds() {
            long oldest = 0;
            for (ClusterRef c : statuses.clusters()) {
                oldest = Math.max(
                        oldest,
                        statuses.watchAge(c).map(java.time.Duration::toSeconds).orElse(0L));
            }
            for (ClusterRef c : nodes.clusters()) {
                oldest = Math.max(
                        oldest,
                        nodes.watchAge(c).map(java.time.Duration::toSeconds).orElse(0L));
            }
            return oldest;
        }

        Health health() {
            int started = statuses.clusters().size() + nodes.clusters().size();
            if (started == 0) {
                return Health.up("no informer started yet (they start with a cluster's first probe)");
            }
            List<String> down = notWatching();
            if (down.isEmpty()) {
                return Health.up(started + " informer(s) synced and watching; oldest watch age "
                        + oldestWatchAgeSeconds() + " s (relisted past "
                        + statuses.maxSilence().toSeconds()
                        + " s without an event or bookmark)");
            }
            return Health.degraded(down.size() + " of " + started + " informer(s) not synced or not watching: "
                    + String.join(", ", down.subList(0, Math.min(down.size(), 10)))
                    + (down.size() > 10 ? ", ..." : "")
                    + " (their clusters answer status_unknown or error until the watch is back)");
        }

        /**
         * Stops every informer; then gives their watches' WebSocket close handshakes up to
         * {@link #WATCH_CLOSE_GRACE} to go through before the clients are closed (a client closed first
         * leaves the half-closed connection open).
         */
        @Override
        public void close() {
            boolean any = !statuses.clusters().isEmpty() || !nodes.clusters().isEmpty();
            statuses.close();
            nodes.close();
            if (any) {
                try {
                    Thread.sleep(WATCH_CLOSE_GRACE.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }
}
