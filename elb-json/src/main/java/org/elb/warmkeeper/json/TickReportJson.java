package org.elb.warmkeeper.json;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Map;
import org.elb.warmkeeper.core.Secrets;
import org.elb.warmkeeper.core.cluster.DatabaseName;
import org.elb.warmkeeper.core.warm.ClusterOutcome;
import org.elb.warmkeeper.core.warm.Skip;
import org.elb.warmkeeper.core.warm.TickReport;

/**
 * A tick's report in the seed's shape:
 * <pre>{"status":"completed","started_at":"…","force":false,"clusters":[{"cluster_name":"elb-a",
 *  "subscription_id":"…","resource_group":"…","databases":["core_nt"],"enqueued":["core_nt"],
 *  "skipped":[{"db":"swissprot","reason":"inflight"}],"status":"triggered"}]}</pre>
 * Additive fields, present only when they apply: {@code deadline_exceeded} (true) on the report;
 * {@code retry_at} on a {@code backoff} skip; {@code lock_fail_open} (a count), {@code stuck_loading}
 * ({@code [{db, loading_since}]}, a warning) and {@code detail} (masked) on a cluster.
 */
public final class TickReportJson {

    private TickReportJson() {}

    /** The report as a tree. */
    public static ObjectNode encode(TickReport report) {
        ObjectNode n = WireJson.object();
        n.put("status", report.status());
        n.put("started_at", report.startedAt().toString());
        n.put("force", report.force());
        if (report.deadlineExceeded()) {
            n.put("deadline_exceeded", true);
        }
        ArrayNode clusters = n.putArray("clusters");
        report.clusters().forEach(o -> clusters.add(outcome(o)));
        return n;
    }

    /** The report as compact JSON text. */
    public static String toJson(TickReport report) {
        return WireJson.write(encode(report));
    }

    /** One cluster's outcome as a tree. */
    public static ObjectNode outcome(ClusterOutcome o) {
        ObjectNode n = WireJson.object();
        n.put("cluster_name", o.cluster().clusterName());
        n.put("subscription_id", o.cluster().subscriptionId());
        n.put("resource_group", o.cluster().resourceGroup());
        n.set(
                "databases",
                WireJson.strings(o.databases().stream().map(DatabaseName::value).toList()));
        n.set(
                "enqueued",
                WireJson.strings(o.enqueued().stream().map(DatabaseName::value).toList()));
        ArrayNode skipped = n.putArray("skipped");
        o.skipped().forEach(s -> skipped.add(skip(s)));
        n.put("status", o.status().wireName());
        if (o.failOpen() > 0) {
            n.put("lock_fail_open", o.failOpen());
        }
        if (!o.stuckLoading().isEmpty()) {
            ArrayNode stuck = n.putArray("stuck_loading");
            for (Map.Entry<DatabaseName, Instant> e : o.stuckLoading().entrySet()) {
                ObjectNode s = stuck.addObject();
                s.put("db", e.getKey().value());
                s.put("loading_since", e.getValue().toString());
            }
        }
        if (o.detail() != null) {
            n.put("detail", Secrets.mask(o.detail()));
        }
        return n;
    }

    /** A skip: {@code {"db":…,"reason":…}}, with {@code retry_at} for a backoff. */
    public static ObjectNode skip(Skip s) {
        ObjectNode n = WireJson.object();
        n.put("db", s.db().value());
        n.put("reason", s.reason().wireName());
        Instant retryAt = s.retryAt();
        if (retryAt != null) {
            n.put("retry_at", retryAt.toString());
        }
        return n;
    }
}
