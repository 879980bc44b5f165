package org.elb.warmkeeper.core.warm;

/** What {@link WarmupDispatcher#enqueue} did. */
public enum DispatchOutcome {
    /** A new warmup was enqueued. */
    ENQUEUED,
    /** The backend already has this warmup (idempotent dispatch): reported as skipped {@code inflight}. */
    ALREADY_RUNNING
}
