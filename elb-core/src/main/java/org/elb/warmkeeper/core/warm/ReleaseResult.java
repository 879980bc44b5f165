package org.elb.warmkeeper.core.warm;

/** The answer of {@link InflightLock#release}. */
public enum ReleaseResult {
    /** The key held this token and is gone. */
    RELEASED,
    /** The key is absent or holds another owner's token: nothing was deleted. */
    NOT_OWNER,
    /** The lock store could not answer: the TTL will free the key. */
    UNAVAILABLE
}
