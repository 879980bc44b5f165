package org.elb.warmkeeper.core.provision;

import org.elb.warmkeeper.core.cluster.Checks;
import org.elb.warmkeeper.core.cluster.ClusterRef;

/**
 * A cluster that carries a provisioning job's tags ({@link JobOrigin}): the job that created it and its
 * owner, as written on the resource.
 */
public record TaggedCluster(ClusterRef cluster, JobId job, String owner) {

    public TaggedCluster {
        Checks.required(cluster, "cluster");
        Checks.required(job, "job");
        Checks.required(owner, "owner");
    }
}
