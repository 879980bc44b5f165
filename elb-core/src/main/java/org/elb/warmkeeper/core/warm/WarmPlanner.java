package org.elb.warmkeeper.core.warm;

import java.time.Instant;
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
 * With {@link #plan(List, Set, Map, Set, Map)} two operator rules come after the first: a paused
 * database is skipped {@code paused} (before any other reason), and a database in backoff (instead of
 * becoming a candidate) is skipped {@code backoff} with its retry time.
 * There is deliberately no {@code lastReady} input: whether the cluster was ready before never
 * changes what is planned (the seed's bug was a short-circuit on it).
 */
public final class WarmPlanner {

    private WarmPlanner() {}

    public static WarmPlan plan(
            List<DatabaseName> configured, Set<DatabaseName> downloaded, Map<DatabaseName, WarmStatus> statuses) {
        return plan(configured, downloaded, statuses, Set.of(), Map.of());
    }

    /** The plan with paused databases and databases in backoff (retry time per database). */
    public static WarmPlan plan(
            List<DatabaseName> configured,
            Set<DatabaseName> downloaded,
            Map<DatabaseName, WarmStatus> statuses,
            Set<DatabaseName> paused,
            Map<DatabaseName, Instant> backoff) {
        List<DatabaseName> warm = new ArrayList<>();
        List<Skip> skipped = new ArrayList<>();
        List<DatabaseName> candidates = new ArrayList<>();
        for (DatabaseName db : new LinkedHashSet<>(configured)) {
            WarmStatus status = statuses.getOrDefault(db, WarmStatus.UNKNOWN);
            if (status.isWarmOrWarming()) {
                warm.add(db);
            } else if (paused.contains(db)) {
                skipped.add(new Skip(db, SkipReason.PAUSED));
            } else if (!downloaded.contains(db)) {
                skipped.add(new Skip(db, SkipReason.NOT_DOWNLOADED));
            } else if (status == WarmStatus.UNKNOWN) {
                skipped.add(new Skip(db, SkipReason.STATUS_UNKNOWN));
            } else if (backoff.containsKey(db)) {
                skipped.add(Skip.backoff(db, backoff.getOrDefault(db, Instant.MAX)));
            } else {
                candidates.add(db);
            }
        }
        return new WarmPlan(warm, skipped, candidates);
    }
}
