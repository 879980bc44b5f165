package org.elb.warmkeeper.core.warm;

import java.util.List;
import org.elb.warmkeeper.core.cluster.DatabaseName;

/**
 * The planner's answer for one ready cluster: every configured database is in exactly one list.
 *
 * @param warm databases READY or LOADING: left alone
 * @param skipped databases not enqueued before any lock is taken ({@code not_downloaded},
 *     {@code status_unknown})
 * @param candidates databases to lock and enqueue, in configuration order
 */
public record WarmPlan(List<DatabaseName> warm, List<Skip> skipped, List<DatabaseName> candidates) {

    public WarmPlan {
        warm = List.copyOf(warm);
        skipped = List.copyOf(skipped);
        candidates = List.copyOf(candidates);
    }
}
