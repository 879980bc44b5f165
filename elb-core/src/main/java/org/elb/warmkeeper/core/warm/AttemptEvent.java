package org.elb.warmkeeper.core.warm;

/** What an entry of a database's attempt history says: a dispatch, or an outcome observed after one. */
public enum AttemptEvent {
    /** A warmup was enqueued. */
    DISPATCHED("dispatched"),
    /** Enqueueing a warmup failed (not a warmup failure: it does not count for backoff). */
    ENQUEUE_FAILED("enqueue_failed"),
    /** The dispatched warmup was first seen LOADING. */
    LOADING("loading"),
    /** The database was seen READY after a dispatch: resets the backoff. */
    READY("ready"),
    /** The dispatched warmup was seen FAILED, or was never seen within the lock TTL: counts for backoff. */
    FAILED("failed");

    private final String wireName;

    AttemptEvent(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }
}
