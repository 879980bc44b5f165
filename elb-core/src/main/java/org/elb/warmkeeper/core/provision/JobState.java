package org.elb.warmkeeper.core.provision;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.elb.warmkeeper.core.cluster.Checks;
import org.elb.warmkeeper.core.cluster.OwnerId;
import org.jspecify.annotations.Nullable;

/**
 * A durable job-state row.
 *
 * @param type e.g. {@code "aks_provision"}
 * @param taskId stamped after the create is enqueued; null until then
 * @param clusterState the last ARM {@code provisioningState} the provisioner published; null until then
 * @param error the classified error of a failed job
 * @param payload the request's context (subscription, resource group, cluster, region, SKU, ...), plus
 *     checkpoints a provisioner stores to resume; sorted by key
 * @param version incremented by every update: the compare-and-set token
 * @param updatedAt the time of the last change (for a failed job: when it failed)
 */
public record JobState(
        JobId id,
        String type,
        OwnerId owner,
        JobStatus status,
        @Nullable TaskId taskId,
        @Nullable String clusterState,
        @Nullable ErrorClassification error,
        Map<String, String> payload,
        long version,
        Instant createdAt,
        Instant updatedAt) {

    public JobState {
        Checks.required(id, "id");
        Checks.matches(type, "type", NewJob.TYPE_PATTERN, NewJob.TYPE_RULE);
        Checks.required(owner, "owner");
        Checks.required(status, "status");
        payload = java.util.Collections.unmodifiableMap(new TreeMap<>(Checks.required(payload, "payload")));
        Checks.required(createdAt, "createdAt");
        Checks.required(updatedAt, "updatedAt");
    }

    /** A freshly created row: queued, version 0. */
    public static JobState created(NewJob job) {
        return new JobState(
                job.id(),
                job.type(),
                job.owner(),
                JobStatus.QUEUED,
                null,
                null,
                null,
                job.payload(),
                0,
                job.createdAt(),
                job.createdAt());
    }

    public Optional<String> payloadValue(String key) {
        return Optional.ofNullable(payload.get(key));
    }

    /**
     * The reason {@code update} may not be applied to this row, or empty when it may. A terminal row takes
     * only its task id, and a cancelled one also how its cancel's abort or delete ended
     * ({@link JobUpdate#onlyReportsCancelAction}); a fenced row ({@link #fenced}) never becomes succeeded or
     * failed. The rule is {@link JobTransitions#rejection}.
     */
    public Optional<String> rejection(JobUpdate update) {
        return JobTransitions.rejection(status, taskId, fenced(), update);
    }

    /**
     * Whether a cancel has fenced this row ({@link JobTransitions#FENCE_KEY}): it can then only end
     * cancelled.
     */
    public boolean fenced() {
        return JobTransitions.fenced(payload);
    }

    /**
     * This row with {@code update} applied at {@code at}: version + 1. Null fields of the update keep the
     * row's values; payload entries are merged. A terminal row (which accepts only its task id) keeps its
     * {@code updatedAt}: when a job failed stays when it failed.
     *
     * @throws IllegalStateException when {@link #rejection} is not empty
     */
    public JobState apply(JobUpdate update, Instant at) {
        rejection(update).ifPresent(r -> {
            throw new IllegalStateException(r);
        });
        Map<String, String> merged = new TreeMap<>(payload);
        merged.putAll(update.payload());
        return new JobState(
                id,
                type,
                owner,
                update.status() != null ? update.status() : status,
                update.taskId() != null ? update.taskId() : taskId,
                update.clusterState() != null ? update.clusterState() : clusterState,
                update.error() != null ? update.error() : error,
                merged,
                version + 1,
                createdAt,
                status.isTerminal() ? updatedAt : at);
    }
}
