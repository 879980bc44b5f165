package org.elb.warmkeeper.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import org.elb.warmkeeper.core.cluster.OwnerId;
import org.elb.warmkeeper.core.provision.JobId;
import org.elb.warmkeeper.core.provision.JobStateChange;
import org.elb.warmkeeper.core.provision.JobStatus;
import org.elb.warmkeeper.core.provision.TaskId;
import org.jspecify.annotations.Nullable;

/**
 * The JSON form of a {@link JobStateChange}, in the seed's snake case and status words:
 * <pre>{"job_id":"…","type":"aks_provision","owner":"…","status":"running","task_id":"…",
 * "cluster_state":"Creating","version":3,"at":"2026-01-01T00:00:00Z"}</pre>
 * {@code task_id} and {@code cluster_state} are {@code null} when absent. Unknown fields are ignored
 * on reading, so the form can grow.
 */
public final class JobStateChangeJson {

    private static final ObjectMapper MAPPER = WireJson.mapper();

    private JobStateChangeJson() {}

    /** The change as a tree. */
    public static ObjectNode tree(JobStateChange c) {
        ObjectNode n = WireJson.object();
        n.put("job_id", c.jobId().toString());
        n.put("type", c.type());
        n.put("owner", c.owner().value());
        n.put("status", c.status().wireName());
        n.put("task_id", c.taskId() == null ? null : c.taskId().value());
        n.put("cluster_state", c.clusterState());
        n.put("version", c.version());
        n.put("at", c.at().toString());
        return n;
    }

    /** The change as compact JSON text (the form published on the Redis channel). */
    public static String encode(JobStateChange c) {
        return WireJson.write(tree(c));
    }

    /** The change a message holds, or empty when it is not a well-formed change. */
    public static Optional<JobStateChange> decode(String json) {
        try {
            JsonNode n = MAPPER.readTree(json);
            if (n == null || !n.isObject()) {
                return Optional.empty();
            }
            JobStatus status = JobStatus.fromWireName(text(n, "status")).orElse(null);
            if (status == null || !n.path("version").canConvertToLong()) {
                return Optional.empty();
            }
            String taskId = nullableText(n, "task_id");
            return Optional.of(new JobStateChange(
                    JobId.parse(text(n, "job_id")),
                    text(n, "type"),
                    OwnerId.of(text(n, "owner")),
                    status,
                    taskId == null ? null : TaskId.of(taskId),
                    nullableText(n, "cluster_state"),
                    n.path("version").asLong(),
                    Instant.parse(text(n, "at"))));
        } catch (JsonProcessingException | IllegalArgumentException | DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual()) {
            throw new IllegalArgumentException("'" + field + "' is required");
        }
        return v.asText();
    }

    private static @Nullable String nullableText(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
