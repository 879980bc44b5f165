package org.elb.warmkeeper.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.elb.warmkeeper.core.provision.ProvisionRequest;
import org.elb.warmkeeper.core.provision.RecentFailedQuery;
import org.elb.warmkeeper.core.warm.WarmAttemptHistory;
import org.elb.warmkeeper.json.WireJson;

/**
 * The dashboard's endpoints as {@code /openapi.json} describes them, whichever server serves them: the
 * API routes, the event stream, the status page's files and the document itself. A server adds its own
 * (probes, metrics) and builds the document with {@link OpenApiDocument#build}.
 */
public final class DashboardRoutes {

    /** The most attempts one request lists. */
    public static final int MAX_ATTEMPTS = 100;

    private static final String SUB = "subscription_id";
    private static final String RG = "resource_group";

    private DashboardRoutes() {}

    /**
     * @param autoWarm whether the toggles and attempts are served
     * @param events whether {@code GET /api/events} is served
     * @param page the status page's paths ({@link StatusPage#paths}), empty when it is not served
     */
    public static List<RouteDoc> routes(boolean autoWarm, boolean events, List<String> page) {
        List<RouteDoc> all = new ArrayList<>();
        all.add(RouteDoc.get("/openapi.json", RouteDoc.Access.PUBLIC)
                .summary("This document (OpenAPI 3); info.version is the library's version")
                .responds(200, "the OpenAPI document"));
        all.addAll(api(autoWarm));
        if (events) {
            all.add(RouteDoc.get("/api/events", RouteDoc.Access.CALLER)
                    .summary("Server-Sent Events of the caller's job-state changes; Last-Event-ID resumes")
                    .responds(
                            200,
                            "text/event-stream",
                            429,
                            "too many open streams of this caller",
                            503,
                            "too many open streams"));
        }
        for (String path : page) {
            all.add(RouteDoc.get("/" + path, RouteDoc.Access.PUBLIC)
                    .summary("The status page: " + (path.isEmpty() ? "index.html" : path))
                    .responds(200, "the page's file"));
        }
        return List.copyOf(all);
    }

    /** The API's routes under {@code /api/} (without the event stream). */
    public static List<RouteDoc> api(boolean autoWarm) {
        List<RouteDoc> all = new ArrayList<>();
        all.add(RouteDoc.get("/api/aks/recent-failed-provisions", RouteDoc.Access.CALLER)
                .summary("The caller's failed AKS provisionings of the last hours")
                .query(
                        "hours",
                        "integer",
                        "look-back window in hours (default " + RecentFailedQuery.DEFAULT_HOURS + ")")
                .query("limit", "integer", "most rows (default " + RecentFailedQuery.DEFAULT_LIMIT + ")")
                .responds(200, "{jobs, degraded}"));
        all.add(RouteDoc.post("/api/aks/provision", RouteDoc.Access.CALLER)
                .summary("Starts an AKS provisioning for the caller")
                .body(provisionRequest())
                .responds(
                        202,
                        "{task_id, job_id, state_recorded}",
                        409,
                        "name conflict",
                        413,
                        "body too large",
                        415,
                        "the body is not sent as application/json",
                        422,
                        "refused (classified, not retryable)"));
        all.add(RouteDoc.post("/api/aks/provision/{taskId}/cancel", RouteDoc.Access.CALLER)
                .summary("Cancels one of the caller's provisionings")
                .query("mode", "string", "stop (default), abort_operation or delete_cluster")
                .responds(200, "the cancel's outcome", 404, "no such task of the caller's"));
        all.add(RouteDoc.get("/api/tasks/{taskId}", RouteDoc.Access.CALLER)
                .summary("One of the caller's job rows")
                .responds(200, "the job row", 404, "no such task of the caller's"));
        all.add(RouteDoc.get("/api/autowarm/status", RouteDoc.Access.CALLER)
                .summary("The last tick's report")
                .responds(200, "the report, or {status: no_tick_yet}"));
        all.add(RouteDoc.post("/api/autowarm/reconcile", RouteDoc.Access.CALLER)
                .summary("Runs a tick now (single-flight) and answers its report; force=true needs an admin")
                .query("force", "boolean", "bypass the in-flight lock (admin only)")
                .responds(200, "the tick's report", 403, "force=true without an admin identity"));
        if (autoWarm) {
            all.addAll(autoWarm());
        }
        all.add(RouteDoc.get("/api/version-gate/{service}", RouteDoc.Access.PUBLIC)
                .summary("Whether the service's Update panel offers an update")
                .responds(200, "the gate's decision"));
        return all;
    }

    private static List<RouteDoc> autoWarm() {
        String clusterQuery =
                "the cluster's subscription (with resource_group: needed when the name is ambiguous or the"
                        + " cluster is not listed yet)";
        return List.of(
                RouteDoc.get("/api/autowarm/clusters", RouteDoc.Access.CALLER)
                        .summary("Every cluster with auto-warm on, with its databases and pauses")
                        .responds(200, "{clusters: [...]}"),
                RouteDoc.put("/api/autowarm/clusters/{cluster}", RouteDoc.Access.ADMIN)
                        .summary("Turns auto-warm on (with its databases) or off, or pauses, a whole cluster")
                        .query(SUB, "string", clusterQuery)
                        .query(RG, "string", "the cluster's resource group")
                        .body(clusterBody())
                        .responds(
                                200,
                                "the cluster's preference after the change",
                                404,
                                "no auto-warm cluster of that name",
                                415,
                                "the body is not sent as application/json",
                                409,
                                "the name is ambiguous"),
                RouteDoc.put("/api/autowarm/clusters/{cluster}/databases/{db}", RouteDoc.Access.CALLER)
                        .summary("Turns one database's auto-warm on or off, or pauses it, on a cluster an admin"
                                + " turned on")
                        .query(
                                SUB,
                                "string",
                                "the cluster's subscription (with resource_group: needed when the name"
                                        + " is ambiguous)")
                        .query(RG, "string", "the cluster's resource group")
                        .body(OpenApiDocument.booleans("enabled", "paused"))
                        .responds(
                                200,
                                "the cluster's preference after the change",
                                404,
                                "no auto-warm cluster an admin turned on of that name, or (pause) the database is"
                                        + " not listed",
                                415,
                                "the body is not sent as application/json",
                                409,
                                "the name is ambiguous"),
                RouteDoc.get("/api/autowarm/clusters/{cluster}/databases/{db}/attempts", RouteDoc.Access.CALLER)
                        .summary("The database's newest warm attempts (dispatches and outcomes), newest first")
                        .query(SUB, "string", clusterQuery)
                        .query(RG, "string", "the cluster's resource group")
                        .query(
                                "limit",
                                "integer",
                                "most entries, 1-" + MAX_ATTEMPTS + " (default " + WarmAttemptHistory.DEFAULT_KEEP
                                        + ")")
                        .responds(
                                200, "{cluster_name, db, attempts: [...]}", 404, "no auto-warm cluster of that name"));
    }

    private static ObjectNode clusterBody() {
        ObjectNode s = OpenApiDocument.booleans("enabled", "paused");
        ObjectNode dbs = ((ObjectNode) s.get("properties")).putObject("databases");
        dbs.put("type", "array");
        dbs.putObject("items").put("type", "string");
        return s;
    }

    /** The body of {@code POST /api/aks/provision}. */
    public static ObjectNode provisionRequest() {
        ObjectNode s = WireJson.object();
        s.put("type", "object");
        ArrayNode required = s.putArray("required");
        ObjectNode props = s.putObject("properties");
        for (String key : List.of(
                ProvisionRequest.KEY_SUBSCRIPTION,
                ProvisionRequest.KEY_RESOURCE_GROUP,
                ProvisionRequest.KEY_CLUSTER,
                ProvisionRequest.KEY_REGION,
                ProvisionRequest.KEY_VM_SIZE)) {
            required.add(key);
            props.putObject(key).put("type", "string");
        }
        required.add(ProvisionRequest.KEY_NODE_COUNT);
        props.putObject(ProvisionRequest.KEY_NODE_COUNT).put("type", "integer");
        props.putObject(ProvisionRequest.KEY_KUBERNETES_VERSION).put("type", "string");
        return s;
    }
}
