package org.elb.warmkeeper.core.warm;

/** The answer for one key of {@link InflightLock#tryAcquireAll}. */
public enum Acquisition {
    /** This caller now holds the key until the TTL runs out or it releases the key. */
    ACQUIRED,
    /** Someone else holds it: skip with reason {@code inflight}. */
    HELD,
    /** The lock store could not answer in time: the reconciler fails open and counts it. */
    UNAVAILABLE
}
