package org.elb.warmkeeper.core.warm;

import java.time.Clock;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.elb.warmkeeper.core.cluster.ClusterRef;
import org.elb.warmkeeper.core.cluster.DatabaseName;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reconciler's side of the operator loop, per ready cluster: read the attempt history (one call),
 * let {@link WarmLoopRules} decide, append what was seen, release the locks of warmups seen LOADING or
 * READY (compare-and-delete with the token of their dispatch), and record dispatches. A history that
 * cannot be read or written fails open: no backoff this tick, the warmup is enqueued as before.
 *
 * <p>Called on the reconciler's worker threads, for several clusters at once: it keeps no state of its
 * own (the history is thread-safe). What it reports goes to the {@code observer} of each call, which
 * the tick hands on to the embedder's observer on the tick's thread.
 */
final class OperatorLoop {

    private static final Logger log = LoggerFactory.getLogger(OperatorLoop.class);

    private final WarmAttemptHistory history;
    private final WarmLoopRules rules;
    private final InflightLock lock;
    private final Clock clock;

    OperatorLoop(WarmAttemptHistory history, WarmLoopRules rules, InflightLock lock, Clock clock) {
        this.history = history;
        this.rules = rules;
        this.lock = lock;
        this.clock = clock;
    }

    /** Reads, decides, records and releases for one ready cluster. */
    WarmLoopView observe(
            AutoWarmPreference pref, Map<DatabaseName, WarmStatus> statuses, boolean force, AutoWarmObserver observer) {
        if (history == WarmAttemptHistory.NONE) {
            return WarmLoopView.EMPTY;
        }
        ClusterRef cluster = pref.cluster();
        Set<InflightKey> keys = new LinkedHashSet<>();
        pref.databases().forEach(db -> keys.add(new InflightKey(cluster, db)));
        Map<InflightKey, List<WarmAttempt>> past;
        try {
            past = history.recent(keys, WarmAttemptHistory.DEFAULT_KEEP);
        } catch (RuntimeException e) {
            observer.probeFailed(cluster, "history", e);
            log.warn(
                    "cluster {}: attempt history unreadable, no backoff this tick: {}",
                    cluster.display(),
                    e.toString());
            return WarmLoopView.EMPTY;
        }
        WarmLoopView view = rules.evaluate(cluster, pref.databases(), statuses, past, clock.instant(), force);
        view.observations().forEach(a -> record(a, observer));
        view.releases().forEach((key, token) -> release(key, token, observer));
        view.stuckLoading().forEach((db, since) -> observer.stuckLoading(cluster, db, since));
        return view;
    }

    /**
     * Records a dispatch ({@code token}: the lock it holds, null when none was taken; {@code jobName}: the
     * dispatcher's name of the warmup, or null) or a failed enqueue.
     */
    void dispatched(
            ClusterRef cluster,
            DatabaseName db,
            boolean force,
            @Nullable LockToken token,
            @Nullable String jobName,
            @Nullable RuntimeException enqueueError,
            AutoWarmObserver observer) {
        if (history == WarmAttemptHistory.NONE) {
            return;
        }
        record(
                enqueueError == null
                        ? new WarmAttempt(
                                cluster,
                                db,
                                clock.instant(),
                                AttemptEvent.DISPATCHED,
                                force ? "force" : null,
                                jobName,
                                token)
                        : new WarmAttempt(
                                cluster,
                                db,
                                clock.instant(),
                                AttemptEvent.ENQUEUE_FAILED,
                                enqueueError.toString(),
                                null,
                                null),
                observer);
    }

    private void record(WarmAttempt attempt, AutoWarmObserver observer) {
        try {
            history.record(attempt);
            log.debug("history: {}", attempt);
        } catch (RuntimeException e) {
            observer.probeFailed(attempt.cluster(), "history", e);
            log.warn("could not record {}: {}", attempt, e.toString());
        }
    }

    private void release(InflightKey key, LockToken token, AutoWarmObserver observer) {
        try {
            ReleaseResult result = lock.release(key, token);
            log.debug(
                    "early release of {} on {}: {}",
                    key.database(),
                    key.cluster().display(),
                    result);
        } catch (RuntimeException e) {
            observer.probeFailed(key.cluster(), "release", e);
            log.warn(
                    "early release of {} on {} failed; the TTL will free it: {}",
                    key.database(),
                    key.cluster().display(),
                    e.toString());
        }
    }
}
