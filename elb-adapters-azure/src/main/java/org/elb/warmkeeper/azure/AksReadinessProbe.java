package org.elb.warmkeeper.azure;

import com.azure.core.management.exception.ManagementException;
import com.azure.resourcemanager.containerservice.fluent.models.ManagedClusterInner;
import org.elb.warmkeeper.azure.internal.ArmErrors;
import org.elb.warmkeeper.core.BackendUnavailableException;
import org.elb.warmkeeper.core.cluster.Checks;
import org.elb.warmkeeper.core.cluster.ClusterRef;
import org.elb.warmkeeper.core.provision.ArmError;
import org.elb.warmkeeper.core.warm.ClusterReadinessProbe;
import org.elb.warmkeeper.core.warm.Readiness;

/**
 * Ready when ARM says the managed cluster's {@code provisioningState} is {@code Succeeded} and its
 * {@code powerState} is {@code Running}; otherwise not ready with the reason
 * ({@code "provisioningState is Updating"}, {@code "powerState is Stopped"}, {@code "cluster not found"}).
 * One GET of the cluster per probe. ARM failures throw {@link BackendUnavailableException}.
 */
public final class AksReadinessProbe implements ClusterReadinessProbe {

    private final ArmConnection connection;

    private AksReadinessProbe(ArmConnection connection) {
        this.connection = connection;
    }

    public static AksReadinessProbe of(ArmConnection connection) {
        return new AksReadinessProbe(Checks.required(connection, "connection"));
    }

    @Override
    public Readiness probe(ClusterRef cluster) {
        ManagedClusterInner inner;
        try {
            inner = connection.manager(cluster.subscriptionId()).serviceClient().getManagedClusters()
                    .getByResourceGroup(cluster.resourceGroup(), cluster.clusterName());
        } catch (ManagementException e) {
            if (e.getResponse() != null && e.getResponse().getStatusCode() == 404) {
                return Readiness.notReady("cluster not found");
            }
            throw unavailable(cluster, e);
        } catch (RuntimeException e) {
            throw unavailable(cluster, e);
        }
        if (inner == null) {
            return Readiness.notReady("cluster not found");
        }
        String state = inner.provisioningState();
        if (!"Succeeded".equalsIgnoreCase(state)) {
            return Readiness.notReady("provisioningState is " + (state == null ? "unknown" : state));
        }
        String power = inner.powerState() == null || inner.powerState().code() == null
                ? null : inner.powerState().code().toString();
        if (!"Running".equalsIgnoreCase(power)) {
            return Readiness.notReady("powerState is " + (power == null ? "unknown" : power));
        }
        return Readiness.ready();
    }

    private static BackendUnavailableException unavailable(ClusterRef cluster, RuntimeException e) {
        ArmError error = ArmErrors.of(e);
        return new BackendUnavailableException("arm", "getManagedCluster",
                cluster.display() + ": " + error.code() + ": " + error.message(), e);
    }

    @Override
    public String toString() {
        return "AksReadinessProbe[" + connection + "]";
    }
}
