package org.elb.warmkeeper.inmemory;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.elb.warmkeeper.core.warm.InflightKey;
import org.elb.warmkeeper.core.warm.WarmAttempt;
import org.elb.warmkeeper.core.warm.WarmAttemptHistory;

/**
 * A single-replica {@link WarmAttemptHistory}: the newest entries per database in this JVM (lost on
 * restart; with several replicas or across restarts use the JDBI store). Thread-safe.
 */
public final class InMemoryWarmAttemptHistory implements WarmAttemptHistory {

    private final int keep;
    private final Map<InflightKey, Deque<WarmAttempt>> entries = new HashMap<>();

    private InMemoryWarmAttemptHistory(int keep) {
        this.keep = keep;
    }

    /** Keeps {@link WarmAttemptHistory#DEFAULT_KEEP} entries per database. */
    public static InMemoryWarmAttemptHistory create() {
        return create(DEFAULT_KEEP);
    }

    /** Keeps the newest {@code keep} entries per database. */
    public static InMemoryWarmAttemptHistory create(int keep) {
        if (keep < 1) {
            throw new IllegalArgumentException("'keep' must be a positive integer, but was " + keep);
        }
        return new InMemoryWarmAttemptHistory(keep);
    }

    @Override
    public synchronized void record(WarmAttempt attempt) {
        Objects.requireNonNull(attempt, "attempt");
        Deque<WarmAttempt> list = entries.computeIfAbsent(attempt.key(), k -> new ArrayDeque<>());
        list.addFirst(attempt);
        while (list.size() > keep) {
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
                out.put(key, List.copyOf(new ArrayList<>(list).subList(0, Math.min(limit, list.size()))));
            }
        }
        return out;
    }
}
