package org.elb.warmkeeper.azure;

import com.azure.core.management.exception.ManagementException;
import com.azure.resourcemanager.containerservice.fluent.models.ManagedClusterInner;
import java.time.Duration;
import org.elb.warmkeeper.azure.internal.ArmErrors;
import org.elb.warmkeeper.core.BackendThrottledException;
import org.elb.warmkeeper.core.BackendUnavailableException;
import org.elb.warmkeeper.core.cluster.Checks;
import org.elb.warmkeeper.core.cluster.ClusterRef;
import org.elb.warmkeeper.core.provision.ArmError;
import org.elb.warmkeeper.core.warm.ClusterReadinessProbe;
import org.elb.warmkeeper.core.warm.Readiness;
import org.jspecify.annotations.Nullable;

/**
 * Ready when ARM says the managed cluster's {@code provisioningState} is {@code Succeeded} and its
 * {@code powerState} is {@code Running}; otherwise not ready with the reason
 * ({@code "provisioningState is Updating"}, {@code "powerState is Stopped"}, {@code "cluster not found"}).
 * One GET of the cluster per probe. ARM failures throw {@link BackendUnavailableException}; ARM's
 * throttling (429) throws {@link BackendThrottledException} with its {@code Retry-After} (30 s when
 * absent). Wrap it in a {@link org.elb.warmkeeper.core.warm.CachedReadinessProbe} so that a tick
 * costs an ARM read only once per TTL per cluster and the throttle is honoured.
 */
public final class AksReadinessProbe implements ClusterReadinessProbe {

    /** Wait after a 429 that names no {@code Retry-After}. */
    public static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(30);

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
            inner = connection
                    .manager(cluster.subscriptionId())
                    .serviceClient()
                    .getManagedClusters()
                    .getByResourceGroup(cluster.resourceGroup(), cluster.clusterName());
        } catch (ManagementException e) {
            if (e.getResponse() != null && e.getResponse().getStatusCode() == 404) {
                return Readiness.notReady("cluster not found");
            }
            if (e.getResponse() != null && e.getResponse().getStatusCode() == 429) {
                Duration retryAfter = retryAfter(e.getResponse().getHeaderValue("Retry-After"));
                throw new BackendThrottledException(
                        "arm", "getManagedCluster", cluster.display() + ": throttled", retryAfter, e);
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
                ? null
                : inner.powerState().code().toString();
        if (!"Running".equalsIgnoreCase(power)) {
            return Readiness.notReady("powerState is " + (power == null ? "unknown" : power));
        }
        return Readiness.ready();
    }

    /** {@code Retry-After} in seconds; {@link #DEFAULT_RETRY_AFTER} when absent or not a number. */
    static Duration retryAfter(@Nullable String header) {
        if (header == null || header.isBlank()) {
            return DEFAULT_RETRY_AFTER;
        }
        try {
            long seconds = Long.parseLong(header.trim());
            return seconds < 0 ? DEFAULT_RETRY_AFTER : Duration.ofSeconds(Math.min(seconds, 3600));
        } catch (NumberFormatException e) {
            return DEFAULT_RETRY_AFTER;
        }
    }

    private static BackendUnavailableException unavailable(ClusterRef cluster, RuntimeException e) {
        ArmError error = ArmErrors.of(e);
        return new BackendUnavailableException(
                "arm", "getManagedCluster", cluster.display() + ": " + error.code() + ": " + error.message(), e);
    }

    @Override
    public String toString() {
        return "AksReadinessProbe[" + connection + "]";
    }
}
