package org.elb.warmkeeper.k8s;

import io.fabric8.kubernetes.client.Config;
import java.util.Map;
import java.util.function.Function;
import org.elb.warmkeeper.core.cluster.ClusterRef;

/**
 * Where the connection settings of a cluster come from. The default reads kubeconfig contexts; the
 * Azure adapter supplies AKS credentials as a kubeconfig document. Implementations must not log the
 * configuration: it holds credentials.
 */
@FunctionalInterface
public interface KubernetesConfigSource {

    /**
     * The connection settings of {@code cluster}.
     *
     * @throws org.elb.warmkeeper.core.ElbException (or IllegalArgumentException) when the cluster is unknown
     */
    Config configFor(ClusterRef cluster);

    /**
     * Contexts of the local kubeconfig ({@code $KUBECONFIG} or {@code ~/.kube/config}); the context of a
     * cluster is its cluster name, as {@code az aks get-credentials} names it.
     */
    static KubernetesConfigSource kubeconfigContexts() {
        return kubeconfigContexts(ClusterRef::clusterName);
    }

    /**
     * Contexts of the local kubeconfig, chosen by {@code contextName}. A context that the kubeconfig
     * does not have is an IllegalArgumentException naming it (never a silent fall-back to the current
     * context, which would point at another cluster).
     */
    static KubernetesConfigSource kubeconfigContexts(Function<ClusterRef, String> contextName) {
        return cluster -> {
            String context = contextName.apply(cluster);
            Config config = Config.autoConfigure(context);
            if (config.getCurrentContext() == null
                    || !context.equals(config.getCurrentContext().getName())) {
                throw new IllegalArgumentException(
                        "kubeconfig has no context '" + context + "' for cluster " + cluster.display());
            }
            return config;
        };
    }

    /**
     * Kubeconfig documents (YAML) supplied per cluster, e.g. AKS user credentials fetched from ARM.
     * The document's current context is used.
     */
    static KubernetesConfigSource kubeconfigDocuments(Function<ClusterRef, String> kubeconfigYaml) {
        return cluster -> Config.fromKubeconfig(kubeconfigYaml.apply(cluster));
    }

    /** Fixed settings per cluster (tests, or configuration built elsewhere). */
    static KubernetesConfigSource of(Map<ClusterRef, Config> configs) {
        Map<ClusterRef, Config> copy = Map.copyOf(configs);
        return cluster -> {
            Config config = copy.get(cluster);
            if (config == null) {
                throw new IllegalArgumentException("no Kubernetes configuration for cluster " + cluster.display());
            }
            return config;
        };
    }
}
