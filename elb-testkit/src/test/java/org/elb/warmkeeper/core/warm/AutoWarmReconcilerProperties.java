package org.elb.warmkeeper.core.warm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.elb.warmkeeper.core.cluster.ClusterRef;
import org.elb.warmkeeper.core.cluster.DatabaseName;
import org.elb.warmkeeper.json.TickReportJson;

/**
 * A whole tick, with the testkit fakes, against an independent model of the reconcile rules: for every configured
 * database of every cluster the model says what must happen (no-op, a skip with its reason, or an
 * enqueue) and the tick's report must say exactly that. And the tick does not depend on lastReady.
 */
class AutoWarmReconcilerProperties {

    static final List<DatabaseName> POOL = List.of("core_nt", "nt", "nr", "swissprot", "pdbaa", "env_nr").stream()
            .map(DatabaseName::of)
            .toList();

    /** One database's situation on one cluster. */
    record DbState(boolean downloaded, WarmStatus status, boolean heldByOther, boolean enqueueFails) {}

    /** One cluster: readiness, lastReady, its configured databases (possibly repeated) and their states. */
    record ClusterState(
            boolean ready, boolean lastReady, List<DatabaseName> configured, Map<DatabaseName, DbState> dbs) {}

    /** A tick's world: up to four clusters and whether the lock store is down. */
    record Scenario(List<ClusterState> clusters, boolean lockUnavailable) {
        Scenario withLastReady(boolean value) {
            return new Scenario(
                    clusters.stream()
                            .map(c -> new ClusterState(c.ready(), value, c.configured(), c.dbs()))
                            .toList(),
                    lockUnavailable);
        }
    }

    @Provide
    Arbitrary<Scenario> scenarios() {
        Arbitrary<DbState> db = Combinators.combine(
                        Arbitraries.of(true, true, false),
                        Arbitraries.of(WarmStatus.class),
                        Arbitraries.of(false, false, true),
                        Arbitraries.of(false, false, false, true))
                .as(DbState::new);
        Arbitrary<Map<DatabaseName, DbState>> dbs = db.list()
                .ofSize(POOL.size())
                .map(list -> {
                    Map<DatabaseName, DbState> m = new HashMap<>();
                    for (int i = 0; i < POOL.size(); i++) {
                        m.put(POOL.get(i), list.get(i));
                    }
                    return m;
                });
        Arbitrary<ClusterState> cluster = Combinators.combine(
                        Arbitraries.of(true, true, true, false),
                        Arbitraries.of(true, false),
                        Arbitraries.of(POOL).list().ofMaxSize(8),
                        dbs)
                .as(ClusterState::new);
        return Combinators.combine(cluster.list().ofMinSize(1).ofMaxSize(4), Arbitraries.of(false, false, false, true))
                .as(Scenario::new);
    }

    static ClusterRef ref(int i) {
        return WarmWorld.cluster("elb-" + i);
    }

    static WarmWorld build(Scenario s) {
        WarmWorld w = new WarmWorld();
        for (int i = 0; i < s.clusters().size(); i++) {
            ClusterState c = s.clusters().get(i);
            ClusterRef ref = ref(i);
            w.preferences.put(new AutoWarmPreference(ref, c.configured(), c.lastReady()));
            if (!c.ready()) {
                w.readiness.notReady(ref, "nodes not ready");
            }
            c.dbs().forEach((db, st) -> {
                if (st.downloaded()) {
                    w.inventory.markDownloaded(ref, db);
                }
                w.statuses.set(ref, db, st.status());
                if (st.heldByOther()) {
                    w.holdForOther(ref, db);
                }
                if (st.enqueueFails()) {
                    w.failingEnqueues.add(new InflightKey(ref, db));
                }
            });
        }
        if (s.lockUnavailable()) {
            w.lock.faults().unavailable();
        }
        return w;
    }

    /**
     * What must become of one database: null for a no-op (READY/LOADING), "enqueued", or a skip reason.
     * {@code earlierFailed}: a dispatch of an earlier candidate of the same cluster failed, so this one is
     * not tried (skipped enqueue_failed at once), unless another owner holds its lock.
     */
    static String expectedFate(DbState st, boolean lockUnavailable, boolean force, boolean earlierFailed) {
        if (st.status() == WarmStatus.READY || st.status() == WarmStatus.LOADING) {
            return null;
        }
        if (!st.downloaded()) {
            return "not_downloaded";
        }
        if (st.status() == WarmStatus.UNKNOWN) {
            return "status_unknown";
        }
        if (st.heldByOther() && !lockUnavailable && !force) {
            return "inflight";
        }
        if (earlierFailed || st.enqueueFails()) {
            return "enqueue_failed";
        }
        return "enqueued";
    }

    static void assertMatchesModel(Scenario s, TickReport report, boolean force) {
        assertThat(report.clusters()).hasSize(s.clusters().size());
        for (int i = 0; i < s.clusters().size(); i++) {
            ClusterState c = s.clusters().get(i);
            ClusterOutcome o = report.outcome(ref(i)).orElseThrow();
            List<DatabaseName> distinct = List.copyOf(new LinkedHashSet<>(c.configured()));
            assertThat(o.databases()).containsExactlyElementsOf(distinct);
            if (!c.ready()) {
                assertThat(o.status()).isEqualTo(ClusterStatus.CLUSTER_NOT_READY);
                assertThat(o.enqueued()).isEmpty();
                assertThat(o.skipped()).isEmpty();
                continue;
            }
            List<DatabaseName> expectEnqueued = new ArrayList<>();
            Set<Skip> expectSkipped = new LinkedHashSet<>();
            int warm = 0;
            boolean failed = false;
            for (DatabaseName db : distinct) {
                DbState st = c.dbs().get(db);
                String fate = expectedFate(st, s.lockUnavailable(), force, failed);
                failed |= "enqueue_failed".equals(fate);
                if (fate == null) {
                    warm++;
                } else if (fate.equals("enqueued")) {
                    expectEnqueued.add(db);
                } else {
                    expectSkipped.add(new Skip(db, reason(fate)));
                }
            }
            // every configured database in exactly one of enqueued / skipped / no-op
            List<DatabaseName> seen = new ArrayList<>(o.enqueued());
            o.skipped().forEach(sk -> seen.add(sk.db()));
            assertThat(seen).doesNotHaveDuplicates().hasSize(distinct.size() - warm);
            assertThat(o.enqueued()).containsExactlyElementsOf(expectEnqueued);
            assertThat(o.skipped()).containsExactlyInAnyOrderElementsOf(expectSkipped);
            // a fail-open is counted under force too: the lock store was down either way
            assertThat(o.failOpen()).isEqualTo(s.lockUnavailable() ? expectEnqueued.size() : 0);
            // the status rules
            if (!expectEnqueued.isEmpty()) {
                assertThat(o.status()).isEqualTo(ClusterStatus.TRIGGERED);
            } else if (warm == distinct.size()) {
                assertThat(o.status()).isEqualTo(ClusterStatus.READY_NOOP);
            } else {
                assertThat(o.status()).isEqualTo(ClusterStatus.WAITING);
            }
        }
    }

    static SkipReason reason(String wire) {
        for (SkipReason r : SkipReason.values()) {
            if (r.wireName().equals(wire)) {
                return r;
            }
        }
        throw new IllegalArgumentException(wire);
    }

    @Property(tries = 500)
    void a_tick_does_what_the_model_says_for_every_configured_database(@ForAll("scenarios") Scenario s) {
        WarmWorld w = build(s);
        TickReport report = w.reconciler().tick();
        assertMatchesModel(s, report, false);
        // what was dispatched is what was reported enqueued
        assertThat(w.dispatcher.enqueued().stream()
                        .map(r -> r.cluster().clusterName() + "/" + r.database())
                        .toList())
                .containsExactlyInAnyOrderElementsOf(w.observer.enqueued);
        assertThat(w.observer.enqueued).hasSize(report.enqueuedCount());
        assertThat(w.observer.failedOpen)
                .hasSize(report.clusters().stream()
                        .mapToInt(ClusterOutcome::failOpen)
                        .sum());
    }

    @Property(tries = 300)
    void force_bypasses_the_lock_and_nothing_else(@ForAll("scenarios") Scenario s) {
        WarmWorld w = build(s);
        TickReport report = w.reconciler().tick(true);
        assertMatchesModel(s, report, true);
        assertThat(w.dispatcher.enqueued()).allMatch(WarmupRequest::force);
    }

    @Property(tries = 300)
    void the_tick_does_not_depend_on_last_ready(@ForAll("scenarios") Scenario s, @ForAll boolean force) {
        WarmWorld wasReady = build(s.withLastReady(true));
        WarmWorld wasNotReady = build(s.withLastReady(false));
        TickReport a = wasReady.reconciler().tick(force);
        TickReport b = wasNotReady.reconciler().tick(force);
        assertThat(a.clusters()).isEqualTo(b.clusters());
        // clusters are dispatched concurrently: the same warmups, in any order across clusters
        assertThat(wasReady.dispatcher.enqueued())
                .containsExactlyInAnyOrderElementsOf(wasNotReady.dispatcher.enqueued());
        assertThat(TickReportJson.toJson(a)).isEqualTo(TickReportJson.toJson(b));
    }

    @Property(tries = 300)
    void a_failed_enqueue_never_keeps_this_ticks_lock_and_an_enqueued_db_stays_locked(@ForAll("scenarios") Scenario s) {
        WarmWorld w = build(s);
        LockToken mine = LockToken.of("this-tick");
        TickReport report = w.reconcilerBuilder().tokens(() -> mine).build().tick();
        w.lock.faults().heal();
        for (ClusterOutcome o : report.clusters()) {
            for (Skip skip : o.skipped()) {
                if (skip.reason() == SkipReason.ENQUEUE_FAILED) {
                    // released by token; a key another replica holds is left to its owner
                    assertThat(w.lock.holder(new InflightKey(o.cluster(), skip.db())))
                            .as("released: %s", skip.db())
                            .isNotEqualTo(java.util.Optional.of(mine));
                }
            }
            if (!s.lockUnavailable()) {
                for (DatabaseName db : o.enqueued()) {
                    assertThat(w.lock.holder(new InflightKey(o.cluster(), db)))
                            .as("held: %s", db)
                            .contains(mine);
                }
            }
        }
    }

    /** Per-cluster delays (ms) for readiness, status and each dispatch: they scramble the completion order. */
    @Provide
    Arbitrary<List<Integer>> delays() {
        return Arbitraries.integers().between(0, 3).list().ofSize(4);
    }

    private static void pause(int millis) {
        if (millis == 0) {
            Thread.yield();
            return;
        }
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Whatever order clusters complete in (random delays per cluster, any concurrency, any gather window),
     * the report lists the clusters in configuration order with the same outcomes as a serial tick, and the
     * same warmups are dispatched.
     */
    @Property(tries = 60)
    void the_report_is_the_same_whatever_the_completion_order(
            @ForAll("scenarios") Scenario s,
            @ForAll("delays") List<Integer> delays,
            @ForAll @net.jqwik.api.constraints.IntRange(min = 1, max = 5) int concurrency,
            @ForAll boolean gather,
            @ForAll boolean force) {
        WarmWorld serialWorld = build(s);
        TickReport serial;
        try (AutoWarmReconciler r =
                serialWorld.reconcilerBuilder().concurrency(1).build()) {
            serial = r.tick(force);
        }

        WarmWorld w = build(s);
        java.util.function.ToIntFunction<ClusterRef> delay =
                c -> delays.get(Integer.parseInt(c.clusterName().substring("elb-".length())) % delays.size());
        ClusterReadinessProbe readiness = c -> {
            pause(delay.applyAsInt(c));
            return w.readiness.probe(c);
        };
        WarmStatusProbe statuses = (c, dbs) -> {
            pause(3 - delay.applyAsInt(c));
            return w.statuses.statuses(c, dbs);
        };
        WarmupDispatcher inner = w.dispatcherWithFailures();
        WarmupDispatcher dispatcher = req -> {
            pause(delay.applyAsInt(req.cluster()) / 2);
            return inner.enqueue(req);
        };
        TickReport parallel;
        try (AutoWarmReconciler r = AutoWarmReconciler.builder(w.preferences, w.inventory, statuses, w.lock, dispatcher)
                .readiness(readiness)
                .clock(w.clock)
                .observer(w.observer)
                .concurrency(concurrency)
                .lockGatherWindow(java.time.Duration.ofMillis(gather ? 5 : 0))
                .build()) {
            parallel = r.tick(force);
        }

        assertThat(parallel.clusters()).isEqualTo(serial.clusters());
        assertThat(TickReportJson.toJson(parallel)).isEqualTo(TickReportJson.toJson(serial));
        assertThat(w.dispatcher.enqueued()).containsExactlyInAnyOrderElementsOf(serialWorld.dispatcher.enqueued());
        assertMatchesModel(s, parallel, force);
    }
}
