package org.elb.warmkeeper.core.warm;

/** Why a configured database was not enqueued. Wire names are the seed's. */
public enum SkipReason {
    NOT_DOWNLOADED("not_downloaded"),
    STATUS_UNKNOWN("status_unknown"),
    INFLIGHT("inflight"),
    ENQUEUE_FAILED("enqueue_failed");

    private final String wireName;

    SkipReason(String wireName) {
        this.wireName = wireName;
    }

    /** The seed's word, e.g. {@code "inflight"}. */
    public String wireName() {
        return wireName;
    }
}
