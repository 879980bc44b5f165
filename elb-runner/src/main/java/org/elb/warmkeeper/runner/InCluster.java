package org.elb.warmkeeper.runner;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The Kubernetes Pod the runner runs in, when it does: detected as Kubernetes' in-cluster configuration is
 * ({@code KUBERNETES_SERVICE_HOST} set, and the service account's namespace file). The environment and the
 * file are parameters, so tests choose them.
 *
 * @param namespace the Pod's namespace (the service account's)
 */
record InCluster(String namespace) {

    /** Where Kubernetes mounts the service account's namespace. */
    static final Path SERVICE_ACCOUNT_NAMESPACE = Path.of("/var/run/secrets/kubernetes.io/serviceaccount/namespace");

    /** The service host variable Kubernetes sets in every Pod. */
    static final String SERVICE_HOST = "KUBERNETES_SERVICE_HOST";

    /** The process's own surroundings. */
    static Optional<InCluster> detect(Map<String, String> env) {
        return detect(env, SERVICE_ACCOUNT_NAMESPACE);
    }

    /**
     * In a cluster when {@code env} has a non-blank {@value #SERVICE_HOST} and {@code namespaceFile} holds a
     * namespace; otherwise empty (a file that cannot be read or holds no DNS label counts as not in a cluster).
     */
    static Optional<InCluster> detect(Map<String, String> env, Path namespaceFile) {
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
}
