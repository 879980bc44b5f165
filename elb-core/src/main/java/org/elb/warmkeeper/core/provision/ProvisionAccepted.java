package org.elb.warmkeeper.core.provision;

/**
 * The answer of {@link ProvisioningService#provision}.
 *
 * @param jobId the job row's id; when the state store failed the row is written as soon as it is back
 *     ({@link ProvisioningService} retries)
 * @param stateRecorded whether both writes (row, task id) landed at once; false when they wait for the store
 */
public record ProvisionAccepted(TaskId taskId, JobId jobId, boolean stateRecorded) {}
