package org.elb.warmkeeper.core.provision;

import org.jspecify.annotations.Nullable;

/** Port for provisioning metrics and events; every method has an empty default. */
public interface ProvisioningObserver {

    ProvisioningObserver NOOP = new ProvisioningObserver() {};

    /** A request passed the {@link ProvisionPolicy} (its rules and quotas) and is being provisioned. */
    default void provisionRequested(ProvisionRequest request) {}

    /** A request was refused by the {@link ProvisionPolicy}; nothing was written or sent. */
    default void provisionRefused(ProvisionRule rule) {}

    /** A job ended: succeeded, failed (with its category) or cancelled. */
    default void provisionEnded(JobStatus status, @Nullable ErrorCategory category) {}

    /** A best-effort write to the state store failed ({@code create}, {@code stamp_task_id}, {@code update}). */
    default void stateWriteFailed(String operation, Throwable error) {}

    /** A {@link ProvisioningService#sweep} ended: rows resumed, interrupted, timed out, and finished rows purged. */
    default void sweepDone(int resumed, int interrupted, int timedOut, int purged) {}

    /** Recent failed answered degraded because the store failed. */
    default void recentFailedDegraded(Throwable error) {}
}
