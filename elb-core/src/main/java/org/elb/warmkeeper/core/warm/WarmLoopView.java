package org.elb.warmkeeper.core.warm;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.elb.warmkeeper.core.cluster.DatabaseName;

/**
 * What {@link WarmLoopRules} decided for one ready cluster from its statuses and attempt history.
 *
 * @param observations outcomes seen for the first time this tick, to append to the history
 * @param releases lock keys to release early (seen LOADING or READY) with the token of their dispatch
 * @param backoff databases in backoff and when they may be dispatched again
 * @param stuckLoading databases LOADING longer than the threshold, with the time they were first seen LOADING
 */
public record WarmLoopView(
        List<WarmAttempt> observations,
        Map<InflightKey, LockToken> releases,
        Map<DatabaseName, Instant> backoff,
        Map<DatabaseName, Instant> stuckLoading) {

    public static final WarmLoopView EMPTY = new WarmLoopView(List.of(), Map.of(), Map.of(), Map.of());

    public WarmLoopView {
        observations = List.copyOf(observations);
        releases = Map.copyOf(releases);
        backoff = Map.copyOf(backoff);
        stuckLoading = Map.copyOf(stuckLoading);
    }
}
