package org.elb.warmkeeper.core.warm;

import java.util.List;
import org.elb.warmkeeper.core.cluster.Checks;
import org.elb.warmkeeper.core.cluster.ClusterRef;
import org.elb.warmkeeper.core.cluster.DatabaseName;

/**
 * A cluster with auto-warm on, the databases to keep warm (in the user's order, no duplicates) and
 * whether the cluster was ready at the last tick. {@code lastReady} is remembered for the ready edge
 * only: it never decides what is enqueued.
 */
public record AutoWarmPreference(ClusterRef cluster, List<DatabaseName> databases, boolean lastReady) {

    public AutoWarmPreference {
        Checks.required(cluster, "cluster");
        Checks.required(databases, "databases");
        databases = List.copyOf(new java.util.LinkedHashSet<>(databases));
    }
}
