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

    @Override
    public synchronized Optional<LeaderElection> leaderElection() {
        Optional<Cluster> home = settings.leaseCluster();
        String lease = settings.leaderLease;
        if (home.isEmpty() || lease == null) {
            return Optional.empty();
        }
        if (leader == null) {
            leader = Fabric8LeaderElection.builder(clients.client(home.get().ref()), settings.leaderNamespace, lease)
                    .build()
                    .start();
        }
        return Optional.of(leader);
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
        settings.leaseCluster()
                .ifPresent(home -> out.add(wiring.check("leader", () -> {
                    Fabric8LeaderElection l =
                            (Fabric8LeaderElection) leaderElection().orElseThrow();
                    return "Lease " + settings.leaderNamespace + "/" + settings.leaderLease + " on " + home.name()
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
        clients.close();
    }
}
