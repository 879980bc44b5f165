package org.elb.warmkeeper.core.warm;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.elb.warmkeeper.core.cluster.ClusterRef;

/**
 * The result of one tick. Its JSON form (the seed's shape,
 * {@code {"status":"completed","clusters":[{"cluster_name":…,"databases":[…],"enqueued":[…],
 * "skipped":[{"db":…,"reason":"inflight"}],"status":"triggered"}]}}, with a few additive fields) is
 * written by the {@code elb-json} module ({@code TickReportJson}).
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
}
