package org.elb.warmkeeper.k8s;

import io.fabric8.kubernetes.client.Config;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.elb.warmkeeper.core.cluster.ClusterRef;
import org.jspecify.annotations.Nullable;

/**
 * The Kubernetes Pod this process runs in, when it does: detected as Kubernetes' in-cluster configuration
 * is ({@code KUBERNETES_SERVICE_HOST} set, and the service account's namespace file). The environment and
 * the file are parameters, so tests choose them. The runner and the Spring Boot starter both put the
 * leader Lease in this cluster by default when they run in a Pod ({@link #clients()}, {@link #OWN_CLUSTER}).
 *
 * @param namespace the Pod's namespace (the service account's)
 */
public record InCluster(String namespace) {

    /** Where Kubernetes mounts the service account's namespace. */
    public static final Path SERVICE_ACCOUNT_NAMESPACE =
            Path.of("/var/run/secrets/kubernetes.io/serviceaccount/namespace");

    /** The service host variable Kubernetes sets in every Pod. */
    public static final String SERVICE_HOST = "KUBERNETES_SERVICE_HOST";

    /** The key of the Pod's own cluster in {@link #clients()} (it is no managed AKS cluster). */
    public static final ClusterRef OWN_CLUSTER =
            ClusterRef.of("00000000-0000-0000-0000-000000000000", "in-cluster", "in-cluster");

    public InCluster {
        if (namespace == null || !namespace.matches("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?")) {
            throw new IllegalArgumentException("'namespace' must be a DNS label, but was '" + namespace + "'");
        }
    }

    /** The process's own surroundings. */
    public static Optional<InCluster> detect(Map<String, String> env) {
        return detect(env, SERVICE_ACCOUNT_NAMESPACE);
    }

    /**
     * In a cluster when {@code env} has a non-blank {@value #SERVICE_HOST} and {@code namespaceFile} holds a
     * namespace; otherwise empty (a file that cannot be read or holds no DNS label counts as not in a cluster).
     */
    public static Optional<InCluster> detect(Map<String, String> env, Path namespaceFile) {
        @Nullable String host = env.get(SERVICE_HOST);
        if (host == null || host.isBlank() || !Files.isReadable(namespaceFile)) {
            return Optional.empty();
        }
        try {
            String ns = Files.readString(namespaceFile, StandardCharsets.UTF_8).strip();
            return ns.matches("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?") ? Optional.of(new InCluster(ns)) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * Clients of the cluster this process runs in, from Kubernetes' in-cluster configuration (the Pod's
     * service account), under the key {@link #OWN_CLUSTER}; close it with the rest.
     */
    public static KubernetesClientProvider clients() {
        return KubernetesClientProvider.builder(ref -> Config.autoConfigure(null))
                .build();
    }
}
