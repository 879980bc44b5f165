package org.elb.warmkeeper.core.warm;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.elb.warmkeeper.core.cluster.Checks;

/**
 * The reconciler's default {@link WarmAttemptHistory}: in this JVM only, bounded on both axes — the newest
 * {@link WarmAttemptHistory#DEFAULT_KEEP} entries per database, and at most {@code maxDatabases}
 * databases (the one written or read least recently is forgotten first). Lost on restart and not shared
 * between replicas: with several replicas keep the history in a store. Thread-safe.
 */
final class InProcessWarmAttemptHistory implements WarmAttemptHistory {

    private final int maxDatabases;
    private final Map<InflightKey, Deque<WarmAttempt>> entries;

    InProcessWarmAttemptHistory(int maxDatabases) {
        if (maxDatabases < 1) {
            throw new IllegalArgumentException("'maxDatabases' must be a positive integer, but was " + maxDatabases);
        }
        this.maxDatabases = maxDatabases;
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<InflightKey, Deque<WarmAttempt>> eldest) {
                return size() > InProcessWarmAttemptHistory.this.maxDatabases;
            }
        };
    }

    @Override
    public synchronized void record(WarmAttempt attempt) {
        Checks.required(attempt, "attempt");
        Deque<WarmAttempt> list = entries.computeIfAbsent(attempt.key(), k -> new ArrayDeque<>());
        list.addFirst(attempt);
        while (list.size() > DEFAULT_KEEP) {
            list.removeLast();
        }
    }

    @Override
    public synchronized Map<InflightKey, List<WarmAttempt>> recent(Set<InflightKey> keys, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("'limit' must be a positive integer, but was " + limit);
        }
        Map<InflightKey, List<WarmAttempt>> out = new LinkedHashMap<>();
        for (InflightKey key : keys) {
            Deque<WarmAttempt> list = entries.get(key);
            if (list != null && !list.isEmpty()) {
                List<WarmAttempt> all = new ArrayList<>(list);
                out.put(key, List.copyOf(all.subList(0, Math.min(limit, all.size()))));
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return "InProcessWarmAttemptHistory{maxDatabases=" + maxDatabases + "}";
    }
}
