package org.elb.warmkeeper.core.warm;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.elb.warmkeeper.core.cluster.ClusterRef;
import org.elb.warmkeeper.core.cluster.DatabaseName;

/**
 * The result of one tick. {@link #toJson()} gives the seed's shape:
 * {@code {"status":"completed","clusters":[{"cluster_name":…,"databases":[…],"enqueued":[…],
 * "skipped":[{"db":…,"reason":"inflight"}],"status":"triggered"}]}}, with a few additive fields.
 *
 * @param deadlineExceeded the tick deadline cut clusters off (they are {@code error}, "tick deadline
 *     exceeded"); JSON {@code "deadline_exceeded":true}, absent otherwise
 */
public record TickReport(
        Instant startedAt, Duration duration, boolean force, List<ClusterOutcome> clusters, boolean deadlineExceeded) {

    public TickReport {
        clusters = List.copyOf(clusters);
    }

    /** A tick that ended before its deadline. */
    public TickReport(Instant startedAt, Duration duration, boolean force, List<ClusterOutcome> clusters) {
        this(startedAt, duration, force, clusters, false);
    }

    /** Always {@code "completed"}: a tick that returns has completed; cluster errors are per cluster. */
    public String status() {
        return "completed";
    }

    public Optional<ClusterOutcome> outcome(ClusterRef cluster) {
        return clusters.stream().filter(o -> o.cluster().equals(cluster)).findFirst();
    }

    public int enqueuedCount() {
        return clusters.stream().mapToInt(o -> o.enqueued().size()).sum();
    }

    public String toJson() {
        StringBuilder json = new StringBuilder(256);
        json.append("{\"status\":")
                .append(quote(status()))
                .append(",\"started_at\":")
                .append(quote(startedAt.toString()))
                .append(",\"force\":")
                .append(force);
        if (deadlineExceeded) {
            json.append(",\"deadline_exceeded\":true");
        }
        json.append(",\"clusters\":[");
        for (int i = 0; i < clusters.size(); i++) {
            ClusterOutcome o = clusters.get(i);
            if (i > 0) {
                json.append(',');
            }
            json.append("{\"cluster_name\":")
                    .append(quote(o.cluster().clusterName()))
                    .append(",\"subscription_id\":")
                    .append(quote(o.cluster().subscriptionId()))
                    .append(",\"resource_group\":")
                    .append(quote(o.cluster().resourceGroup()))
                    .append(",\"databases\":")
                    .append(names(o.databases()))
                    .append(",\"enqueued\":")
                    .append(names(o.enqueued()))
                    .append(",\"skipped\":[");
            for (int j = 0; j < o.skipped().size(); j++) {
                Skip s = o.skipped().get(j);
                if (j > 0) {
                    json.append(',');
                }
                json.append("{\"db\":")
                        .append(quote(s.db().value()))
                        .append(",\"reason\":")
                        .append(quote(s.reason().wireName()));
                Instant retryAt = s.retryAt();
                if (retryAt != null) {
                    json.append(",\"retry_at\":").append(quote(retryAt.toString()));
                }
                json.append('}');
            }
            json.append("],\"status\":").append(quote(o.status().wireName()));
            if (o.failOpen() > 0) {
                json.append(",\"lock_fail_open\":").append(o.failOpen());
            }
            if (!o.stuckLoading().isEmpty()) {
                json.append(",\"stuck_loading\":[");
                int k = 0;
                for (Map.Entry<DatabaseName, Instant> e : o.stuckLoading().entrySet()) {
                    json.append(k++ > 0 ? "," : "")
                            .append("{\"db\":")
                            .append(quote(e.getKey().value()))
                            .append(",\"loading_since\":")
                            .append(quote(e.getValue().toString()))
                            .append('}');
                }
                json.append(']');
            }
            if (o.detail() != null) {
                json.append(",\"detail\":").append(quote(o.detail()));
            }
            json.append('}');
        }
        return json.append("]}").toString();
    }

    private static String names(List<DatabaseName> dbs) {
        StringBuilder out = new StringBuilder("[");
        for (int i = 0; i < dbs.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            out.append(quote(dbs.get(i).value()));
        }
        return out.append(']').toString();
    }

    /** A JSON string literal. */
    static String quote(String s) {
        StringBuilder out = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
