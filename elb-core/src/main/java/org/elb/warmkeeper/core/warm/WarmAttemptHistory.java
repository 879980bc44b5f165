package org.elb.warmkeeper.core.warm;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Port: the last attempts per database (dispatches and the outcomes seen after them), shared by every
 * replica and kept across restarts. The reconciler reads it once per ready cluster and derives the
 * backoff and the early lock release from it ({@link WarmLoopRules}); operators read it to answer "why
 * is this database cold". Implementations keep at least the newest {@link #DEFAULT_KEEP} entries per
 * database.
 */
public interface WarmAttemptHistory {

    /** Entries kept per database by the stores of this library. */
    int DEFAULT_KEEP = 20;

    /** Databases an {@link #inProcess()} history keeps by default: 10 000 (at most 200 000 entries). */
    int DEFAULT_IN_PROCESS_DATABASES = 10_000;

    /**
     * Keeps nothing: no backoff, no early release, no stuck-loading warning. Give it to
     * {@link AutoWarmReconciler.Builder#history} only to turn those off.
     */
    WarmAttemptHistory NONE = new WarmAttemptHistory() {
        @Override
        public void record(WarmAttempt attempt) {}

        @Override
        public Map<InflightKey, List<WarmAttempt>> recent(Set<InflightKey> keys, int limit) {
            return Map.of();
        }
    };

    /**
     * A history in this JVM, bounded: the newest {@link #DEFAULT_KEEP} entries per database, at most
     * {@link #DEFAULT_IN_PROCESS_DATABASES} databases (the least recently used is forgotten first). What
     * a reconciler built without a history keeps. Lost on restart, not shared between replicas.
     */
    static WarmAttemptHistory inProcess() {
        return inProcess(DEFAULT_IN_PROCESS_DATABASES);
    }

    /** As {@link #inProcess()}, keeping at most {@code maxDatabases} databases. */
    static WarmAttemptHistory inProcess(int maxDatabases) {
        return new InProcessWarmAttemptHistory(maxDatabases);
    }

    /**
     * Appends an entry and drops the entries of that database beyond the newest ones kept.
     *
     * @throws org.elb.warmkeeper.core.BackendUnavailableException when the store cannot be written
     */
    void record(WarmAttempt attempt);

    /**
     * The newest {@code limit} entries of each key, the last recorded first; keys without history may be
     * missing. One round trip per cluster.
     *
     * @throws org.elb.warmkeeper.core.BackendUnavailableException when the store cannot be read
     */
    Map<InflightKey, List<WarmAttempt>> recent(Set<InflightKey> keys, int limit);

    /** The newest {@code limit} entries of one database, newest first. */
    default List<WarmAttempt> recent(InflightKey key, int limit) {
        return recent(Set.of(key), limit).getOrDefault(key, List.of());
    }
}
