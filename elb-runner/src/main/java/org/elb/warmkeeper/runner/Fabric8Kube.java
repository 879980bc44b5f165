package org.elb.warmkeeper.runner;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.elb.warmkeeper.azure.AksKubeconfigSource;
import org.elb.warmkeeper.core.cluster.ClusterRef;
import org.elb.warmkeeper.core.warm.ClusterReadinessProbe;
import org.elb.warmkeeper.core.warm.LeaderElection;
import org.elb.warmkeeper.core.warm.WarmStatusProbe;
import org.elb.warmkeeper.core.warm.WarmupDispatcher;
import org.elb.warmkeeper.k8s.Fabric8LeaderElection;
import org.elb.warmkeeper.k8s.Fabric8NodeReadinessProbe;
import org.elb.warmkeeper.k8s.Fabric8WarmStatusProbe;
import org.elb.warmkeeper.k8s.Fabric8WarmupDispatcher;
import org.elb.warmkeeper.k8s.KubernetesClientProvider;
import org.elb.warmkeeper.k8s.KubernetesConfigSource;
import org.elb.warmkeeper.k8s.WarmupJobTemplate;
import org.elb.warmkeeper.runner.RunConfig.ConfigException;
import org.elb.warmkeeper.runner.RunSettings.Cluster;
import org.jspecify.annotations.Nullable;

/**
 * The Kubernetes side on Fabric8: one client per cluster from a kubeconfig file (a context per cluster)
 * or from AKS user credentials fetched through ARM; the warm status probe (one LIST of warmup pods per
 * cluster per tick), the Job dispatcher, node readiness, and the Lease leader election when
 * {@code elb.leader.lease} is set.
 */
final class Fabric8Kube implements Wiring.Kube {

    private final Wiring wiring;
    private final RunSettings settings;
    private final KubernetesClientProvider clients;
    private final Job template;
    private @Nullable Fabric8LeaderElection leader;
    private @Nullable KubernetesClientProvider ownCluster;

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
        return Optional.of(Fabric8NodeReadinessProbe.of(clients));
    }

    /** Key of the runner's own cluster (in-cluster configuration) in {@link #ownCluster}. */
    static final ClusterRef OWN_CLUSTER =
            ClusterRef.of("00000000-0000-0000-0000-000000000000", "in-cluster", "in-cluster");

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
            ownCluster = KubernetesClientProvider.builder(ref -> Config.autoConfigure(null))
                    .build();
        }
        return ownCluster;
    }

    @Override
    public List<Wiring.Check> checks() {
        List<Wiring.Check> out = new ArrayList<>();
        Fabric8NodeReadinessProbe nodes = Fabric8NodeReadinessProbe.of(clients);
        String how = settings.kubeSource == RunSettings.KubeSource.AKS ? "AKS credentials" : "context ";
        for (Cluster c : settings.clusters) {
            String via = settings.kubeSource == RunSettings.KubeSource.AKS ? how : how + c.kubeContext();
            out.add(wiring.check(
                    "kubernetes",
                    () -> c.name() + " (" + via + ", namespace " + settings.namespace + "): "
                            + Wiring.readinessText(nodes.probe(c.ref()))));
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
        clients.close();
    }
}
