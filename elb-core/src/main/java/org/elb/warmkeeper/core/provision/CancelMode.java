package org.elb.warmkeeper.core.provision;

/** How far a cancel goes. Each level includes the one before. */
public enum CancelMode {
    /** Stop polling and record cancelled (the seed's cancel). */
    STOP,
    /** Also abort the ARM operation. */
    ABORT_OPERATION,
    /** Also delete the partially created cluster. */
    DELETE_CLUSTER
}
