package org.elb.warmkeeper.core.warm;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import org.elb.warmkeeper.core.cluster.ClusterRef;

/**
 * Pure debounce-and-coalesce of cluster changes, on a caller's nanosecond clock (no thread, no IO). A
 * cluster that changed is due {@code quiet} after its last change (a burst of changes waits for the
 * burst to end) but never later than {@code maxDelay} after the first change of the burst (a change
 * storm that never pauses still runs). {@link #takeDue} hands each due cluster out once; a change after
 * that starts a new burst. Not thread-safe: the owner synchronizes.
 */
final class ChangeDebouncer {

    private record Burst(long first, long last) {}

    private final long quietNanos;
    private final long maxDelayNanos;
    private final Map<ClusterRef, Burst> pending = new LinkedHashMap<>();

    ChangeDebouncer(long quietNanos, long maxDelayNanos) {
        if (quietNanos < 0 || maxDelayNanos < quietNanos) {
            throw new IllegalArgumentException(
                    "'quiet' must not be negative and 'maxDelay' must not be shorter than 'quiet', but were "
                            + quietNanos + " ns and " + maxDelayNanos + " ns");
        }
        this.quietNanos = quietNanos;
        this.maxDelayNanos = maxDelayNanos;
    }

    /** Records a change of {@code cluster} at {@code now}. */
    void offer(ClusterRef cluster, long now) {
        pending.merge(cluster, new Burst(now, now), (old, fresh) -> new Burst(old.first(), now));
    }

    /** When the earliest pending cluster is due; empty when nothing is pending. */
    OptionalLong nextDue() {
        OptionalLong next = OptionalLong.empty();
        for (Burst b : pending.values()) {
            long due = due(b);
            if (next.isEmpty() || due - next.getAsLong() < 0) {
                next = OptionalLong.of(due);
            }
        }
        return next;
    }

    /** Removes and returns the clusters due at {@code now}, in the order of their first change. */
    Set<ClusterRef> takeDue(long now) {
        Set<ClusterRef> due = new LinkedHashSet<>();
        for (Iterator<Map.Entry<ClusterRef, Burst>> it = pending.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<ClusterRef, Burst> e = it.next();
            if (now - due(e.getValue()) >= 0) {
                due.add(e.getKey());
                it.remove();
            }
        }
        return due;
    }

    /** Clusters waiting for their burst to end. */
    int pending() {
        return pending.size();
    }

    private long due(Burst b) {
        long quietEnd = b.last() + quietNanos;
        long cap = b.first() + maxDelayNanos;
        return quietEnd - cap < 0 ? quietEnd : cap;
    }
}
