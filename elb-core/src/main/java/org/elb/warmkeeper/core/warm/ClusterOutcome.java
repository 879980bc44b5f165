package org.elb.warmkeeper.core.warm;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.elb.warmkeeper.core.Secrets;
import org.elb.warmkeeper.core.cluster.Checks;
import org.elb.warmkeeper.core.cluster.ClusterRef;
import org.elb.warmkeeper.core.cluster.DatabaseName;
import org.jspecify.annotations.Nullable;

/**
 * One cluster's result in a tick, in the seed's shape: the configured databases, what was enqueued,
 * what was skipped and why, and the status.
 *
 * @param failOpen how many enqueues went ahead because the lock store was unavailable
 * @param detail why the cluster was not ready, or the error of a failed probe ({@linkplain Secrets#mask masked}); null otherwise
 * @param stuckLoading databases LOADING for longer than the threshold, with the time first seen LOADING
 *     (a warning: they are never enqueued)
 */
public record ClusterOutcome(
        ClusterRef cluster,
        ClusterStatus status,
        List<DatabaseName> databases,
        List<DatabaseName> enqueued,
        List<Skip> skipped,
        int failOpen,
        @Nullable String detail,
        Map<DatabaseName, Instant> stuckLoading) {

    public ClusterOutcome {
        Checks.required(cluster, "cluster");
        Checks.required(status, "status");
        databases = List.copyOf(databases);
        enqueued = List.copyOf(enqueued);
        skipped = List.copyOf(skipped);
        detail = Secrets.mask(detail);
        stuckLoading = Collections.unmodifiableMap(new LinkedHashMap<>(stuckLoading));
    }

    /** Without stuck-loading warnings. */
    public ClusterOutcome(
            ClusterRef cluster,
            ClusterStatus status,
            List<DatabaseName> databases,
            List<DatabaseName> enqueued,
            List<Skip> skipped,
            int failOpen,
            @Nullable String detail) {
        this(cluster, status, databases, enqueued, skipped, failOpen, detail, Map.of());
    }

    /** This outcome with these stuck-loading warnings. */
    public ClusterOutcome withStuckLoading(Map<DatabaseName, Instant> stuck) {
        return new ClusterOutcome(cluster, status, databases, enqueued, skipped, failOpen, detail, stuck);
    }

    public static ClusterOutcome notReady(ClusterRef cluster, List<DatabaseName> databases, String reason) {
        return new ClusterOutcome(cluster, ClusterStatus.CLUSTER_NOT_READY, databases, List.of(), List.of(), 0, reason);
    }

    public static ClusterOutcome error(ClusterRef cluster, List<DatabaseName> databases, String error) {
        return new ClusterOutcome(cluster, ClusterStatus.ERROR, databases, List.of(), List.of(), 0, error);
    }

    /** The outcome of a ready cluster; the status follows from the lists. */
    public static ClusterOutcome evaluated(
            ClusterRef cluster,
            List<DatabaseName> databases,
            int warmOrWarming,
            List<DatabaseName> enqueued,
            List<Skip> skipped,
            int failOpen) {
        ClusterStatus status = ClusterStatus.ofReadyCluster(databases.size(), warmOrWarming, enqueued.size());
        return new ClusterOutcome(cluster, status, databases, enqueued, skipped, failOpen, null);
    }
}
