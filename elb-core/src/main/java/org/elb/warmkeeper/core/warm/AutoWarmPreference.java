package org.elb.warmkeeper.core.warm;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.elb.warmkeeper.core.cluster.Checks;
import org.elb.warmkeeper.core.cluster.ClusterRef;
import org.elb.warmkeeper.core.cluster.DatabaseName;

/**
 * A cluster with auto-warm on, the databases to keep warm (in the user's order, no duplicates) and
 * whether the cluster was ready at the last tick. {@code lastReady} is remembered for the ready edge
 * only: it never decides what is enqueued.
 *
 * @param paused the operator paused the whole cluster: every database is skipped {@code paused}
 * @param pausedDatabases configured databases the operator paused (others are dropped)
 */
public record AutoWarmPreference(
        ClusterRef cluster,
        List<DatabaseName> databases,
        boolean lastReady,
        boolean paused,
        Set<DatabaseName> pausedDatabases) {

    public AutoWarmPreference {
        Checks.required(cluster, "cluster");
        Checks.required(databases, "databases");
        Checks.required(pausedDatabases, "pausedDatabases");
        databases = List.copyOf(new LinkedHashSet<>(databases));
        Set<DatabaseName> kept = new LinkedHashSet<>(databases);
        kept.retainAll(pausedDatabases);
        pausedDatabases = Set.copyOf(kept);
    }

    /** Nothing paused. */
    public AutoWarmPreference(ClusterRef cluster, List<DatabaseName> databases, boolean lastReady) {
        this(cluster, databases, lastReady, false, Set.of());
    }

    /** The configured databases that must not be enqueued: all of them when the cluster is paused. */
    public Set<DatabaseName> pausedOrAll() {
        return paused ? new LinkedHashSet<>(databases) : pausedDatabases;
    }
}
