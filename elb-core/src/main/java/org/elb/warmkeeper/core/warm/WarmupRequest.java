package org.elb.warmkeeper.core.warm;

import org.elb.warmkeeper.core.cluster.Checks;
import org.elb.warmkeeper.core.cluster.ClusterRef;
import org.elb.warmkeeper.core.cluster.DatabaseName;

/** A warmup to enqueue for one database on one cluster. */
public record WarmupRequest(ClusterRef cluster, DatabaseName database, boolean force) {

    public WarmupRequest {
        Checks.required(cluster, "cluster");
        Checks.required(database, "database");
    }

    public InflightKey key() {
        return new InflightKey(cluster, database);
    }
}
