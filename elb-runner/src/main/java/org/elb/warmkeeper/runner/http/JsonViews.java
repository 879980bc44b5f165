package org.elb.warmkeeper.runner.http;

import java.util.LinkedHashMap;
import java.util.Map;
import org.elb.warmkeeper.core.Secrets;
import org.elb.warmkeeper.core.cluster.DatabaseName;
import org.elb.warmkeeper.core.provision.CancelOutcome;
import org.elb.warmkeeper.core.provision.ErrorClassification;
import org.elb.warmkeeper.core.provision.FailedProvision;
import org.elb.warmkeeper.core.provision.JobState;
import org.elb.warmkeeper.core.provision.ProvisionAccepted;
import org.elb.warmkeeper.core.provision.RecentFailedProvisions;
import org.elb.warmkeeper.core.version.GateDecision;
import org.elb.warmkeeper.core.warm.ClusterOutcome;
import org.elb.warmkeeper.core.warm.TickReport;
import org.jspecify.annotations.Nullable;

/** The dashboard's JSON shapes (snake case, as the seed's API), shared by the HTTP API and the one-shot commands. */
public final class JsonViews {

    private JsonViews() {}

    public static Map<String, Object> recentFailed(RecentFailedProvisions result) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("jobs", result.jobs().stream().map(JsonViews::failed).toList());
        m.put("degraded", result.degraded());
        return m;
    }

    public static Map<String, Object> failed(FailedProvision f) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("job_id", f.jobId().toString());
        m.put("task_id", f.taskId() == null ? null : f.taskId().value());
        m.put("subscription_id", f.subscriptionId());
        m.put("resource_group", f.resourceGroup());
        m.put("cluster_name", f.clusterName());
        m.put("region", f.region());
        m.put("cluster_state", f.clusterState());
        m.put("error", error(f.error()));
        m.put("created_at", f.createdAt().toString());
        m.put("failed_at", f.failedAt().toString());
        return m;
    }

    public static @Nullable Map<String, Object> error(@Nullable ErrorClassification e) {
        if (e == null) {
            return null;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("category", e.category().wireName());
        m.put("code", e.code());
        m.put("message", e.message());
        m.put("retryable", e.retryable());
        m.put("suggested_actions", e.suggestedActions());
        return m;
    }

    public static Map<String, Object> accepted(ProvisionAccepted a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("task_id", a.taskId().value());
        m.put("job_id", a.jobId() == null ? null : a.jobId().toString());
        m.put("state_recorded", a.stateRecorded());
        return m;
    }

    /**
     * A job row: status, task id, cluster state, error, the request's context. Payload keys ending in
     * {@code _url} are left out: the AKS polling URL carries ARM's signature parameters.
     */
    public static Map<String, Object> job(JobState j) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("job_id", j.id().toString());
        m.put("type", j.type());
        m.put("status", j.status().wireName());
        m.put("task_id", j.taskId() == null ? null : j.taskId().value());
        m.put("cluster_state", j.clusterState());
        m.put("error", error(j.error()));
        Map<String, String> payload = new java.util.TreeMap<>();
        j.payload().forEach((k, v) -> {
            if (!k.endsWith("_url")) {
                payload.put(k, v);
            }
        });
        m.put("payload", payload);
        m.put("version", j.version());
        m.put("created_at", j.createdAt().toString());
        m.put("updated_at", j.updatedAt().toString());
        return m;
    }

    public static Map<String, Object> cancel(CancelOutcome c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("result", c.result().name().toLowerCase(java.util.Locale.ROOT));
        m.put("mode", c.mode().name().toLowerCase(java.util.Locale.ROOT));
        m.put("status", c.job() == null ? null : c.job().status().wireName());
        m.put("cluster_state", c.job() == null ? null : c.job().clusterState());
        m.put("partial_resource_likely", c.partialResourceLikely());
        m.put("portal_url", c.portalUrl());
        m.put("action_error", Secrets.mask(c.actionError()));
        return m;
    }

    /**
     * A tick's report in the seed's shape ({@code status}, {@code clusters[]} with {@code cluster_name},
     * {@code databases}, {@code enqueued}, {@code skipped[{db, reason}]}, {@code status}) and the additive
     * fields {@code started_at}, {@code force}, {@code subscription_id}, {@code resource_group},
     * {@code lock_fail_open} and {@code detail} (masked, as every outcome's detail).
     */
    public static Map<String, Object> tick(TickReport report) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", report.status());
        m.put("started_at", report.startedAt().toString());
        m.put("force", report.force());
        m.put("clusters", report.clusters().stream().map(JsonViews::outcome).toList());
        return m;
    }

    private static Map<String, Object> outcome(ClusterOutcome o) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cluster_name", o.cluster().clusterName());
        m.put("subscription_id", o.cluster().subscriptionId());
        m.put("resource_group", o.cluster().resourceGroup());
        m.put("databases", o.databases().stream().map(DatabaseName::value).toList());
        m.put("enqueued", o.enqueued().stream().map(DatabaseName::value).toList());
        m.put(
                "skipped",
                o.skipped().stream()
                        .map(skip -> {
                            Map<String, Object> k = new LinkedHashMap<>();
                            k.put("db", skip.db().value());
                            k.put("reason", skip.reason().wireName());
                            if (skip.retryAt() != null) {
                                k.put("retry_at", String.valueOf(skip.retryAt()));
                            }
                            return k;
                        })
                        .toList());
        m.put("status", o.status().wireName());
        if (o.failOpen() > 0) {
            m.put("lock_fail_open", o.failOpen());
        }
        if (o.detail() != null) {
            m.put("detail", Secrets.mask(o.detail()));
        }
        return m;
    }

    /** A classified provisioning error as an error body: the message, category, code, retryable, suggested actions. */
    public static Map<String, Object> classifiedError(ErrorClassification e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("error", e.message());
        m.put("category", e.category().wireName());
        m.put("code", e.code());
        m.put("retryable", e.retryable());
        m.put("suggested_actions", e.suggestedActions());
        return m;
    }

    /** {@code /healthz} and {@code /readyz}: the overall status and one entry per component. */
    public static Map<String, Object> health(boolean ok, Map<String, Health> components) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", ok ? "up" : "down");
        Map<String, Object> c = new LinkedHashMap<>();
        components.forEach((name, h) -> {
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("status", h.status().name().toLowerCase(java.util.Locale.ROOT));
            one.put("detail", h.detail());
            c.put(name, one);
        });
        m.put("components", c);
        return m;
    }

    public static Map<String, Object> gate(String service, GateDecision d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("service", service);
        m.put("decision", d.wireName());
        m.put("offer_update", d.offerUpdate());
        if (d instanceof GateDecision.UpdateAvailable u) {
            m.put("from", u.from());
            m.put("to", u.to());
            m.put("direction", u.direction().name().toLowerCase(java.util.Locale.ROOT));
        } else if (d instanceof GateDecision.UpToDate u) {
            m.put("version", u.version());
        } else if (d instanceof GateDecision.ServiceUnreachable u) {
            m.put("reason", Secrets.mask(u.reason()));
        } else if (d instanceof GateDecision.DeployedVersionUnknown u) {
            m.put("reason", Secrets.mask(u.reason()));
        } else if (d instanceof GateDecision.ImageMissing u) {
            m.put("reason", Secrets.mask(u.reason()));
        }
        return m;
    }
}
