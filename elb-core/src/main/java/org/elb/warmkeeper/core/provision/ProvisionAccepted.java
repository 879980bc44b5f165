package org.elb.warmkeeper.core.provision;

import org.jspecify.annotations.Nullable;

/**
 * The answer of {@link ProvisioningService#provision}.
 *
 * @param jobId the job row's id; when the state store failed the row is written as soon as it is back
 *     ({@link ProvisioningService} retries), so it is never null from the service
 * @param stateRecorded whether both writes (row, task id) landed at once; false when they wait for the store
 */
public record ProvisionAccepted(TaskId taskId, @Nullable JobId jobId, boolean stateRecorded) {}
