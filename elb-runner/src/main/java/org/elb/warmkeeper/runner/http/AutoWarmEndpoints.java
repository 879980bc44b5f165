package org.elb.warmkeeper.runner.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.elb.warmkeeper.core.cluster.ClusterRef;
import org.elb.warmkeeper.core.cluster.DatabaseName;
import org.elb.warmkeeper.core.warm.AutoWarmPreference;
import org.elb.warmkeeper.core.warm.InflightKey;
import org.elb.warmkeeper.core.warm.ManagedAutoWarmPreferences;
import org.elb.warmkeeper.core.warm.WarmAttemptHistory;
import org.elb.warmkeeper.http.HttpProblem;
import org.elb.warmkeeper.http.StrictJson;
import org.elb.warmkeeper.json.AutoWarmPreferenceJson;
import org.elb.warmkeeper.json.WarmAttemptJson;
import org.jspecify.annotations.Nullable;

/**
 * The dashboard's auto-warm toggles and the "why is this database cold" history:
 * <ul>
 *   <li>{@code GET /api/autowarm/clusters}: every cluster with auto-warm on (any caller)
 *   <li>{@code PUT /api/autowarm/clusters/{cluster}/databases/{db}} {@code {"enabled": bool, "paused": bool}}
 *       (either or both): one database's toggle and pause (any caller)
 *   <li>{@code PUT /api/autowarm/clusters/{cluster}} {@code {"enabled": bool, "paused": bool, "databases": [..]}}:
 *       the whole cluster (an admin: it changes what every user of the cluster gets)
 *   <li>{@code GET /api/autowarm/clusters/{cluster}/databases/{db}/attempts?limit=20}: the newest attempts
 * </ul>
 * {@code {cluster}} is the cluster's name; when two auto-warm clusters share it, or to turn a cluster on
 * that is not listed yet, the query gives {@code subscription_id} and {@code resource_group}. Bodies are
 * strict: unknown fields, {@code null} and non-boolean values are a 400.
 */
final class AutoWarmEndpoints {

    static final int MAX_ATTEMPTS = 100;
    private static final String SUB = "subscription_id";
    private static final String RG = "resource_group";
    private static final String ADMIN_ADDS = ": an admin turns a cluster on (PUT /api/autowarm/clusters/{cluster})";

    private final ManagedAutoWarmPreferences preferences;
    private final WarmAttemptHistory history;

    AutoWarmEndpoints(ManagedAutoWarmPreferences preferences, WarmAttemptHistory history) {
        this.preferences = preferences;
        this.history = history;
    }

    List<Route> routes() {
        String clusterQuery =
                "the cluster's subscription (with resource_group: needed when the name is ambiguous or the"
                        + " cluster is not listed yet)";
        return List.of(
                Route.get("/api/autowarm/clusters", Route.Access.CALLER, this::list)
                        .summary("Every cluster with auto-warm on, with its databases and pauses")
                        .responds(200, "{clusters: [...]}"),
                Route.put("/api/autowarm/clusters/{cluster}", Route.Access.ADMIN, this::putCluster)
                        .summary("Turns auto-warm on (with its databases) or off, or pauses, a whole cluster")
                        .query(SUB, "string", clusterQuery)
                        .query(RG, "string", "the cluster's resource group")
                        .body(clusterBody())
                        .responds(
                                200,
                                "the cluster's preference after the change",
                                404,
                                "no auto-warm cluster of that name",
                                409,
                                "the name is ambiguous"),
                Route.put("/api/autowarm/clusters/{cluster}/databases/{db}", Route.Access.CALLER, this::putDatabase)
                        .summary("Turns one database's auto-warm on or off, or pauses it")
                        .query(SUB, "string", clusterQuery)
                        .query(RG, "string", "the cluster's resource group")
                        .body(OpenApi.booleans("enabled", "paused"))
                        .responds(
                                200,
                                "the cluster's preference after the change",
                                404,
                                "no auto-warm cluster of that name, or (pause) the database is not listed",
                                409,
                                "the name is ambiguous"),
                Route.get(
                                "/api/autowarm/clusters/{cluster}/databases/{db}/attempts",
                                Route.Access.CALLER,
                                this::attempts)
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

    private static com.fasterxml.jackson.databind.node.ObjectNode clusterBody() {
        com.fasterxml.jackson.databind.node.ObjectNode s = OpenApi.booleans("enabled", "paused");
        com.fasterxml.jackson.databind.node.ObjectNode dbs =
                ((com.fasterxml.jackson.databind.node.ObjectNode) s.get("properties")).putObject("databases");
        dbs.put("type", "array");
        dbs.putObject("items").put("type", "string");
        return s;
    }

    private CompletableFuture<HttpApi.Reply> list(HttpApi.Call c) {
        return done(AutoWarmPreferenceJson.list(preferences.enabledClusters()));
    }

    private CompletableFuture<HttpApi.Reply> putCluster(HttpApi.Call c) throws IOException {
        JsonNode body = body(c);
        StrictJson.onlyFields(body, Set.of("enabled", "paused", "databases"));
        Boolean enabled = StrictJson.optionalBoolean(body, "enabled");
        Boolean paused = StrictJson.optionalBoolean(body, "paused");
        List<String> databases = StrictJson.optionalStrings(body, "databases");
        if (enabled == null && paused == null) {
            throw HttpProblem.badRequest("the body must give 'enabled' or 'paused' (or both)");
        }
        if (databases != null && !Boolean.TRUE.equals(enabled)) {
            throw HttpProblem.badRequest("'databases' goes with \"enabled\": true (it replaces the cluster's list)");
        }
        if (Boolean.FALSE.equals(enabled) && paused != null) {
            throw HttpProblem.badRequest(
                    "'paused' means nothing with \"enabled\": false (the cluster is no longer listed)");
        }
        ClusterRef cluster = cluster(c, Boolean.TRUE.equals(enabled));
        if (Boolean.TRUE.equals(enabled)) {
            if (databases == null) {
                throw HttpProblem.badRequest("\"enabled\": true needs 'databases' (the cluster's list, in order)");
            }
            preferences.enableCluster(
                    cluster, databases.stream().map(AutoWarmEndpoints::db).toList());
        } else if (Boolean.FALSE.equals(enabled)) {
            preferences.disableCluster(cluster);
        }
        if (paused != null) {
            preferences.setClusterPaused(cluster, paused);
        }
        return done(view(cluster));
    }

    private CompletableFuture<HttpApi.Reply> putDatabase(HttpApi.Call c) throws IOException {
        DatabaseName db = db(c.param("db"));
        JsonNode body = body(c);
        StrictJson.onlyFields(body, Set.of("enabled", "paused"));
        Boolean enabled = StrictJson.optionalBoolean(body, "enabled");
        Boolean paused = StrictJson.optionalBoolean(body, "paused");
        if (enabled == null && paused == null) {
            throw HttpProblem.badRequest("the body must give 'enabled' or 'paused' (or both)");
        }
        if (Boolean.FALSE.equals(enabled) && paused != null) {
            throw HttpProblem.badRequest(
                    "'paused' means nothing with \"enabled\": false (the database is no longer listed)");
        }
        ClusterRef cluster = configured(c);
        if (Boolean.TRUE.equals(enabled)) {
            preferences.enableDatabase(cluster, db);
        } else if (Boolean.FALSE.equals(enabled)) {
            preferences.disableDatabase(cluster, db);
        }
        if (paused != null) {
            boolean listed = find(cluster).map(p -> p.databases().contains(db)).orElse(false);
            if (!listed) {
                throw new HttpProblem(
                        404,
                        "'" + HttpProblem.echo(db.value()) + "' is not an auto-warm database of "
                                + HttpProblem.echo(cluster.clusterName()) + ": enable it first");
            }
            preferences.setDatabasePaused(cluster, db, paused);
        }
        return done(view(cluster));
    }

    private CompletableFuture<HttpApi.Reply> attempts(HttpApi.Call c) {
        DatabaseName db = db(c.param("db"));
        Integer limit = c.request.intParam("limit");
        int n = limit == null ? WarmAttemptHistory.DEFAULT_KEEP : limit;
        if (n < 1 || n > MAX_ATTEMPTS) {
            throw HttpProblem.badRequest("'limit' must be between 1 and " + MAX_ATTEMPTS + ", but was " + n);
        }
        InflightKey key = new InflightKey(cluster(c, false), db);
        return done(WarmAttemptJson.history(key, history.recent(key, n)));
    }

    /**
     * The cluster the request names: by {@code subscription_id} and {@code resource_group} when given,
     * else the one auto-warm cluster of that name (404 for none unless {@code mayBeNew}, 409 for several).
     */
    private ClusterRef cluster(HttpApi.Call c, boolean mayBeNew) {
        return cluster(c, mayBeNew ? ": give '" + SUB + "' and '" + RG + "' to turn a new one on" : "");
    }

    /**
     * The cluster of a per-database change: one with auto-warm on (404 otherwise, even when named by
     * {@code subscription_id} and {@code resource_group}): only the admin's cluster route adds a cluster.
     */
    private ClusterRef configured(HttpApi.Call c) {
        ClusterRef cluster = cluster(c, ADMIN_ADDS);
        if (find(cluster).isEmpty()) {
            throw new HttpProblem(
                    404,
                    "no auto-warm cluster '" + HttpProblem.echo(cluster.clusterName()) + "' in resource group '"
                            + HttpProblem.echo(cluster.resourceGroup()) + "'" + ADMIN_ADDS);
        }
        return cluster;
    }

    private ClusterRef cluster(HttpApi.Call c, String hintWhenNone) {
        String name = c.param("cluster");
        if (name.isEmpty()) {
            throw HttpProblem.badRequest("the cluster name is missing: use /api/autowarm/clusters/{cluster}/...");
        }
        @Nullable String sub = c.request.query.get(SUB);
        @Nullable String rg = c.request.query.get(RG);
        if (sub != null || rg != null) {
            if (sub == null || rg == null) {
                throw HttpProblem.badRequest("'" + SUB + "' and '" + RG + "' go together: give both or neither");
            }
            return ClusterRef.of(sub, rg, name);
        }
        List<ClusterRef> named = preferences.enabledClusters().stream()
                .map(AutoWarmPreference::cluster)
                .filter(ref -> ref.clusterName().equals(name))
                .toList();
        if (named.size() == 1) {
            return named.get(0);
        }
        if (named.isEmpty()) {
            throw new HttpProblem(404, "no auto-warm cluster named '" + HttpProblem.echo(name) + "'" + hintWhenNone);
        }
        throw new HttpProblem(
                409,
                named.size() + " auto-warm clusters are named '" + HttpProblem.echo(name) + "': give '" + SUB
                        + "' and '" + RG + "'");
    }

    private Optional<AutoWarmPreference> find(ClusterRef cluster) {
        return preferences.enabledClusters().stream()
                .filter(p -> p.cluster().equals(cluster))
                .findFirst();
    }

    private Object view(ClusterRef cluster) {
        return find(cluster)
                .<Object>map(AutoWarmPreferenceJson::preference)
                .orElseGet(() -> AutoWarmPreferenceJson.disabled(cluster));
    }

    private static DatabaseName db(String raw) {
        if (raw.isEmpty()) {
            throw HttpProblem.badRequest("the database name is missing");
        }
        try {
            return DatabaseName.of(raw);
        } catch (IllegalArgumentException e) {
            throw HttpProblem.badRequest("'db' " + HttpProblem.echo(String.valueOf(e.getMessage())));
        }
    }

    private static JsonNode body(HttpApi.Call c) throws IOException {
        try (InputStream in = c.request.exchange.getRequestBody()) {
            byte[] bytes = in.readNBytes(HttpApi.MAX_BODY_BYTES + 1);
            if (bytes.length > HttpApi.MAX_BODY_BYTES) {
                throw new HttpProblem(413, "request body larger than " + HttpApi.MAX_BODY_BYTES + " bytes");
            }
            return StrictJson.object(bytes);
        }
    }

    private static CompletableFuture<HttpApi.Reply> done(Object body) {
        return CompletableFuture.completedFuture(HttpApi.Reply.json(200, body));
    }
}
