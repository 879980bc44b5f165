package org.elb.warmkeeper.core.warm;

/** The outcome of one cluster in one tick. Wire names are lower snake case, as in the seed. */
public enum ClusterStatus {
    /** At least one warmup was enqueued. */
    TRIGGERED,
    /** Every configured database is READY or LOADING. */
    READY_NOOP,
    /** Nothing was enqueued, yet not every database is warm (skips: not downloaded, in flight, ...). */
    WAITING,
    /** The cluster is not ready: nothing was probed or enqueued. */
    CLUSTER_NOT_READY,
    /** A probe failed for this cluster; other clusters went on. */
    ERROR;

    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * The status of a ready cluster: TRIGGERED when anything was enqueued, READY_NOOP when every
     * configured database was warm or warming (vacuously so for none), WAITING otherwise.
     */
    public static ClusterStatus ofReadyCluster(int configured, int warmOrWarming, int enqueued) {
        if (enqueued > 0) {
            return TRIGGERED;
        }
        return warmOrWarming == configured ? READY_NOOP : WAITING;
    }
}
