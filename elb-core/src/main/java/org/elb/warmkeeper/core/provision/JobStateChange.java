package org.elb.warmkeeper.core.provision;

import java.time.Instant;
import org.elb.warmkeeper.core.cluster.OwnerId;
import org.jspecify.annotations.Nullable;

/** A job row changed: sent to subscribers (other replicas, a UI push channel). */
public record JobStateChange(
        JobId jobId,
        String type,
        OwnerId owner,
        JobStatus status,
        @Nullable TaskId taskId,
        @Nullable String clusterState,
        long version,
        Instant at) {

    public static JobStateChange of(JobState state) {
        return new JobStateChange(
                state.id(),
                state.type(),
                state.owner(),
                state.status(),
                state.taskId(),
                state.clusterState(),
                state.version(),
                state.updatedAt());
    }
}
