package org.elb.warmkeeper.core.warm;

/** Port: enqueue a warmup. Idempotent where the backend allows (same request, same warmup). */
@FunctionalInterface
public interface WarmupDispatcher {

    /**
     * @throws DispatchException (or another {@link org.elb.warmkeeper.core.ElbException}) when the
     *     warmup could not be enqueued
     */
    DispatchOutcome enqueue(WarmupRequest request);
}
