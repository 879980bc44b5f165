package org.elb.warmkeeper.core.provision;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import org.elb.warmkeeper.core.cluster.Checks;
import org.elb.warmkeeper.core.cluster.ClusterRef;
import org.jspecify.annotations.Nullable;

/**
 * An AKS cluster to create.
 *
 * <ul>
 *   <li>{@code region}: an Azure location name, 1-40 lower-case letters and digits ({@code koreacentral});
 *   <li>{@code vmSize}: the node SKU, 1-64 letters, digits and {@code _} ({@code Standard_E32s_v5});
 *   <li>{@code nodeCount}: 1-1000;
 *   <li>{@code kubernetesVersion}: optional, digits and dots ({@code 1.33} or {@code 1.33.2}).
 * </ul>
 */
public record ProvisionRequest(
        ClusterRef cluster,
        String region,
        String vmSize,
        int nodeCount,
        @Nullable String kubernetesVersion) {

    public static final String KEY_SUBSCRIPTION = "subscription_id";
    public static final String KEY_RESOURCE_GROUP = "resource_group";
    public static final String KEY_CLUSTER = "cluster_name";
    public static final String KEY_REGION = "region";
    public static final String KEY_VM_SIZE = "vm_size";
    public static final String KEY_NODE_COUNT = "node_count";
    public static final String KEY_KUBERNETES_VERSION = "kubernetes_version";

    static final Pattern REGION = Pattern.compile("[a-z0-9]{1,40}");
    static final Pattern VM_SIZE = Pattern.compile("[A-Za-z0-9_]{1,64}");
    static final Pattern K8S_VERSION = Pattern.compile("\\d{1,3}\\.\\d{1,3}(\\.\\d{1,3})?");

    public ProvisionRequest {
        Checks.required(cluster, "cluster");
        Checks.matches(region, "region", REGION, "an Azure location name: 1-40 lower-case letters and digits");
        Checks.matches(vmSize, "vmSize", VM_SIZE, "1-64 letters, digits and '_'");
        if (nodeCount < 1 || nodeCount > 1000) {
            throw new IllegalArgumentException("'nodeCount' must be between 1 and 1000, but was " + nodeCount);
        }
        if (kubernetesVersion != null) {
            Checks.matches(kubernetesVersion, "kubernetesVersion", K8S_VERSION, "MAJOR.MINOR or MAJOR.MINOR.PATCH");
        }
    }

    /** The job row's payload: the cluster context, readable by the dashboard and by recent-failed. */
    public Map<String, String> toPayload() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put(KEY_SUBSCRIPTION, cluster.subscriptionId());
        p.put(KEY_RESOURCE_GROUP, cluster.resourceGroup());
        p.put(KEY_CLUSTER, cluster.clusterName());
        p.put(KEY_REGION, region);
        p.put(KEY_VM_SIZE, vmSize);
        p.put(KEY_NODE_COUNT, Integer.toString(nodeCount));
        if (kubernetesVersion != null) {
            p.put(KEY_KUBERNETES_VERSION, kubernetesVersion);
        }
        return p;
    }

    /** The request a payload was made from; {@link IllegalArgumentException} when a key is missing or bad. */
    public static ProvisionRequest fromPayload(Map<String, String> p) {
        String nodes = Checks.required(p.get(KEY_NODE_COUNT), KEY_NODE_COUNT);
        int count;
        try {
            count = Integer.parseInt(nodes);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "'" + KEY_NODE_COUNT + "' must be an integer, but was '" + nodes + "'", e);
        }
        return new ProvisionRequest(
                new ClusterRef(
                        Checks.required(p.get(KEY_SUBSCRIPTION), KEY_SUBSCRIPTION),
                        Checks.required(p.get(KEY_RESOURCE_GROUP), KEY_RESOURCE_GROUP),
                        Checks.required(p.get(KEY_CLUSTER), KEY_CLUSTER)),
                Checks.required(p.get(KEY_REGION), KEY_REGION),
                Checks.required(p.get(KEY_VM_SIZE), KEY_VM_SIZE),
                count,
                p.get(KEY_KUBERNETES_VERSION));
    }
}
