package org.elb.warmkeeper.core.warm;

/** What the cluster says about one database's warmup. */
public enum WarmStatus {
    /** Loaded and serving: never enqueued. */
    READY,
    /** A warmup is running: never enqueued. */
    LOADING,
    /** The last warmup failed: a candidate. */
    FAILED,
    /** No warmup exists: a candidate. */
    ABSENT,
    /** The probe could not tell: skipped with reason {@code status_unknown}. */
    UNKNOWN;

    /** READY or LOADING: the database is warm or warming and is left alone. */
    public boolean isWarmOrWarming() {
        return this == READY || this == LOADING;
    }
}
