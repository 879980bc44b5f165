package org.elb.warmkeeper.core.warm;

import java.util.List;
import org.elb.warmkeeper.core.cluster.ClusterRef;
import org.elb.warmkeeper.core.cluster.DatabaseName;

/**
 * Preferences with their write side, as a dashboard's auto-warm toggles and pause buttons need it. The
 * reconciler only reads ({@link AutoWarmPreferences}); a paused cluster or database stays listed and is
 * reported skipped {@code paused}. Writes to an unknown cluster or database are ignored unless said
 * otherwise.
 */
public interface ManagedAutoWarmPreferences extends AutoWarmPreferences {

    /**
     * Turns auto-warm on for {@code cluster} with {@code databases} (in this order, duplicates dropped),
     * replacing its list; keeps its lastReady, its pause and the pause of databases that stay listed.
     */
    void enableCluster(ClusterRef cluster, List<DatabaseName> databases);

    /** Turns auto-warm off for {@code cluster}: no longer listed; lastReady and pauses are forgotten. */
    void disableCluster(ClusterRef cluster);

    /**
     * Adds {@code db} at the end of the cluster's list (turning auto-warm on for the cluster, with only
     * this database, when it was off). No change when it is listed already.
     */
    void enableDatabase(ClusterRef cluster, DatabaseName db);

    /** Removes {@code db} from the cluster's list; the cluster stays enabled, possibly with no database. */
    void disableDatabase(ClusterRef cluster, DatabaseName db);

    /** Pauses or resumes the whole cluster: while paused, none of its databases is enqueued. */
    void setClusterPaused(ClusterRef cluster, boolean paused);

    /** Pauses or resumes one listed database of the cluster. */
    void setDatabasePaused(ClusterRef cluster, DatabaseName db, boolean paused);
}
