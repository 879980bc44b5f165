package org.elb.warmkeeper.core.warm;

import org.elb.warmkeeper.core.cluster.Checks;
import org.elb.warmkeeper.core.cluster.ClusterRef;
import org.elb.warmkeeper.core.cluster.DatabaseName;

/** The in-flight lock of one database's warmup on one cluster. */
public record InflightKey(ClusterRef cluster, DatabaseName database) {

    public InflightKey {
        Checks.required(cluster, "cluster");
        Checks.required(database, "database");
    }

    /** The wire form, {@code autowarmup:inflight:<sub>:<rg>:<cluster>:<db>}. */
    public String encode() {
        return InflightKeyCodec.encode(this);
    }
}
