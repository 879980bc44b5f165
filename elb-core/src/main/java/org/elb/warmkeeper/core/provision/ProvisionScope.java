package org.elb.warmkeeper.core.provision;

import java.util.Locale;
import org.elb.warmkeeper.core.cluster.ClusterRef;

/**
 * A subscription and resource group that provisioning may create clusters in. Written
 * {@code <subscription-id>/<resource-group>}; compared without regard to case (as Azure does).
 */
public record ProvisionScope(String subscriptionId, String resourceGroup) {

    public ProvisionScope {
        // ClusterRef validates both fields with Azure's naming rules; the name is a placeholder.
        ClusterRef.of(subscriptionId, resourceGroup, "x");
        subscriptionId = subscriptionId.toLowerCase(Locale.ROOT);
        resourceGroup = resourceGroup.toLowerCase(Locale.ROOT);
    }

    /** The scope of {@code cluster}. */
    public static ProvisionScope of(ClusterRef cluster) {
        return new ProvisionScope(cluster.subscriptionId(), cluster.resourceGroup());
    }

    /**
     * Parses {@code <subscription-id>/<resource-group>}.
     *
     * @throws IllegalArgumentException naming {@code scope} when the text is not such a pair
     */
    public static ProvisionScope parse(String text) {
        int slash = text.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException(
                    "'scope' must be <subscription-id>/<resource-group>, but was '" + text + "'");
        }
        return new ProvisionScope(
                text.substring(0, slash).strip(), text.substring(slash + 1).strip());
    }

    @Override
    public String toString() {
        return subscriptionId + "/" + resourceGroup;
    }
}
