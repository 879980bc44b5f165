package org.elb.warmkeeper.core.warm;

import java.util.List;
import org.elb.warmkeeper.core.cluster.ClusterRef;

/** Port: which clusters have auto-warm on, with their databases, and their last readiness. */
public interface AutoWarmPreferences {

    /**
     * Every cluster with auto-warm on. One call per tick, whatever the number of clusters.
     *
     * @throws org.elb.warmkeeper.core.BackendUnavailableException when the store cannot be read
     */
    List<AutoWarmPreference> enabledClusters();

    /**
     * Remembers the cluster's readiness as seen by this tick (the ready edge is {@code false -> true}).
     * Unknown clusters are ignored.
     */
    void recordReadiness(ClusterRef cluster, boolean ready);
}
