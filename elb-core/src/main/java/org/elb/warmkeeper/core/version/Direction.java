package org.elb.warmkeeper.core.version;

/** Which way an update goes, from the deployed version to the pinned one. */
public enum Direction {
    UPGRADE,
    DOWNGRADE,
    /** One side is not a numeric version (e.g. {@code latest}, {@code sha-1a2b}): no order is claimed. */
    UNORDERED
}
