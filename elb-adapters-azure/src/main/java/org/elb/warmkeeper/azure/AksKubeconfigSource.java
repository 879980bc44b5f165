package org.elb.warmkeeper.azure;

import com.azure.resourcemanager.containerservice.fluent.models.CredentialResultsInner;
import com.azure.resourcemanager.containerservice.models.CredentialResult;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;
import org.elb.warmkeeper.azure.internal.ArmErrors;
import org.elb.warmkeeper.core.BackendUnavailableException;
import org.elb.warmkeeper.core.ElbException;
import org.elb.warmkeeper.core.cluster.Checks;
import org.elb.warmkeeper.core.cluster.ClusterRef;
import org.elb.warmkeeper.core.provision.ArmError;

/**
 * A cluster's user kubeconfig from ARM ({@code listClusterUserCredentials}), as YAML text or bytes, for a
 * Kubernetes client provider (e.g. Fabric8's {@code Config.fromKubeconfig(String)}). Each call asks ARM
 * afresh (the credentials may rotate); cache in the caller if needed. The kubeconfig holds credentials:
 * it is never logged, and this class's {@code toString} does not show it.
 */
public final class AksKubeconfigSource {

    private final ArmConnection connection;

    private AksKubeconfigSource(ArmConnection connection) {
        this.connection = connection;
    }

    public static AksKubeconfigSource of(ArmConnection connection) {
        return new AksKubeconfigSource(Checks.required(connection, "connection"));
    }

    /**
     * The first user kubeconfig ARM returns for {@code cluster}, decoded.
     *
     * @throws BackendUnavailableException when ARM refuses or cannot be reached
     * @throws ElbException when ARM returns no kubeconfig
     */
    public byte[] kubeconfigBytes(ClusterRef cluster) {
        Checks.required(cluster, "cluster");
        CredentialResultsInner result;
        try {
            result = connection
                    .manager(cluster.subscriptionId())
                    .serviceClient()
                    .getManagedClusters()
                    .listClusterUserCredentials(cluster.resourceGroup(), cluster.clusterName());
        } catch (RuntimeException e) {
            ArmError error = ArmErrors.of(e);
            throw new BackendUnavailableException(
                    "arm",
                    "listClusterUserCredentials",
                    cluster.display() + ": " + error.code() + ": " + error.message(),
                    e);
        }
        if (result != null && result.kubeconfigs() != null) {
            for (CredentialResult kc : result.kubeconfigs()) {
                if (kc != null && kc.value() != null && kc.value().length > 0) {
                    return kc.value();
                }
            }
        }
        throw new ElbException("ARM returned no user kubeconfig for " + cluster.display());
    }

    /** {@link #kubeconfigBytes} as UTF-8 YAML text. */
    public String kubeconfig(ClusterRef cluster) {
        return new String(kubeconfigBytes(cluster), StandardCharsets.UTF_8);
    }

    /** A supplier that fetches the cluster's kubeconfig on each {@code get()}; its {@code toString} names only the cluster. */
    public Supplier<String> supplier(ClusterRef cluster) {
        Checks.required(cluster, "cluster");
        return new Supplier<>() {
            @Override
            public String get() {
                return kubeconfig(cluster);
            }

            @Override
            public String toString() {
                return "kubeconfig of " + cluster.display() + " (redacted)";
            }
        };
    }

    @Override
    public String toString() {
        return "AksKubeconfigSource[" + connection + "]";
    }
}
