package org.elb.warmkeeper.core.warm;

import java.time.Instant;
import org.elb.warmkeeper.core.cluster.Checks;
import org.elb.warmkeeper.core.cluster.ClusterRef;
import org.elb.warmkeeper.core.cluster.DatabaseName;
import org.jspecify.annotations.Nullable;

/**
 * One entry of a database's attempt history ("why is this database cold").
 *
 * @param at when it was dispatched or observed
 * @param event a dispatch or an observed outcome
 * @param reason a short reason (e.g. {@code never_seen}, the enqueue error), or null
 * @param jobName the warmup's Job name when the dispatcher reports it, or null
 * @param token the in-flight lock token the dispatch was made under (for the early release), or null;
 *     left out of {@link #toString()}
 */
public record WarmAttempt(
        ClusterRef cluster,
        DatabaseName database,
        Instant at,
        AttemptEvent event,
        @Nullable String reason,
        @Nullable String jobName,
        @Nullable LockToken token) {

    /** Longest reason kept; longer ones are cut. */
    public static final int MAX_REASON = 500;

    public WarmAttempt {
        Checks.required(cluster, "cluster");
        Checks.required(database, "database");
        Checks.required(at, "at");
        Checks.required(event, "event");
        if (reason != null && reason.length() > MAX_REASON) {
            reason = reason.substring(0, MAX_REASON);
        }
    }

    public static WarmAttempt observed(InflightKey key, Instant at, AttemptEvent event, @Nullable String reason) {
        return new WarmAttempt(key.cluster(), key.database(), at, event, reason, null, null);
    }

    public InflightKey key() {
        return new InflightKey(cluster, database);
    }

    @Override
    public String toString() {
        return "WarmAttempt[" + cluster.display() + "/" + database.value() + " " + event.wireName() + " at " + at
                + (reason == null ? "" : " (" + reason + ")") + (jobName == null ? "" : " job " + jobName) + "]";
    }
}
