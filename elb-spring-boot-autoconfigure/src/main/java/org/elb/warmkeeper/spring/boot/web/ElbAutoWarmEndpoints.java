package org.elb.warmkeeper.spring.boot.web;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.elb.warmkeeper.core.cluster.ClusterRef;
import org.elb.warmkeeper.core.cluster.DatabaseName;
import org.elb.warmkeeper.core.cluster.OwnerId;
import org.elb.warmkeeper.core.warm.AutoWarmPreference;
import org.elb.warmkeeper.core.warm.InflightKey;
import org.elb.warmkeeper.core.warm.ManagedAutoWarmPreferences;
import org.elb.warmkeeper.core.warm.WarmAttemptHistory;
import org.elb.warmkeeper.json.AutoWarmPreferenceJson;
import org.elb.warmkeeper.json.WarmAttemptJson;
import org.elb.warmkeeper.spring.boot.web.ElbDashboard.Reply;
import org.jspecify.annotations.Nullable;

/**
 * The runner's auto-warm toggles and attempt history, with its rules and words:
 * {@code GET /api/autowarm/clusters}, {@code PUT /api/autowarm/clusters/{cluster}} (an admin),
 * {@code PUT /api/autowarm/clusters/{cluster}/databases/{db}} and
 * {@code GET /api/autowarm/clusters/{cluster}/databases/{db}/attempts?limit=}. {@code {cluster}} is the
 * cluster's name, or with {@code subscription_id} and {@code resource_group} its full reference. Bodies
 * are strict: unknown fields, {@code null} and non-boolean values are a 400.
 */
final class ElbAutoWarmEndpoints {

    /** The most attempts one request lists, as the runner's. */
    static final int MAX_ATTEMPTS = 100;

    static final String CLUSTER_ROUTE = "PUT /api/autowarm/clusters/{cluster}";
    private static final String SUB = "subscription_id";
    private static final String RG = "resource_group";

    private final Supplier<ManagedAutoWarmPreferences> preferences;
    private final Supplier<WarmAttemptHistory> history;
    private final Set<OwnerId> admins;

    ElbAutoWarmEndpoints(
            Supplier<ManagedAutoWarmPreferences> preferences,
            Supplier<WarmAttemptHistory> history,
            Set<OwnerId> admins) {
        this.preferences = preferences;
        this.history = history;
        this.admins = Set.copyOf(admins);
    }

    Reply list() {
        return ok(AutoWarmPreferenceJson.list(preferences.get().enabledClusters()));
    }

    Reply putCluster(OwnerId owner, String name, Map<String, String> query, byte[] raw) {
        if (!admins.contains(owner)) {
            throw new ElbWebProblem(
                    403, CLUSTER_ROUTE + " changes fleet-wide behaviour: it needs an admin identity (elb.http.admins)");
        }
        JsonNode body = ElbStrictJson.object(raw);
        ElbStrictJson.onlyFields(body, Set.of("enabled", "paused", "databases"));
        Boolean enabled = ElbStrictJson.optionalBoolean(body, "enabled");
        Boolean paused = ElbStrictJson.optionalBoolean(body, "paused");
        List<String> databases = ElbStrictJson.optionalStrings(body, "databases");
        if (enabled == null && paused == null) {
            throw ElbWebProblem.badRequest("the body must give 'enabled' or 'paused' (or both)");
        }
        if (databases != null && !Boolean.TRUE.equals(enabled)) {
            throw ElbWebProblem.badRequest("'databases' goes with \"enabled\": true (it replaces the cluster's list)");
        }
        if (Boolean.FALSE.equals(enabled) && paused != null) {
            throw ElbWebProblem.badRequest(
                    "'paused' means nothing with \"enabled\": false (the cluster is no longer listed)");
        }
        ManagedAutoWarmPreferences prefs = preferences.get();
        ClusterRef cluster = cluster(prefs, name, query, Boolean.TRUE.equals(enabled));
        if (Boolean.TRUE.equals(enabled)) {
            if (databases == null) {
                throw ElbWebProblem.badRequest("\"enabled\": true needs 'databases' (the cluster's list, in order)");
            }
            prefs.enableCluster(
                    cluster, databases.stream().map(ElbAutoWarmEndpoints::db).toList());
        } else if (Boolean.FALSE.equals(enabled)) {
            prefs.disableCluster(cluster);
        }
        if (paused != null) {
            prefs.setClusterPaused(cluster, paused);
        }
        return ok(view(prefs, cluster));
    }

    Reply putDatabase(String name, String rawDb, Map<String, String> query, byte[] raw) {
        DatabaseName db = db(rawDb);
        JsonNode body = ElbStrictJson.object(raw);
        ElbStrictJson.onlyFields(body, Set.of("enabled", "paused"));
        Boolean enabled = ElbStrictJson.optionalBoolean(body, "enabled");
        Boolean paused = ElbStrictJson.optionalBoolean(body, "paused");
        if (enabled == null && paused == null) {
            throw ElbWebProblem.badRequest("the body must give 'enabled' or 'paused' (or both)");
        }
        if (Boolean.FALSE.equals(enabled) && paused != null) {
            throw ElbWebProblem.badRequest(
                    "'paused' means nothing with \"enabled\": false (the database is no longer listed)");
        }
        ManagedAutoWarmPreferences prefs = preferences.get();
        ClusterRef cluster = cluster(prefs, name, query, Boolean.TRUE.equals(enabled));
        if (Boolean.TRUE.equals(enabled)) {
            prefs.enableDatabase(cluster, db);
        } else if (Boolean.FALSE.equals(enabled)) {
            prefs.disableDatabase(cluster, db);
        }
        if (paused != null) {
            boolean listed =
                    find(prefs, cluster).map(p -> p.databases().contains(db)).orElse(false);
            if (!listed) {
                throw new ElbWebProblem(
                        404,
                        "'" + ElbWebProblem.echo(db.value()) + "' is not an auto-warm database of "
                                + ElbWebProblem.echo(cluster.clusterName()) + ": enable it first");
            }
            prefs.setDatabasePaused(cluster, db, paused);
        }
        return ok(view(prefs, cluster));
    }

    Reply attempts(String name, String rawDb, Map<String, String> query) {
        DatabaseName db = db(rawDb);
        Integer limit = ElbDashboard.intParam(query, "limit");
        int n = limit == null ? WarmAttemptHistory.DEFAULT_KEEP : limit;
        if (n < 1 || n > MAX_ATTEMPTS) {
            throw ElbWebProblem.badRequest("'limit' must be between 1 and " + MAX_ATTEMPTS + ", but was " + n);
        }
        InflightKey key = new InflightKey(cluster(preferences.get(), name, query, false), db);
        return ok(WarmAttemptJson.history(key, history.get().recent(key, n)));
    }

    /**
     * The cluster the request names: by {@code subscription_id} and {@code resource_group} when given,
     * else the one auto-warm cluster of that name (404 for none unless {@code mayBeNew}, 409 for several).
     */
    private static ClusterRef cluster(
            ManagedAutoWarmPreferences prefs, String name, Map<String, String> query, boolean mayBeNew) {
        if (name.isEmpty()) {
            throw ElbWebProblem.badRequest("the cluster name is missing: use /api/autowarm/clusters/{cluster}/...");
        }
        @Nullable String sub = query.get(SUB);
        @Nullable String rg = query.get(RG);
        if (sub != null || rg != null) {
            if (sub == null || rg == null) {
                throw ElbWebProblem.badRequest("'" + SUB + "' and '" + RG + "' go together: give both or neither");
            }
            return ClusterRef.of(sub, rg, name);
        }
        List<ClusterRef> named = prefs.enabledClusters().stream()
                .map(AutoWarmPreference::cluster)
                .filter(ref -> ref.clusterName().equals(name))
                .toList();
        if (named.size() == 1) {
            return named.get(0);
        }
        if (named.isEmpty()) {
            throw new ElbWebProblem(
                    404,
                    "no auto-warm cluster named '" + ElbWebProblem.echo(name) + "'"
                            + (mayBeNew ? ": give '" + SUB + "' and '" + RG + "' to turn a new one on" : ""));
        }
        throw new ElbWebProblem(
                409,
                named.size() + " auto-warm clusters are named '" + ElbWebProblem.echo(name) + "': give '" + SUB
                        + "' and '" + RG + "'");
    }

    private static Optional<AutoWarmPreference> find(ManagedAutoWarmPreferences prefs, ClusterRef cluster) {
        return prefs.enabledClusters().stream()
                .filter(p -> p.cluster().equals(cluster))
                .findFirst();
    }

    private static JsonNode view(ManagedAutoWarmPreferences prefs, ClusterRef cluster) {
        return find(prefs, cluster)
                .<JsonNode>map(AutoWarmPreferenceJson::preference)
                .orElseGet(() -> AutoWarmPreferenceJson.disabled(cluster));
    }

    private static DatabaseName db(String raw) {
        if (raw.isEmpty()) {
            throw ElbWebProblem.badRequest("the database name is missing");
        }
        try {
            return DatabaseName.of(raw);
        } catch (IllegalArgumentException e) {
            throw ElbWebProblem.badRequest("'db' " + ElbWebProblem.echo(String.valueOf(e.getMessage())));
        }
    }

    private static Reply ok(JsonNode body) {
        return new Reply(200, body);
    }
}
