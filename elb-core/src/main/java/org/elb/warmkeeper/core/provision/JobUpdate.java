package org.elb.warmkeeper.core.provision;

import java.util.HashMap;
import java.util.Map;
import org.elb.warmkeeper.core.cluster.Checks;
import org.jspecify.annotations.Nullable;

/**
 * A change to a job row; null fields are left as they are and payload entries are merged. Build with
 * the static factories and the {@code with...} methods:
 * {@code JobUpdate.status(FAILED).withError(classification)}.
 */
public record JobUpdate(
        @Nullable JobStatus status,
        @Nullable TaskId taskId,
        @Nullable String clusterState,
        @Nullable ErrorClassification error,
        Map<String, String> payload) {

    public JobUpdate {
        payload = Map.copyOf(Checks.required(payload, "payload"));
    }

    /**
     * Payload keys a cancelled row still accepts: how the abort or delete its cancel sent ended (the one
     * change a terminal row takes besides its task id).
     */
    public static final java.util.Set<String> CANCEL_ACTION_KEYS =
            java.util.Set.of("cancel_action_state", "cancel_action_error");

    /** Records how a cancel's abort or delete ended: only payload entries of {@link #CANCEL_ACTION_KEYS}. */
    public static JobUpdate cancelActionEnded(String state, @Nullable String error) {
        Map<String, String> p = new HashMap<>();
        p.put("cancel_action_state", Checks.required(state, "state"));
        if (error != null) {
            p.put("cancel_action_error", error);
        }
        return new JobUpdate(null, null, null, null, p);
    }

    /** Whether this update only records how a cancel's action ended ({@link #cancelActionEnded}). */
    public boolean onlyReportsCancelAction() {
        return status == null
                && taskId == null
                && clusterState == null
                && error == null
                && !payload.isEmpty()
                && CANCEL_ACTION_KEYS.containsAll(payload.keySet());
    }

    public static JobUpdate status(JobStatus status) {
        return new JobUpdate(Checks.required(status, "status"), null, null, null, Map.of());
    }

    public static JobUpdate taskId(TaskId taskId) {
        return new JobUpdate(null, Checks.required(taskId, "taskId"), null, null, Map.of());
    }

    public static JobUpdate clusterState(String clusterState) {
        return new JobUpdate(null, null, Checks.required(clusterState, "clusterState"), null, Map.of());
    }

    public static JobUpdate payload(Map<String, String> entries) {
        return new JobUpdate(null, null, null, null, entries);
    }

    public JobUpdate withStatus(JobStatus status) {
        return new JobUpdate(Checks.required(status, "status"), taskId, clusterState, error, payload);
    }

    public JobUpdate withClusterState(String clusterState) {
        return new JobUpdate(status, taskId, Checks.required(clusterState, "clusterState"), error, payload);
    }

    public JobUpdate withError(ErrorClassification error) {
        return new JobUpdate(status, taskId, clusterState, Checks.required(error, "error"), payload);
    }

    public JobUpdate withPayload(String key, String value) {
        Map<String, String> merged = new HashMap<>(payload);
        merged.put(Checks.required(key, "key"), Checks.required(value, "value"));
        return new JobUpdate(status, taskId, clusterState, error, merged);
    }
}
