package org.elb.warmkeeper.core.warm;

/** Port: enqueue a warmup. Idempotent where the backend allows (same request, same warmup). */
@FunctionalInterface
public interface WarmupDispatcher {

    /**
     * @throws DispatchException (or another {@link org.elb.warmkeeper.core.ElbException}) when the
     *     warmup could not be enqueued
     */
    DispatchOutcome enqueue(WarmupRequest request);

    /**
     * As {@link #enqueue}, with the backend's name of the warmup (the reconciler calls this one and records
     * the name in the attempt history). The default names nothing; a dispatcher that knows the name (the
     * Kubernetes one: the Job's) overrides it.
     *
     * @throws DispatchException (or another {@link org.elb.warmkeeper.core.ElbException}) when the
     *     warmup could not be enqueued
     */
    default DispatchResult dispatch(WarmupRequest request) {
        return DispatchResult.of(enqueue(request));
    }
}
