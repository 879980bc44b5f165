package org.elb.warmkeeper.core.warm;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.elb.warmkeeper.core.cluster.Checks;
import org.elb.warmkeeper.core.cluster.ClusterRef;
import org.elb.warmkeeper.core.cluster.DatabaseName;
import org.jspecify.annotations.Nullable;

/**
 * The pure rules of the operator loop (README, "Backoff", "Attempt history"): which outcome of the newest
 * dispatch is seen for the first time, which lock to release early, which database is in backoff and
 * which one is stuck LOADING. Per database, from its status this tick and its history (newest first):
 * <ul>
 *   <li>LOADING after a dispatch: record {@code loading}, release the dispatch's lock;
 *   <li>READY after anything but READY: record {@code ready} (resets the backoff), release the lock;
 *   <li>FAILED after {@code loading}, or FAILED/ABSENT when the dispatch is older than the pending window
 *       (the lock TTL: the phases Kubernetes cannot see) and was never seen: record {@code failed};
 *   <li>ABSENT after {@code loading} or {@code ready} (deleted, evicted, garbage-collected): nothing, so it
 *       is a candidate again at once (an eviction is not a failed warmup);
 *   <li>UNKNOWN: nothing (the probe could not tell).
 * </ul>
 * A database without history records nothing: history starts with a dispatch.
 */
public final class WarmLoopRules {

    /** Default threshold of a LOADING warmup reported as stuck. */
    public static final Duration DEFAULT_STUCK_LOADING_AFTER = Duration.ofHours(2);

    private final WarmBackoff backoff;
    private final Duration pendingWindow;
    private final Duration stuckAfter;

    /**
     * @param pendingWindow how long after a dispatch a warmup may stay invisible (the lock TTL)
     * @param stuckAfter how long LOADING may last before it is reported
     */
    public WarmLoopRules(WarmBackoff backoff, Duration pendingWindow, Duration stuckAfter) {
        this.backoff = Checks.required(backoff, "backoff");
        this.pendingWindow = Checks.positive(pendingWindow, "pendingWindow");
        this.stuckAfter = Checks.positive(stuckAfter, "stuckAfter");
    }

    public WarmBackoff backoff() {
        return backoff;
    }

    /** The decisions for one cluster; {@code force} empties the backoff. */
    public WarmLoopView evaluate(
            ClusterRef cluster,
            List<DatabaseName> configured,
            Map<DatabaseName, WarmStatus> statuses,
            Map<InflightKey, List<WarmAttempt>> history,
            Instant now,
            boolean force) {
        List<WarmAttempt> observations = new ArrayList<>();
        Map<InflightKey, LockToken> releases = new LinkedHashMap<>();
        Map<DatabaseName, Instant> held = new LinkedHashMap<>();
        Map<DatabaseName, Instant> stuck = new LinkedHashMap<>();
        for (DatabaseName db : new LinkedHashSet<>(configured)) {
            InflightKey key = new InflightKey(cluster, db);
            List<WarmAttempt> past = history.getOrDefault(key, List.of());
            if (past.isEmpty()) {
                continue;
            }
            WarmStatus status = statuses.getOrDefault(db, WarmStatus.UNKNOWN);
            WarmAttempt last = past.get(0);
            @Nullable WarmAttempt seen = observe(key, last, status, now);
            List<WarmAttempt> all = past;
            if (seen != null) {
                observations.add(seen);
                all = new ArrayList<>(past.size() + 1);
                all.add(seen);
                all.addAll(past);
                if (seen.event() == AttemptEvent.LOADING || seen.event() == AttemptEvent.READY) {
                    dispatchToken(past).ifPresent(t -> releases.put(key, t));
                }
            }
            if (status == WarmStatus.LOADING
                    && last.event() == AttemptEvent.LOADING
                    && !now.isBefore(last.at().plus(stuckAfter))) {
                stuck.put(db, last.at());
            }
            if (!force && !status.isWarmOrWarming()) {
                backoff.holdUntil(all, now).ifPresent(t -> held.put(db, t));
            }
        }
        return new WarmLoopView(observations, releases, held, stuck);
    }

    private @Nullable WarmAttempt observe(InflightKey key, WarmAttempt last, WarmStatus status, Instant now) {
        AttemptEvent e = last.event();
        boolean pendingOver = !now.isBefore(last.at().plus(pendingWindow));
        switch (status) {
            case LOADING:
                return e == AttemptEvent.DISPATCHED ? WarmAttempt.observed(key, now, AttemptEvent.LOADING, null) : null;
            case READY:
                return e != AttemptEvent.READY ? WarmAttempt.observed(key, now, AttemptEvent.READY, null) : null;
            case FAILED:
                if (e == AttemptEvent.LOADING || (e == AttemptEvent.DISPATCHED && pendingOver)) {
                    return WarmAttempt.observed(
                            key,
                            now,
                            AttemptEvent.FAILED,
                            e == AttemptEvent.LOADING ? "warmup_failed" : "failed_before_loading");
                }
                return null;
            case ABSENT:
                return e == AttemptEvent.DISPATCHED && pendingOver
                        ? WarmAttempt.observed(key, now, AttemptEvent.FAILED, "never_seen")
                        : null;
            default:
                return null;
        }
    }

    /** The token of the newest dispatch, if it was made under a lock token. */
    private static Optional<LockToken> dispatchToken(List<WarmAttempt> newestFirst) {
        for (WarmAttempt a : newestFirst) {
            if (a.event() == AttemptEvent.DISPATCHED) {
                return Optional.ofNullable(a.token());
            }
        }
        return Optional.empty();
    }
}
