package org.elb.warmkeeper.core.provision;

import org.elb.warmkeeper.core.cluster.ClusterRef;

/**
 * Port: creates AKS clusters asynchronously.
 */
public interface ClusterProvisioner {

    /**
     * Begins a create and returns its task id at once; progress and the outcome go to {@code listener}.
     *
     * @throws ProvisioningException when the create could not be enqueued at all
     */
    TaskId begin(ProvisionRequest request, ProvisionListener listener);

    /**
     * Stops polling the task; after it returns no new report of this task starts (one already being
     * delivered may finish; the caller's compare-and-set rules make it harmless). The caller records the
     * cancel itself. Does not touch Azure.
     *
     * @return false when this provisioner has no such running task
     */
    boolean stop(TaskId taskId);

    /**
     * Asks ARM to abort the cluster's running operation (AKS: {@code Canceling -> Canceled}).
     *
     * @throws ProvisioningException when ARM refuses or cannot be reached
     */
    void abortOperation(ClusterRef cluster);

    /**
     * Deletes a (partially) created cluster.
     *
     * @throws ProvisioningException when ARM refuses or cannot be reached
     */
    void deleteCluster(ClusterRef cluster);
}
