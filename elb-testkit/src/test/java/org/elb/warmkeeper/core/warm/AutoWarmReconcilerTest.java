package org.elb.warmkeeper.core.warm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.elb.warmkeeper.core.warm.WarmWorld.cluster;
import static org.elb.warmkeeper.core.warm.WarmWorld.db;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.elb.warmkeeper.core.BackendUnavailableException;
import org.elb.warmkeeper.core.cluster.ClusterRef;
import org.elb.warmkeeper.core.cluster.DatabaseName;
import org.elb.warmkeeper.json.TickReportJson;
import org.elb.warmkeeper.testkit.RecordingWarmupDispatcher;
import org.junit.jupiter.api.Test;

/** AutoWarmReconciler with the testkit fakes: failure isolation, fail-open, release on failure, force, round trips. */
class AutoWarmReconcilerTest {

    static final ClusterRef A = cluster("elb-a");
    static final ClusterRef B = cluster("elb-b");
    static final ClusterRef C = cluster("elb-c");
    static final ClusterRef D = cluster("elb-d");
    static final DatabaseName CORE_NT = db("core_nt");
    static final DatabaseName SWISSPROT = db("swissprot");
    static final DatabaseName NR = db("nr");

    final WarmWorld w = new WarmWorld();

    private ClusterOutcome outcome(TickReport r, ClusterRef c) {
        return r.outcome(c).orElseThrow();
    }

    @Test
    void a_status_probe_exception_makes_only_that_cluster_error() {
        w.preferences.enable(A, List.of(CORE_NT)).enable(B, List.of(CORE_NT));
        w.downloaded(A, CORE_NT, WarmStatus.ABSENT).downloaded(B, CORE_NT, WarmStatus.ABSENT);
        w.statuses.faults(B).unavailable();

        TickReport r = w.reconciler().tick();

        assertThat(outcome(r, A).status()).isEqualTo(ClusterStatus.TRIGGERED);
        assertThat(outcome(r, A).enqueued()).containsExactly(CORE_NT);
        assertThat(outcome(r, B).status()).isEqualTo(ClusterStatus.ERROR);
        assertThat(outcome(r, B).enqueued()).isEmpty();
        assertThat(outcome(r, B).detail()).startsWith("warm_status: ");
        assertThat(w.observer.probeFailures).containsExactly("elb-b:warm_status");
        assertThat(w.lock.holder(new InflightKey(B, CORE_NT))).isEmpty();
    }

    @Test
    void a_readiness_probe_exception_makes_only_that_cluster_error() {
        w.preferences.enable(A, List.of(CORE_NT)).enable(B, List.of(CORE_NT));
        w.downloaded(A, CORE_NT, WarmStatus.ABSENT).downloaded(B, CORE_NT, WarmStatus.ABSENT);
        ClusterReadinessProbe flaky = c -> {
            if (c.equals(A)) {
                throw new BackendUnavailableException("arm", "get", "timeout");
            }
            return Readiness.ready();
        };

        TickReport r = w.reconcilerBuilder().readiness(flaky).build().tick();

        assertThat(outcome(r, A).status()).isEqualTo(ClusterStatus.ERROR);
        assertThat(outcome(r, A).detail()).startsWith("readiness: ");
        assertThat(outcome(r, B).status()).isEqualTo(ClusterStatus.TRIGGERED);
        assertThat(w.observer.probeFailures).containsExactly("elb-a:readiness");
    }

    @Test
    void an_inventory_failure_makes_the_ready_clusters_error_and_the_tick_completes() {
        w.preferences.enable(A, List.of(CORE_NT)).enable(B, List.of(CORE_NT));
        w.readiness.notReady(B, "provisioning");
        w.inventory.faults().unavailable();

        TickReport r = w.reconciler().tick();

        assertThat(r.status()).isEqualTo("completed");
        assertThat(outcome(r, A).status()).isEqualTo(ClusterStatus.ERROR);
        assertThat(outcome(r, A).detail()).startsWith("inventory: ");
        assertThat(outcome(r, B).status()).isEqualTo(ClusterStatus.CLUSTER_NOT_READY);
        assertThat(w.dispatcher.enqueued()).isEmpty();
    }

    @Test
    void unreadable_preferences_fail_the_tick() {
        w.preferences.faults().unavailable();
        assertThatThrownBy(() -> w.reconciler().tick()).isInstanceOf(BackendUnavailableException.class);
    }

    @Test
    void an_unavailable_lock_fails_open_enqueues_and_is_counted() {
        w.preferences.enable(A, List.of(CORE_NT, SWISSPROT));
        w.downloaded(A, CORE_NT, WarmStatus.ABSENT).downloaded(A, SWISSPROT, WarmStatus.FAILED);
        w.lock.faults().unavailable();

        TickReport r = w.reconciler().tick();

        assertThat(outcome(r, A).enqueued()).containsExactly(CORE_NT, SWISSPROT);
        assertThat(outcome(r, A).failOpen()).isEqualTo(2);
        assertThat(w.observer.failedOpen).containsExactly("elb-a/core_nt", "elb-a/swissprot");
        assertThat(TickReportJson.toJson(r)).contains("\"lock_fail_open\":2");
    }

    @Test
    void a_lock_that_throws_also_fails_open() {
        w.preferences.enable(A, List.of(CORE_NT));
        w.downloaded(A, CORE_NT, WarmStatus.ABSENT);
        InflightLock throwing = new InflightLock() {
            @Override
            public Map<InflightKey, Acquisition> tryAcquireAll(
                    Set<InflightKey> keys, LockToken token, java.time.Duration ttl) {
                throw new IllegalStateException("adapter bug");
            }

            @Override
            public ReleaseResult release(InflightKey key, LockToken token) {
                return ReleaseResult.NOT_OWNER;
            }
        };
        TickReport r = AutoWarmReconciler.builder(w.preferences, w.inventory, w.statuses, throwing, w.dispatcher)
                .observer(w.observer)
                .build()
                .tick();
        assertThat(outcome(r, A).enqueued()).containsExactly(CORE_NT);
        assertThat(outcome(r, A).failOpen()).isEqualTo(1);
    }

    @Test
    void an_enqueue_failure_releases_the_lock_by_token_and_the_next_tick_retries() {
        w.preferences.enable(A, List.of(CORE_NT));
        w.downloaded(A, CORE_NT, WarmStatus.ABSENT);
        w.dispatcher.faults().failNext(1);
        InflightKey key = new InflightKey(A, CORE_NT);

        TickReport first = w.reconciler().tick();

        assertThat(outcome(first, A).skipped()).containsExactly(new Skip(CORE_NT, SkipReason.ENQUEUE_FAILED));
        assertThat(outcome(first, A).status()).isEqualTo(ClusterStatus.WAITING);
        assertThat(w.lock.holder(key)).isEmpty();
        assertThat(w.observer.skippedWithReason("enqueue_failed")).containsExactly("elb-a/core_nt:enqueue_failed");

        TickReport second = w.reconciler().tick();
        assertThat(outcome(second, A).enqueued()).containsExactly(CORE_NT);
        assertThat(w.lock.holder(key)).isPresent();
    }

    @Test
    void a_held_lock_skips_with_reason_inflight() {
        w.preferences.enable(A, List.of(CORE_NT, SWISSPROT));
        w.downloaded(A, CORE_NT, WarmStatus.ABSENT).downloaded(A, SWISSPROT, WarmStatus.ABSENT);
        w.holdForOther(A, CORE_NT);

        TickReport r = w.reconciler().tick();

        assertThat(outcome(r, A).skipped()).containsExactly(new Skip(CORE_NT, SkipReason.INFLIGHT));
        assertThat(outcome(r, A).enqueued()).containsExactly(SWISSPROT);
        assertThat(w.dispatcher.count(new InflightKey(A, CORE_NT))).isZero();
    }

    @Test
    void force_bypasses_the_lock_but_never_the_ready_or_loading_rule() {
        w.preferences.enable(A, List.of(CORE_NT, SWISSPROT, NR, db("pdbaa")));
        w.downloaded(A, CORE_NT, WarmStatus.ABSENT)
                .downloaded(A, SWISSPROT, WarmStatus.READY)
                .downloaded(A, NR, WarmStatus.LOADING);
        w.statuses.set(A, db("pdbaa"), WarmStatus.ABSENT); // not downloaded
        w.holdForOther(A, CORE_NT);
        w.holdForOther(A, SWISSPROT);

        TickReport r = w.reconciler().tick(true);

        assertThat(outcome(r, A).enqueued()).containsExactly(CORE_NT);
        assertThat(outcome(r, A).skipped()).containsExactly(new Skip(db("pdbaa"), SkipReason.NOT_DOWNLOADED));
        assertThat(w.dispatcher.enqueued())
                .singleElement()
                .satisfies(req -> assertThat(req.force()).isTrue());
        assertThat(w.lock.holder(new InflightKey(A, CORE_NT)))
                .as("force never steals another owner's lock")
                .contains(LockToken.of("another-replica"));
        assertThat(r.force()).isTrue();
    }

    @Test
    void a_forced_enqueue_still_takes_a_free_lock_so_the_next_regular_tick_does_not_enqueue_it_again() {
        w.preferences.enable(A, List.of(CORE_NT));
        w.downloaded(A, CORE_NT, WarmStatus.ABSENT);

        TickReport forced = w.reconciler().tick(true);
        TickReport next = w.reconciler().tick();

        assertThat(outcome(forced, A).enqueued()).containsExactly(CORE_NT);
        assertThat(w.lock.holder(new InflightKey(A, CORE_NT))).isPresent();
        assertThat(outcome(next, A).skipped()).containsExactly(new Skip(CORE_NT, SkipReason.INFLIGHT));
        assertThat(w.dispatcher.count(new InflightKey(A, CORE_NT))).isEqualTo(1);
    }

    @Test
    void a_not_ready_cluster_is_reported_and_nothing_is_probed() {
        w.preferences.enable(A, List.of(CORE_NT));
        w.downloaded(A, CORE_NT, WarmStatus.ABSENT);
        w.readiness.notReady(A, "3 of 5 nodes not ready");

        TickReport r = w.reconciler().tick();

        assertThat(outcome(r, A).status()).isEqualTo(ClusterStatus.CLUSTER_NOT_READY);
        assertThat(outcome(r, A).detail()).isEqualTo("3 of 5 nodes not ready");
        assertThat(outcome(r, A).databases()).containsExactly(CORE_NT);
        assertThat(w.statuses.calls()).isZero();
        assertThat(w.inventory.calls())
                .as("the fleet's one inventory read runs alongside readiness")
                .isLessThanOrEqualTo(1);
        assertThat(w.lock.acquireCalls()).isZero();
        assertThat(w.dispatcher.enqueued()).isEmpty();
    }

    @Test
    void the_ready_edge_is_recorded_once_and_again_after_the_cluster_was_not_ready() {
        w.preferences.enable(A, List.of(CORE_NT));
        w.downloaded(A, CORE_NT, WarmStatus.READY);
        AutoWarmReconciler reconciler = w.reconciler();

        reconciler.tick();
        reconciler.tick();
        reconciler.tick();
        assertThat(w.preferences.readyEdges()).containsExactly(A);
        assertThat(w.preferences.enabledClusters().get(0).lastReady()).isTrue();

        w.readiness.notReady(A, "upgrading");
        reconciler.tick();
        assertThat(w.preferences.enabledClusters().get(0).lastReady()).isFalse();
        w.readiness.ready(A);
        reconciler.tick();
        assertThat(w.preferences.readyEdges()).containsExactly(A, A);
    }

    @Test
    void round_trips_per_tick_are_batched() {
        for (ClusterRef c : List.of(A, B, C)) {
            w.preferences.enable(c, List.of(CORE_NT, SWISSPROT, NR));
            w.downloaded(c, CORE_NT, WarmStatus.ABSENT)
                    .downloaded(c, SWISSPROT, WarmStatus.FAILED)
                    .downloaded(c, NR, WarmStatus.ABSENT);
        }
        w.preferences.enable(D, List.of(CORE_NT));
        w.readiness.notReady(D, "provisioning");

        // a window long enough that only "no cluster is still planning" sends the lock call
        TickReport r = w.reconcilerBuilder()
                .lockGatherWindow(java.time.Duration.ofSeconds(10))
                .build()
                .tick();

        assertThat(r.enqueuedCount()).isEqualTo(9);
        assertThat(w.inventory.calls())
                .as("one inventory call for all clusters")
                .isEqualTo(1);
        assertThat(w.statuses.calls()).as("one status call per ready cluster").isEqualTo(3);
        assertThat(w.lock.acquireCalls())
                .as("one lock call for plans ready together")
                .isEqualTo(1);
        assertThat(w.dispatcher.enqueued()).hasSize(9);
    }

    @Test
    void an_idempotent_dispatcher_that_already_runs_the_warmup_gives_inflight() {
        WarmWorld idem = new WarmWorld(new RecordingWarmupDispatcher(true));
        idem.preferences.enable(A, List.of(CORE_NT));
        idem.downloaded(A, CORE_NT, WarmStatus.ABSENT);
        idem.dispatcher.enqueue(new WarmupRequest(A, CORE_NT, false)); // started elsewhere

        TickReport r = idem.reconciler().tick();

        assertThat(outcome(r, A).skipped()).containsExactly(new Skip(CORE_NT, SkipReason.INFLIGHT));
        assertThat(outcome(r, A).status()).isEqualTo(ClusterStatus.WAITING);
    }

    @Test
    void concurrent_ticks_enqueue_each_database_at_most_once() throws Exception {
        for (ClusterRef c : List.of(A, B)) {
            w.preferences.enable(c, List.of(CORE_NT, SWISSPROT, NR));
            w.downloaded(c, CORE_NT, WarmStatus.ABSENT)
                    .downloaded(c, SWISSPROT, WarmStatus.FAILED)
                    .downloaded(c, NR, WarmStatus.ABSENT);
        }
        AutoWarmReconciler reconciler = w.reconciler(); // the dispatcher is not idempotent: only the lock dedups
        int threads = 6;
        java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(threads);
        List<TickReport> reports = new java.util.concurrent.CopyOnWriteArrayList<>();
        List<Thread> all = new java.util.ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread th = new Thread(() -> {
                try {
                    start.await();
                    reports.add(reconciler.tick());
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            th.start();
            all.add(th);
        }
        for (Thread th : all) {
            th.join(10_000);
        }

        assertThat(reports).hasSize(threads);
        for (ClusterRef c : List.of(A, B)) {
            for (DatabaseName d : List.of(CORE_NT, SWISSPROT, NR)) {
                assertThat(w.dispatcher.count(new InflightKey(c, d)))
                        .as("%s on %s", d, c.clusterName())
                        .isEqualTo(1);
            }
        }
        assertThat(reports.stream().mapToInt(TickReport::enqueuedCount).sum()).isEqualTo(6);
    }

    @Test
    void the_report_json_has_the_seed_shape() {
        w.preferences.enable(A, List.of(CORE_NT, SWISSPROT, NR));
        w.downloaded(A, CORE_NT, WarmStatus.ABSENT)
                .downloaded(A, SWISSPROT, WarmStatus.ABSENT)
                .downloaded(A, NR, WarmStatus.READY);
        w.holdForOther(A, SWISSPROT);
        w.preferences.enable(B, List.of(NR));
        w.readiness.notReady(B, "provisioning");

        String json = TickReportJson.toJson(w.reconciler().tick());

        assertThat(json)
                .isEqualTo(
                        "{\"status\":\"completed\",\"started_at\":\"2026-01-01T00:00:00Z\",\"force\":false,\"clusters\":["
                                + "{\"cluster_name\":\"elb-a\",\"subscription_id\":\"" + WarmWorld.SUB
                                + "\",\"resource_group\":\"rg-elb\","
                                + "\"databases\":[\"core_nt\",\"swissprot\",\"nr\"],\"enqueued\":[\"core_nt\"],"
                                + "\"skipped\":[{\"db\":\"swissprot\",\"reason\":\"inflight\"}],\"status\":\"triggered\"},"
                                + "{\"cluster_name\":\"elb-b\",\"subscription_id\":\"" + WarmWorld.SUB
                                + "\",\"resource_group\":\"rg-elb\","
                                + "\"databases\":[\"nr\"],\"enqueued\":[],\"skipped\":[],\"status\":\"cluster_not_ready\",\"detail\":\"provisioning\"}"
                                + "]}");
    }
}
