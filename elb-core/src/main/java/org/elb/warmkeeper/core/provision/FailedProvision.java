package org.elb.warmkeeper.core.provision;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * One row of "recent failed provisions", with the cluster context read from the job's payload.
 *
 * @param failedAt when the row became failed (its {@code updatedAt})
 */
public record FailedProvision(
        JobId jobId,
        @Nullable TaskId taskId,
        @Nullable String subscriptionId,
        @Nullable String resourceGroup,
        @Nullable String clusterName,
        @Nullable String region,
        @Nullable String clusterState,
        @Nullable ErrorClassification error,
        Instant createdAt,
        Instant failedAt) {

    public static FailedProvision of(JobState job) {
        return new FailedProvision(
                job.id(),
                job.taskId(),
                job.payload().get(ProvisionRequest.KEY_SUBSCRIPTION),
                job.payload().get(ProvisionRequest.KEY_RESOURCE_GROUP),
                job.payload().get(ProvisionRequest.KEY_CLUSTER),
                job.payload().get(ProvisionRequest.KEY_REGION),
                job.clusterState(),
                job.error(),
                job.createdAt(),
                job.updatedAt());
    }
}
