package org.elb.warmkeeper.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.elb.warmkeeper.core.ElbException;
import org.elb.warmkeeper.core.cluster.ClusterRef;
import org.elb.warmkeeper.core.cluster.DatabaseName;
import org.elb.warmkeeper.core.warm.WarmStatus;
import org.elb.warmkeeper.core.warm.WarmStatusProbe;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link WarmStatusProbe} keeps: each seeded state (READY, LOADING, FAILED,
 * ABSENT) is reported; every requested database is a key of the answer; one call answers all
 * databases of a cluster (at most one backend call); a database the backend cannot judge is UNKNOWN;
 * clusters do not leak into each other; database names are case-sensitive and may hold {@code .},
 * {@code _} and {@code -}; an unreachable backend throws an {@link ElbException}, never a vendor one.
 *
 * <p>Subclasses supply the probe and a hook that puts one database of one cluster into a state.
 * Backends that answer from an asynchronously filled cache override {@link #propagationTimeout()}:
 * assertions are then retried until they hold or the timeout passes.
 */
public abstract class WarmStatusProbeContract {

    protected static final ClusterRef CLUSTER =
            ClusterRef.of("00000000-0000-0000-0000-000000000001", "rg-contract", "elb-contract");
    protected static final ClusterRef OTHER_CLUSTER =
            ClusterRef.of("00000000-0000-0000-0000-000000000002", "rg-contract", "elb-other");

    private WarmStatusProbe probe;

    /** A fresh probe over an empty backend holding {@link #CLUSTER} and {@link #OTHER_CLUSTER}. */
    protected abstract WarmStatusProbe createProbe();

    /**
     * Puts {@code db} on {@code cluster} into {@code status} (READY, LOADING, FAILED; ABSENT removes
     * every trace of its warmup), replacing what was there.
     */
    protected abstract void put(ClusterRef cluster, DatabaseName db, WarmStatus status);

    /**
     * Puts {@code db} into a state the backend cannot judge (e.g. a pod in phase Unknown).
     *
     * @return false when the backend has no such state (the test is then skipped)
     */
    protected boolean putUnjudgeable(ClusterRef cluster, DatabaseName db) {
        return false;
    }

    /**
     * Backend calls made so far (e.g. HTTP requests seen by the server), or -1 when the backend cannot
     * count them (the test is then skipped).
     */
    protected long backendCalls() {
        return -1;
    }

    /**
     * Makes {@code cluster}'s backend unreachable (e.g. its API answers 500).
     *
     * @return false when the backend cannot be broken on purpose (the test is then skipped)
     */
    protected boolean makeUnavailable(ClusterRef cluster) {
        return false;
    }

    /** How long a seeded state may take to show. Zero (default): at once. */
    protected Duration propagationTimeout() {
        return Duration.ZERO;
    }

    @BeforeEach
    final void createProbeUnderTest() {
        probe = createProbe();
    }

    protected final WarmStatusProbe probe() {
        return probe;
    }

    @Test
    void each_seeded_state_is_reported_in_one_answer() {
        DatabaseName ready = DatabaseName.of("core_nt");
        DatabaseName loading = DatabaseName.of("swissprot");
        DatabaseName failed = DatabaseName.of("pdbaa");
        DatabaseName absent = DatabaseName.of("refseq_protein");
        put(CLUSTER, ready, WarmStatus.READY);
        put(CLUSTER, loading, WarmStatus.LOADING);
        put(CLUSTER, failed, WarmStatus.FAILED);

        assertEventually(
                Set.of(ready, loading, failed, absent),
                Map.of(
                        ready, WarmStatus.READY,
                        loading, WarmStatus.LOADING,
                        failed, WarmStatus.FAILED,
                        absent, WarmStatus.ABSENT));
    }

    @Test
    void nothing_seeded_is_absent() {
        Set<DatabaseName> dbs = Set.of(DatabaseName.of("nt"), DatabaseName.of("nr"));
        assertThat(probe.statuses(CLUSTER, dbs))
                .containsExactlyInAnyOrderEntriesOf(Map.of(
                        DatabaseName.of("nt"), WarmStatus.ABSENT,
                        DatabaseName.of("nr"), WarmStatus.ABSENT));
    }

    @Test
    void every_requested_database_is_answered_and_nothing_else() {
        put(CLUSTER, DatabaseName.of("not_asked"), WarmStatus.READY);
        Set<DatabaseName> asked = new LinkedHashSet<>();
        for (int i = 0; i < 25; i++) {
            DatabaseName db = DatabaseName.of("db_" + i);
            asked.add(db);
            if (i % 3 == 0) {
                put(CLUSTER, db, WarmStatus.LOADING);
            }
        }
        retryUntil(() -> {
            Map<DatabaseName, WarmStatus> answer = probe.statuses(CLUSTER, asked);
            assertThat(answer.keySet()).containsExactlyInAnyOrderElementsOf(asked);
            assertThat(answer.get(DatabaseName.of("db_3"))).isEqualTo(WarmStatus.LOADING);
            assertThat(answer.get(DatabaseName.of("db_4"))).isEqualTo(WarmStatus.ABSENT);
        });
    }

    @Test
    void an_empty_request_answers_an_empty_map() {
        assertThat(probe.statuses(CLUSTER, Set.of())).isEmpty();
    }

    @Test
    void one_call_answers_all_databases() {
        Set<DatabaseName> asked = new LinkedHashSet<>();
        for (int i = 0; i < 40; i++) {
            DatabaseName db = DatabaseName.of("many_" + i);
            asked.add(db);
            put(CLUSTER, db, i % 2 == 0 ? WarmStatus.READY : WarmStatus.FAILED);
        }
        // Let a cache-backed probe settle first, so that only the measured call is counted.
        retryUntil(() -> assertThat(probe.statuses(CLUSTER, asked).get(DatabaseName.of("many_39")))
                .isEqualTo(WarmStatus.FAILED));
        long before = backendCalls();
        Assumptions.assumeTrue(before >= 0, "backend cannot count its calls");

        Map<DatabaseName, WarmStatus> answer = probe.statuses(CLUSTER, asked);

        long calls = backendCalls() - before;
        assertThat(answer).hasSize(40);
        assertThat(calls).as("backend calls for 40 databases").isLessThanOrEqualTo(1);
    }

    @Test
    void a_database_the_backend_cannot_judge_is_unknown() {
        DatabaseName db = DatabaseName.of("unjudgeable");
        Assumptions.assumeTrue(putUnjudgeable(CLUSTER, db), "backend has no unjudgeable state");
        assertEventually(Set.of(db), Map.of(db, WarmStatus.UNKNOWN));
    }

    @Test
    void a_state_change_is_seen_by_the_next_call() {
        DatabaseName db = DatabaseName.of("16S_ribosomal_RNA");
        put(CLUSTER, db, WarmStatus.LOADING);
        assertEventually(Set.of(db), Map.of(db, WarmStatus.LOADING));
        put(CLUSTER, db, WarmStatus.READY);
        assertEventually(Set.of(db), Map.of(db, WarmStatus.READY));
        put(CLUSTER, db, WarmStatus.FAILED);
        assertEventually(Set.of(db), Map.of(db, WarmStatus.FAILED));
        put(CLUSTER, db, WarmStatus.ABSENT);
        assertEventually(Set.of(db), Map.of(db, WarmStatus.ABSENT));
    }

    @Test
    void clusters_do_not_leak_into_each_other() {
        DatabaseName db = DatabaseName.of("nt");
        put(CLUSTER, db, WarmStatus.READY);
        put(OTHER_CLUSTER, db, WarmStatus.FAILED);
        assertEventually(Set.of(db), Map.of(db, WarmStatus.READY));
        retryUntil(() -> assertThat(probe.statuses(OTHER_CLUSTER, Set.of(db)))
                .containsExactlyEntriesOf(Map.of(db, WarmStatus.FAILED)));
    }

    @Test
    void names_are_case_sensitive_and_may_hold_dots_underscores_and_dashes() {
        DatabaseName lower = DatabaseName.of("core_nt");
        DatabaseName upper = DatabaseName.of("Core_NT");
        DatabaseName dotted = DatabaseName.of("nt.00");
        DatabaseName dashed = DatabaseName.of("nt-00");
        DatabaseName longest = DatabaseName.of("L" + "o_ng.".repeat(19) + "name");
        put(CLUSTER, lower, WarmStatus.READY);
        put(CLUSTER, upper, WarmStatus.FAILED);
        put(CLUSTER, dotted, WarmStatus.LOADING);
        put(CLUSTER, longest, WarmStatus.READY);

        assertEventually(
                Set.of(lower, upper, dotted, dashed, longest),
                Map.of(
                        lower, WarmStatus.READY,
                        upper, WarmStatus.FAILED,
                        dotted, WarmStatus.LOADING,
                        dashed, WarmStatus.ABSENT,
                        longest, WarmStatus.READY));
    }

    @Test
    void an_unreachable_backend_throws_a_core_exception_not_a_vendor_one() {
        Assumptions.assumeTrue(makeUnavailable(CLUSTER), "backend cannot be made unavailable");
        assertThatThrownBy(() -> probe.statuses(CLUSTER, Set.of(DatabaseName.of("nt"))))
                .isInstanceOf(ElbException.class);
    }

    /** Asserts the probe's answer for {@link #CLUSTER}, retried within {@link #propagationTimeout()}. */
    protected final void assertEventually(Set<DatabaseName> asked, Map<DatabaseName, WarmStatus> expected) {
        retryUntil(() -> assertThat(probe.statuses(CLUSTER, asked)).containsExactlyInAnyOrderEntriesOf(expected));
    }

    /** Runs {@code assertion} until it passes or {@link #propagationTimeout()} has passed. */
    protected final void retryUntil(Runnable assertion) {
        long deadline = System.nanoTime() + propagationTimeout().toNanos();
        while (true) {
            try {
                assertion.run();
                return;
            } catch (AssertionError e) {
                if (System.nanoTime() >= deadline) {
                    throw e;
                }
                sleepBriefly();
            }
        }
    }

    private static void sleepBriefly() {
        try {
            TimeUnit.MILLISECONDS.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
