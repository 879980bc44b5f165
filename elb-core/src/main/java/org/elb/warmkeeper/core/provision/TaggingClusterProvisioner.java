package org.elb.warmkeeper.core.provision;

import java.util.List;
import java.util.Set;

/**
 * A {@link ClusterProvisioner} that writes the {@link JobOrigin} on every resource it creates and can list
 * the clusters carrying such tags. {@link ProvisioningService#sweep} uses the list to report clusters
 * tagged by jobs that never recorded them ({@link SweepReport#leftovers()}).
 */
public interface TaggingClusterProvisioner extends ClusterProvisioner {

    /**
     * Begins a create like {@link #begin(ProvisionRequest, ProvisionListener)}, writing {@code origin} on
     * the resource.
     */
    TaskId begin(ProvisionRequest request, JobOrigin origin, ProvisionListener listener);

    /**
     * The clusters in these subscriptions that carry a job's tags (clusters without them, or with tags
     * that do not parse, are left out).
     *
     * @throws ProvisioningException when a subscription cannot be listed
     */
    List<TaggedCluster> taggedClusters(Set<String> subscriptionIds);
}
