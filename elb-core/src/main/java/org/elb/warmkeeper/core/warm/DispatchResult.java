package org.elb.warmkeeper.core.warm;

import org.elb.warmkeeper.core.cluster.Checks;
import org.jspecify.annotations.Nullable;

/**
 * What {@link WarmupDispatcher#dispatch} did, with what the backend calls the warmup (e.g. the Kubernetes
 * Job name), which the reconciler keeps in the attempt history.
 *
 * @param outcome enqueued, or already running
 * @param jobName the backend's name of the warmup, or null when the dispatcher does not name it
 */
public record DispatchResult(
        DispatchOutcome outcome, @Nullable String jobName) {

    public DispatchResult {
        Checks.required(outcome, "outcome");
        if (jobName != null && jobName.isBlank()) {
            throw new IllegalArgumentException("'jobName' must not be blank when set");
        }
    }

    /** An outcome without a name. */
    public static DispatchResult of(DispatchOutcome outcome) {
        return new DispatchResult(outcome, null);
    }
}
