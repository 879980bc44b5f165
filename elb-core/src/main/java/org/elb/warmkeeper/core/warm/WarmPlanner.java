package org.elb.warmkeeper.core.warm;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.elb.warmkeeper.core.cluster.DatabaseName;

/**
 * The pure rules of reconcile step 3 (README, "Auto-warm reconcile"), in this order for each configured database:
 * <ol>
 *   <li>READY or LOADING: warm, never enqueued, whatever else holds;
 *   <li>not downloaded: skipped, {@code not_downloaded};
 *   <li>UNKNOWN (or missing from the probe's answer): skipped, {@code status_unknown};
 *   <li>otherwise (FAILED, ABSENT): a candidate.
 * </ol>
 * There is deliberately no {@code lastReady} input: whether the cluster was ready before never
 * changes what is planned (the seed's bug was a short-circuit on it).
 */
public final class WarmPlanner {

    private WarmPlanner() {}

    public static WarmPlan plan(
            List<DatabaseName> configured, Set<DatabaseName> downloaded, Map<DatabaseName, WarmStatus> statuses) {
        List<DatabaseName> warm = new ArrayList<>();
        List<Skip> skipped = new ArrayList<>();
        List<DatabaseName> candidates = new ArrayList<>();
        for (DatabaseName db : new LinkedHashSet<>(configured)) {
            WarmStatus status = statuses.getOrDefault(db, WarmStatus.UNKNOWN);
            if (status.isWarmOrWarming()) {
                warm.add(db);
            } else if (!downloaded.contains(db)) {
                skipped.add(new Skip(db, SkipReason.NOT_DOWNLOADED));
            } else if (status == WarmStatus.UNKNOWN) {
                skipped.add(new Skip(db, SkipReason.STATUS_UNKNOWN));
            } else {
                candidates.add(db);
            }
        }
        return new WarmPlan(warm, skipped, candidates);
    }
}
