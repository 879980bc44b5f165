package org.elb.warmkeeper.core.cluster;

import java.util.regex.Pattern;

/**
 * An AKS cluster: subscription, resource group and cluster name, validated by Azure's naming rules.
 * Values are kept as given (no case folding), so the lock key matches the one other clients write.
 *
 * <ul>
 *   <li>{@code subscriptionId}: a GUID, {@code 8-4-4-4-12} hexadecimal digits;
 *   <li>{@code resourceGroup}: 1-90 characters from ASCII letters, digits, {@code _ . ( ) -}, not ending in
 *       {@code .} (Azure also allows non-ASCII letters; this library does not, so that keys stay plain ASCII);
 *   <li>{@code clusterName}: 1-63 characters from letters, digits, {@code _ -}, starting and ending
 *       with a letter or digit.
 * </ul>
 *
 * None of the three can contain {@code :}, which is what makes the in-flight lock key injective.
 */
public record ClusterRef(String subscriptionId, String resourceGroup, String clusterName) {

    static final Pattern SUBSCRIPTION =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    static final Pattern RESOURCE_GROUP = Pattern.compile("[A-Za-z0-9_.()-]{0,89}[A-Za-z0-9_()-]");
    static final Pattern CLUSTER_NAME = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9_-]{0,61}[A-Za-z0-9])?");

    public ClusterRef {
        Checks.matches(subscriptionId, "subscriptionId", SUBSCRIPTION, "a GUID (8-4-4-4-12 hex digits)");
        Checks.matches(
                resourceGroup,
                "resourceGroup",
                RESOURCE_GROUP,
                "1-90 characters from letters, digits, '_', '.', '(', ')', '-', not ending in '.'");
        Checks.matches(
                clusterName,
                "clusterName",
                CLUSTER_NAME,
                "1-63 characters from letters, digits, '_', '-', starting and ending with a letter or digit");
    }

    public static ClusterRef of(String subscriptionId, String resourceGroup, String clusterName) {
        return new ClusterRef(subscriptionId, resourceGroup, clusterName);
    }

    /** The ARM resource id of the managed cluster. */
    public String resourceId() {
        return "/subscriptions/" + subscriptionId + "/resourceGroups/" + resourceGroup
                + "/providers/Microsoft.ContainerService/managedClusters/" + clusterName;
    }

    /** {@code sub/rg/cluster}, for logs. */
    public String display() {
        return subscriptionId + "/" + resourceGroup + "/" + clusterName;
    }
}
