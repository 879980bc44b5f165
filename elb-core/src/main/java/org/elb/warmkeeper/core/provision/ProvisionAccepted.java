package org.elb.warmkeeper.core.provision;

import org.jspecify.annotations.Nullable;

/**
 * The answer of {@link ProvisioningService#provision}.
 *
 * @param jobId the job row's id; null when the state store failed (the create still went ahead)
 * @param stateRecorded whether both best-effort writes (row, task id) succeeded
 */
public record ProvisionAccepted(TaskId taskId, @Nullable JobId jobId, boolean stateRecorded) {}
