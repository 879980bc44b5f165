package org.elb.warmkeeper.core.provision;

import org.elb.warmkeeper.core.cluster.Checks;
import org.elb.warmkeeper.core.cluster.OwnerId;

/**
 * The job and owner a create is made for. A provisioner writes them on the resource it creates (the AKS
 * adapter: as ARM tags), so that a cluster can be traced back to its job ({@link TaggingClusterProvisioner}).
 */
public record JobOrigin(JobId job, OwnerId owner) {

    public JobOrigin {
        Checks.required(job, "job");
        Checks.required(owner, "owner");
    }
}
