package org.elb.warmkeeper.json;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.elb.warmkeeper.core.Secrets;
import org.elb.warmkeeper.core.provision.CancelOutcome;
import org.elb.warmkeeper.core.provision.ErrorClassification;
import org.elb.warmkeeper.core.provision.FailedProvision;
import org.elb.warmkeeper.core.provision.JobState;
import org.elb.warmkeeper.core.provision.JobTransitions;
import org.elb.warmkeeper.core.provision.ProvisionAccepted;
import org.elb.warmkeeper.core.provision.ProvisionRefusedException;
import org.elb.warmkeeper.core.provision.ProvisioningService;
import org.elb.warmkeeper.core.provision.RecentFailedProvisions;
import org.jspecify.annotations.Nullable;

/**
 * Provisioning's results: recent failures ({@code {"jobs":[…],"degraded":false}}), a job row, an
 * accepted request, a cancel's outcome, and a classified error (as a field, or as an error body).
 */
public final class ProvisioningJson {

    private ProvisioningJson() {}

    /** {@code {"jobs":[failed…],"degraded":bool}}. */
    public static ObjectNode recentFailed(RecentFailedProvisions result) {
        ObjectNode n = WireJson.object();
        ArrayNode jobs = n.putArray("jobs");
        result.jobs().forEach(f -> jobs.add(failed(f)));
        n.put("degraded", result.degraded());
        return n;
    }

    /**
     * A failed provisioning: {@code job_id}, {@code task_id}, {@code subscription_id},
     * {@code resource_group}, {@code cluster_name}, {@code region}, {@code cluster_state}, {@code error}
     * ({@link #error}), {@code created_at}, {@code failed_at}.
     */
    public static ObjectNode failed(FailedProvision f) {
        ObjectNode n = WireJson.object();
        n.put("job_id", f.jobId().toString());
        n.put("task_id", f.taskId() == null ? null : f.taskId().value());
        n.put("subscription_id", f.subscriptionId());
        n.put("resource_group", f.resourceGroup());
        n.put("cluster_name", f.clusterName());
        n.put("region", f.region());
        n.put("cluster_state", f.clusterState());
        n.set("error", error(f.error()));
        n.put("created_at", f.createdAt().toString());
        n.put("failed_at", f.failedAt().toString());
        return n;
    }

    /**
     * A classified error as a field: {@code category}, {@code code}, {@code message}, {@code retryable},
     * {@code suggested_actions}; JSON {@code null} for none.
     */
    public static @Nullable ObjectNode error(@Nullable ErrorClassification e) {
        if (e == null) {
            return null;
        }
        ObjectNode n = WireJson.object();
        n.put("category", e.category().wireName());
        n.put("code", e.code());
        n.put("message", e.message());
        n.put("retryable", e.retryable());
        n.set("suggested_actions", WireJson.strings(e.suggestedActions()));
        return n;
    }

    /**
     * A classified error as an error body: {@code error} (the message), {@code category}, {@code code},
     * {@code retryable}, {@code suggested_actions}.
     */
    public static ObjectNode classifiedError(ErrorClassification e) {
        ObjectNode n = WireJson.object();
        n.put("error", e.message());
        n.put("category", e.category().wireName());
        n.put("code", e.code());
        n.put("retryable", e.retryable());
        n.set("suggested_actions", WireJson.strings(e.suggestedActions()));
        return n;
    }

    /**
     * A request the provisioning policy refused, as an error body: {@code error} (the message, masked),
     * {@code rule} (the policy key's name, e.g. {@code max-nodes}), {@code limit}, {@code kind}
     * ({@code rule}, {@code quota} or {@code capacity}). Its HTTP status is {@link #refusalStatus}.
     */
    public static ObjectNode refused(ProvisionRefusedException e) {
        ObjectNode n = WireJson.object();
        n.put("error", Secrets.masked(String.valueOf(e.getMessage())));
        n.put("rule", e.rule().wireName());
        n.put("limit", e.limit());
        n.put("kind", e.kind().wireName());
        return n;
    }

    /** The HTTP status of a refusal: 403 for a rule, 429 for a quota or rate, 503 for a full queue. */
    public static int refusalStatus(ProvisionRefusedException e) {
        return switch (e.kind()) {
            case RULE -> 403;
            case QUOTA -> 429;
            case CAPACITY -> 503;
        };
    }

    /** An accepted request: {@code task_id}, {@code job_id}, {@code state_recorded}. */
    public static ObjectNode accepted(ProvisionAccepted a) {
        ObjectNode n = WireJson.object();
        n.put("task_id", a.taskId().value());
        n.put("job_id", a.jobId().toString());
        n.put("state_recorded", a.stateRecorded());
        return n;
    }

    /**
     * A job row: {@code job_id}, {@code type}, {@code status}, {@code task_id}, {@code cluster_state},
     * {@code error}, {@code payload} (the request's context, keys sorted), {@code version},
     * {@code created_at}, {@code updated_at}. Payload keys ending in {@code _url} are left out: the AKS
     * polling URL carries ARM's signature parameters.
     */
    public static ObjectNode job(JobState j) {
        ObjectNode n = WireJson.object();
        n.put("job_id", j.id().toString());
        n.put("type", j.type());
        n.put("status", j.status().wireName());
        n.put("task_id", j.taskId() == null ? null : j.taskId().value());
        n.put("cluster_state", j.clusterState());
        n.set("error", error(j.error()));
        Map<String, String> payload = new TreeMap<>();
        j.payload().forEach((k, v) -> {
            if (!k.endsWith("_url")) {
                payload.put(k, v);
            }
        });
        ObjectNode p = n.putObject("payload");
        payload.forEach(p::put);
        n.put("version", j.version());
        n.put("created_at", j.createdAt().toString());
        n.put("updated_at", j.updatedAt().toString());
        return n;
    }

    /**
     * A cancel's outcome: {@code result}, {@code mode}, {@code status}, {@code cluster_state},
     * {@code partial_resource_likely}, {@code portal_url}, {@code action_error} (masked), then how the
     * row stands: {@code action_state} (the abort's or delete's {@code cancel_action_state}: {@code accepted},
     * then its end) and {@code create_reported} (the create's own end, {@code succeeded} or {@code failed},
     * when it was reported after the cancel was recorded); null when absent.
     */
    public static ObjectNode cancel(CancelOutcome c) {
        ObjectNode n = WireJson.object();
        n.put("result", c.result().name().toLowerCase(Locale.ROOT));
        n.put("mode", c.mode().name().toLowerCase(Locale.ROOT));
        n.put("status", c.job() == null ? null : c.job().status().wireName());
        n.put("cluster_state", c.job() == null ? null : c.job().clusterState());
        n.put("partial_resource_likely", c.partialResourceLikely());
        n.put("portal_url", c.portalUrl());
        n.put("action_error", Secrets.mask(c.actionError()));
        n.put(
                "action_state",
                c.job() == null ? null : c.job().payload().get(ProvisioningService.KEY_CANCEL_ACTION_STATE));
        n.put("create_reported", c.job() == null ? null : c.job().payload().get(JobTransitions.KEY_REPORTED_OUTCOME));
        return n;
    }
}
