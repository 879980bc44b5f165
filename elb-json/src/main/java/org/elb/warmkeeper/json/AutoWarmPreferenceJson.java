package org.elb.warmkeeper.json;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.elb.warmkeeper.core.cluster.ClusterRef;
import org.elb.warmkeeper.core.cluster.DatabaseName;
import org.elb.warmkeeper.core.warm.AutoWarmPreference;

/**
 * A cluster's auto-warm preference, as the dashboard's toggle shows it:
 * <pre>{"cluster_name":"elb-a","subscription_id":"…","resource_group":"…","enabled":true,
 *  "paused":false,"last_ready":true,"databases":["core_nt","nr"],"paused_databases":["nr"]}</pre>
 * A cluster with auto-warm off is {@code {"cluster_name":…,"subscription_id":…,"resource_group":…,
 * "enabled":false}} ({@link #disabled}).
 */
public final class AutoWarmPreferenceJson {

    private AutoWarmPreferenceJson() {}

    public static ObjectNode preference(AutoWarmPreference p) {
        ObjectNode n = cluster(p.cluster());
        n.put("enabled", true);
        n.put("paused", p.paused());
        n.put("last_ready", p.lastReady());
        n.set(
                "databases",
                WireJson.strings(p.databases().stream().map(DatabaseName::value).toList()));
        // In the cluster's order, not the set's.
        n.set(
                "paused_databases",
                WireJson.strings(p.databases().stream()
                        .filter(p.pausedDatabases()::contains)
                        .map(DatabaseName::value)
                        .toList()));
        return n;
    }

    /** A cluster whose auto-warm is off. */
    public static ObjectNode disabled(ClusterRef cluster) {
        ObjectNode n = cluster(cluster);
        n.put("enabled", false);
        return n;
    }

    /** {@code {"clusters":[preference…]}}. */
    public static ObjectNode list(List<AutoWarmPreference> preferences) {
        ObjectNode n = WireJson.object();
        ArrayNode a = n.putArray("clusters");
        preferences.forEach(p -> a.add(preference(p)));
        return n;
    }

    private static ObjectNode cluster(ClusterRef c) {
        ObjectNode n = WireJson.object();
        n.put("cluster_name", c.clusterName());
        n.put("subscription_id", c.subscriptionId());
        n.put("resource_group", c.resourceGroup());
        return n;
    }
}
