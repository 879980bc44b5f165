package org.elb.warmkeeper.core.warm;

/** Why a configured database was not enqueued. Wire names are the seed's. */
public enum SkipReason {
    NOT_DOWNLOADED("not_downloaded"),
    STATUS_UNKNOWN("status_unknown"),
    INFLIGHT("inflight"),
    ENQUEUE_FAILED("enqueue_failed"),
    /** Its warmups keep failing: it waits until the skip's {@code retry_at} ({@link WarmBackoff}). */
    BACKOFF("backoff"),
    /** The operator paused the database or its cluster. */
    PAUSED("paused");

    private final String wireName;

    SkipReason(String wireName) {
        this.wireName = wireName;
    }

    /** The seed's word, e.g. {@code "inflight"}. */
    public String wireName() {
        return wireName;
    }
}
