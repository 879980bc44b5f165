package org.elb.warmkeeper.core.warm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.elb.warmkeeper.core.warm.WarmWorld.cluster;
import static org.elb.warmkeeper.core.warm.WarmWorld.db;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.elb.warmkeeper.core.cluster.ClusterRef;
import org.elb.warmkeeper.core.cluster.DatabaseName;
import org.elb.warmkeeper.json.TickReportJson;
import org.elb.warmkeeper.testkit.RecordingWarmupDispatcher;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The reconciler at fleet scale, with the testkit fakes: bounded parallel fan-out, batched lock calls,
 * per-cluster and tick deadlines, a slow cluster that holds nobody back, and dispatch failure rules.
 * Bounds on elapsed time are only generous "it finishes" bounds.
 */
class AutoWarmFanOutTest {

    static final DatabaseName CORE_NT = db("core_nt");
    static final DatabaseName SWISSPROT = db("swissprot");
    static final DatabaseName NR = db("nr");
    static final Duration FINISHES = Duration.ofSeconds(20);

    final WarmWorld w = new WarmWorld();
    final List<AutoWarmReconciler> built = new ArrayList<>();

    @AfterEach
    void close() {
        built.forEach(AutoWarmReconciler::close);
    }

    private AutoWarmReconciler build(AutoWarmReconciler.Builder b) {
        AutoWarmReconciler r = b.build();
        built.add(r);
        return r;
    }

    static ClusterRef c(int i) {
        return cluster("elb-" + i);
    }

    /** n clusters, each with the given databases downloaded and ABSENT (all candidates). */
    private List<ClusterRef> coldFleet(int n, DatabaseName... dbs) {
        List<ClusterRef> refs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ClusterRef ref = c(i);
            refs.add(ref);
            w.preferences.enable(ref, List.of(dbs));
            for (DatabaseName d : dbs) {
                w.downloaded(ref, d, WarmStatus.ABSENT);
            }
        }
        return refs;
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Records, per cluster, the first entry into and the last exit from any of its port calls. */
    static final class Spans {
        final Map<ClusterRef, long[]> spans = new ConcurrentHashMap<>();

        <T> T around(ClusterRef cluster, java.util.function.Supplier<T> call) {
            long entry = System.nanoTime();
            spans.compute(
                    cluster,
                    (k, v) -> v == null ? new long[] {entry, entry} : new long[] {Math.min(v[0], entry), v[1]});
            try {
                return call.get();
            } finally {
                long exit = System.nanoTime();
                spans.compute(cluster, (k, v) -> new long[] {v[0], Math.max(v[1], exit)});
            }
        }

        /** The largest number of clusters whose [first entry, last exit] overlap at one instant. */
        int maxOverlap() {
            List<long[]> events = new ArrayList<>();
            spans.values().forEach(s -> {
                events.add(new long[] {s[0], +1});
                events.add(new long[] {s[1], -1});
            });
            events.sort((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
            int now = 0;
            int max = 0;
            for (long[] e : events) {
                now += (int) e[1];
                max = Math.max(max, now);
            }
            return max;
        }
    }

    private AutoWarmReconciler.Builder instrumented(Spans spans, long millisPerCall) {
        ClusterReadinessProbe readiness = cl -> spans.around(cl, () -> {
            sleep(millisPerCall);
            return w.readiness.probe(cl);
        });
        WarmStatusProbe statuses = (cl, dbs) -> spans.around(cl, () -> {
            sleep(millisPerCall);
            return w.statuses.statuses(cl, dbs);
        });
        WarmupDispatcher dispatcher = req -> spans.around(req.cluster(), () -> {
            sleep(millisPerCall);
            return w.dispatcher.enqueue(req);
        });
        return AutoWarmReconciler.builder(w.preferences, w.inventory, statuses, w.lock, dispatcher)
                .readiness(readiness)
                .clock(w.clock)
                .observer(w.observer);
    }

    // ---- bounded fan-out ---------------------------------------------------------------------------

    @Test
    void never_more_than_k_clusters_are_in_flight_and_k_are_used() {
        coldFleet(12, CORE_NT, SWISSPROT);
        Spans spans = new Spans();

        TickReport r = build(instrumented(spans, 5).concurrency(3)).tick();

        assertThat(r.enqueuedCount()).isEqualTo(24);
        assertThat(spans.spans).hasSize(12);
        assertThat(spans.maxOverlap())
                .as("clusters in flight at once")
                .isLessThanOrEqualTo(3)
                .isGreaterThanOrEqualTo(2);
    }

    @Test
    void concurrency_one_is_serial() {
        coldFleet(5, CORE_NT);
        Spans spans = new Spans();

        TickReport r = build(instrumented(spans, 2).concurrency(1)).tick();

        assertThat(r.enqueuedCount()).isEqualTo(5);
        assertThat(spans.maxOverlap()).isEqualTo(1);
    }

    @Test
    void the_report_keeps_configuration_order_when_later_clusters_finish_first() {
        List<ClusterRef> refs = coldFleet(6, CORE_NT);
        // the first clusters are the slowest: they finish last
        ClusterReadinessProbe readiness = cl -> {
            sleep(5L * (6 - refs.indexOf(cl)));
            return Readiness.ready();
        };
        List<ClusterRef> finishOrder = new java.util.concurrent.CopyOnWriteArrayList<>();
        WarmupDispatcher dispatcher = req -> {
            finishOrder.add(req.cluster());
            return w.dispatcher.enqueue(req);
        };
        TickReport r = build(AutoWarmReconciler.builder(w.preferences, w.inventory, w.statuses, w.lock, dispatcher)
                        .readiness(readiness))
                .tick();

        assertThat(r.clusters()).extracting(ClusterOutcome::cluster).containsExactlyElementsOf(refs);
        assertThat(finishOrder).hasSize(6).isNotEqualTo(refs);
    }

    @Test
    void a_supplied_executor_runs_the_calls_and_is_not_shut_down_by_close() {
        coldFleet(3, CORE_NT);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        AtomicInteger executed = new AtomicInteger();
        try {
            AutoWarmReconciler r = w.reconcilerBuilder()
                    .executor(task -> {
                        executed.incrementAndGet();
                        pool.execute(task);
                    })
                    .concurrency(4)
                    .build();

            assertThat(r.tick().enqueuedCount()).isEqualTo(3);
            r.close();

            assertThat(executed.get())
                    .as("preferences, inventory, 3 x (readiness, status, dispatch), lock calls")
                    .isGreaterThanOrEqualTo(1 + 1 + 9 + 1);
            assertThat(pool.isShutdown()).isFalse();
            assertThatThrownBy(r::tick)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("closed");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void close_shuts_down_the_reconcilers_own_executor() throws Exception {
        w.preferences.enable(c(0), List.of(CORE_NT));
        CountDownLatch entered = new CountDownLatch(1);
        AtomicBoolean interrupted = new AtomicBoolean();
        ClusterReadinessProbe blocking = cl -> {
            entered.countDown();
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                interrupted.set(true);
            }
            return Readiness.ready();
        };
        AutoWarmReconciler r = w.reconcilerBuilder().readiness(blocking).build();
        Thread ticker = new Thread(() -> {
            try {
                r.tick();
            } catch (RuntimeException ignored) {
                // the tick may end either way once closed
            }
        });
        ticker.setDaemon(true);
        ticker.start();
        assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();

        r.close();

        await().atMost(FINISHES).until(interrupted::get);
        assertThat(r.isClosed()).isTrue();
        assertThatThrownBy(r::tick).isInstanceOf(IllegalStateException.class);
        ticker.interrupt();
    }

    @Test
    void the_builder_validates_the_fleet_options_eagerly() {
        AutoWarmReconciler.Builder b = w.reconcilerBuilder();
        assertThatThrownBy(() -> b.concurrency(0)).hasMessageContaining("'concurrency' must be a positive integer");
        assertThatThrownBy(() -> b.clusterDeadline(Duration.ZERO))
                .hasMessageContaining("'clusterDeadline' must be positive");
        assertThatThrownBy(() -> b.tickDeadline(Duration.ofSeconds(-1)))
                .hasMessageContaining("'tickDeadline' must be positive");
        assertThatThrownBy(() -> b.lockGatherWindow(Duration.ofMillis(-1)))
                .hasMessageContaining("'lockGatherWindow' must not be negative");
        assertThatThrownBy(() -> b.executor(null)).hasMessageContaining("'executor' is required");
        assertThat(AutoWarmReconciler.DEFAULT_CONCURRENCY).isEqualTo(64);
        assertThat(AutoWarmReconciler.DEFAULT_CLUSTER_DEADLINE).isEqualTo(Duration.ofSeconds(30));
    }

    // ---- lock batching -----------------------------------------------------------------------------

    @Test
    void plans_ready_together_share_one_lock_call() {
        coldFleet(4, CORE_NT, SWISSPROT, NR);
        w.preferences.enable(c(10), List.of(CORE_NT)); // all warm: no candidates
        w.downloaded(c(10), CORE_NT, WarmStatus.READY);
        w.preferences.enable(c(11), List.of(CORE_NT)); // not ready
        w.readiness.notReady(c(11), "provisioning");

        TickReport r = build(w.reconcilerBuilder().lockGatherWindow(Duration.ofSeconds(10)))
                .tick();

        assertThat(r.enqueuedCount()).isEqualTo(12);
        assertThat(w.lock.acquireCalls())
                .as("one lock call for the plans that were ready together")
                .isEqualTo(1);
        assertThat(w.inventory.calls()).as("one inventory read for the fleet").isEqualTo(1);
        assertThat(w.statuses.calls()).as("one status call per ready cluster").isEqualTo(5);
    }

    @Test
    void with_the_default_window_lock_calls_are_at_most_one_per_cluster_with_candidates_never_per_database() {
        coldFleet(8, CORE_NT, SWISSPROT, NR);

        TickReport r = build(w.reconcilerBuilder()).tick();

        assertThat(r.enqueuedCount()).isEqualTo(24);
        assertThat(w.lock.acquireCalls()).isBetween(1, 8);
    }

    @Test
    void nothing_cold_means_no_lock_call() {
        for (int i = 0; i < 5; i++) {
            w.preferences.enable(c(i), List.of(CORE_NT, NR));
            w.downloaded(c(i), CORE_NT, WarmStatus.READY).downloaded(c(i), NR, WarmStatus.LOADING);
        }

        TickReport r = build(w.reconcilerBuilder()).tick();

        assertThat(r.clusters()).allMatch(o -> o.status() == ClusterStatus.READY_NOOP);
        assertThat(w.lock.acquireCalls()).isZero();
    }

    @Test
    void a_slow_cluster_holds_back_neither_the_others_lock_call_nor_their_enqueues() {
        List<ClusterRef> refs = coldFleet(10, CORE_NT);
        ClusterRef slow = refs.get(0);
        Set<ClusterRef> enqueuedClusters = ConcurrentHashMap.newKeySet();
        CountDownLatch othersEnqueued = new CountDownLatch(9);
        WarmStatusProbe statuses = (cl, dbs) -> {
            if (cl.equals(slow)) {
                try {
                    // opens only once the nine others have enqueued: if the slow cluster held them back,
                    // it would wait here until its deadline and end in error
                    if (!othersEnqueued.await(15, TimeUnit.SECONDS)) {
                        throw new IllegalStateException("the others never enqueued");
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
            return w.statuses.statuses(cl, dbs);
        };
        WarmupDispatcher dispatcher = req -> {
            DispatchOutcome out = w.dispatcher.enqueue(req);
            if (!req.cluster().equals(slow) && enqueuedClusters.add(req.cluster())) {
                othersEnqueued.countDown();
            }
            return out;
        };
        // default gather window: the others' lock call waits at most that long for the slow plan
        AutoWarmReconciler reconciler =
                build(AutoWarmReconciler.builder(w.preferences, w.inventory, statuses, w.lock, dispatcher)
                        .clusterDeadline(Duration.ofSeconds(20)));

        TickReport r = assertTimeoutPreemptively(FINISHES.plusSeconds(10), () -> reconciler.tick());

        assertThat(r.clusters()).allMatch(o -> o.status() == ClusterStatus.TRIGGERED);
        assertThat(w.lock.acquireCalls())
                .as("the slow cluster took its own lock call")
                .isGreaterThanOrEqualTo(2);
    }

    // ---- deadlines ---------------------------------------------------------------------------------

    @Test
    void a_cluster_past_its_deadline_ends_error_with_its_stage_and_is_interrupted() {
        coldFleet(3, CORE_NT);
        ClusterRef stuck = c(1);
        AtomicBoolean interrupted = new AtomicBoolean();
        WarmStatusProbe statuses = (cl, dbs) -> {
            if (cl.equals(stuck)) {
                try {
                    Thread.sleep(60_000);
                } catch (InterruptedException e) {
                    interrupted.set(true);
                    throw new IllegalStateException("interrupted");
                }
            }
            return w.statuses.statuses(cl, dbs);
        };
        AutoWarmReconciler reconciler =
                build(AutoWarmReconciler.builder(w.preferences, w.inventory, statuses, w.lock, w.dispatcher)
                        .observer(w.observer)
                        .clusterDeadline(Duration.ofMillis(300)));

        TickReport r = assertTimeoutPreemptively(FINISHES, () -> reconciler.tick());

        ClusterOutcome o = r.outcome(stuck).orElseThrow();
        assertThat(o.status()).isEqualTo(ClusterStatus.ERROR);
        assertThat(o.detail()).isEqualTo("warm_status: deadline exceeded after 300 ms");
        assertThat(r.outcome(c(0)).orElseThrow().status()).isEqualTo(ClusterStatus.TRIGGERED);
        assertThat(r.outcome(c(2)).orElseThrow().status()).isEqualTo(ClusterStatus.TRIGGERED);
        assertThat(r.deadlineExceeded()).as("the tick itself met its deadline").isFalse();
        assertThat(w.observer.probeFailures).containsExactly("elb-1:warm_status");
        await().atMost(FINISHES).until(interrupted::get);
    }

    @Test
    void the_late_result_of_an_abandoned_cluster_is_discarded() throws Exception {
        coldFleet(2, CORE_NT);
        ClusterRef late = c(0);
        CountDownLatch answered = new CountDownLatch(1);
        WarmStatusProbe statuses = (cl, dbs) -> {
            if (cl.equals(late)) {
                long until = System.nanoTime() + Duration.ofMillis(700).toNanos();
                while (System.nanoTime() < until) { // ignores the interrupt, as some clients do
                    Thread.onSpinWait();
                    Thread.interrupted();
                }
                answered.countDown();
            }
            return w.statuses.statuses(cl, dbs);
        };
        AutoWarmReconciler reconciler =
                build(AutoWarmReconciler.builder(w.preferences, w.inventory, statuses, w.lock, w.dispatcher)
                        .clusterDeadline(Duration.ofMillis(200)));

        TickReport r = reconciler.tick();
        assertThat(answered.await(10, TimeUnit.SECONDS)).isTrue();
        Thread.sleep(300); // time for anything the late answer could still cause

        assertThat(r.outcome(late).orElseThrow().detail()).isEqualTo("warm_status: deadline exceeded after 200 ms");
        assertThat(w.dispatcher.count(new InflightKey(late, CORE_NT))).isZero();
        assertThat(w.lock.holder(new InflightKey(late, CORE_NT))).isEmpty();
        assertThat(w.dispatcher.count(new InflightKey(c(1), CORE_NT))).isEqualTo(1);
    }

    @Test
    void past_the_deadline_during_dispatch_nothing_more_is_dispatched_and_unused_locks_are_released() {
        coldFleet(1, CORE_NT, SWISSPROT, NR);
        ClusterRef cl = c(0);
        LockToken mine = LockToken.of("this-tick");
        AtomicInteger dispatches = new AtomicInteger();
        WarmupDispatcher hanging = req -> {
            dispatches.incrementAndGet();
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new DispatchException("interrupted");
            }
            return DispatchOutcome.ENQUEUED;
        };
        AutoWarmReconciler reconciler =
                build(AutoWarmReconciler.builder(w.preferences, w.inventory, w.statuses, w.lock, hanging)
                        .tokens(() -> mine)
                        .clusterDeadline(Duration.ofMillis(300)));

        TickReport r = assertTimeoutPreemptively(FINISHES, () -> reconciler.tick());

        assertThat(r.outcome(cl).orElseThrow().detail()).isEqualTo("enqueue: deadline exceeded after 300 ms");
        for (DatabaseName d : List.of(CORE_NT, SWISSPROT, NR)) {
            await().atMost(FINISHES)
                    .until(() -> w.lock.holder(new InflightKey(cl, d)).isEmpty());
        }
        assertThat(dispatches.get()).isEqualTo(1);
    }

    @Test
    void past_the_deadline_while_the_lock_answers_every_cluster_is_error_and_the_late_locks_are_released() {
        List<ClusterRef> refs = coldFleet(3, CORE_NT);
        CountDownLatch lockAnswered = new CountDownLatch(1);
        InflightLock slowLock = new InflightLock() {
            @Override
            public Map<InflightKey, Acquisition> tryAcquireAll(Set<InflightKey> keys, LockToken token, Duration ttl) {
                long until = System.nanoTime() + Duration.ofMillis(600).toNanos();
                while (System.nanoTime() < until) {
                    Thread.onSpinWait();
                }
                try {
                    return w.lock.tryAcquireAll(keys, token, ttl);
                } finally {
                    lockAnswered.countDown();
                }
            }

            @Override
            public ReleaseResult release(InflightKey key, LockToken token) {
                return w.lock.release(key, token);
            }
        };
        AutoWarmReconciler reconciler =
                build(AutoWarmReconciler.builder(w.preferences, w.inventory, w.statuses, slowLock, w.dispatcher)
                        .clusterDeadline(Duration.ofMillis(200)));

        TickReport r = reconciler.tick();

        assertThat(r.clusters())
                .allSatisfy(o -> assertThat(o.detail()).isEqualTo("lock: deadline exceeded after 200 ms"));
        await().atMost(FINISHES).until(() -> lockAnswered.getCount() == 0);
        for (ClusterRef cl : refs) {
            await().atMost(FINISHES)
                    .until(() -> w.lock.holder(new InflightKey(cl, CORE_NT)).isEmpty());
        }
        assertThat(w.dispatcher.enqueued()).isEmpty();
    }

    @Test
    void the_tick_deadline_ends_the_tick_and_cuts_off_the_clusters_not_done() {
        List<ClusterRef> refs = coldFleet(6, CORE_NT);
        ClusterReadinessProbe slow = cl -> {
            sleep(150);
            return Readiness.ready();
        };
        AutoWarmReconciler reconciler =
                build(w.reconcilerBuilder().readiness(slow).concurrency(1).tickDeadline(Duration.ofMillis(400)));

        TickReport r = assertTimeoutPreemptively(FINISHES, () -> reconciler.tick());

        assertThat(r.deadlineExceeded()).isTrue();
        assertThat(TickReportJson.toJson(r)).contains("\"deadline_exceeded\":true");
        assertThat(r.clusters()).extracting(ClusterOutcome::cluster).containsExactlyElementsOf(refs);
        assertThat(r.outcome(refs.get(0)).orElseThrow().status()).isEqualTo(ClusterStatus.TRIGGERED);
        ClusterOutcome last = r.outcome(refs.get(5)).orElseThrow();
        assertThat(last.status()).isEqualTo(ClusterStatus.ERROR);
        assertThat(last.detail()).isEqualTo("queued: tick deadline exceeded after 400 ms");
        assertThat(r.clusters())
                .anySatisfy(o -> assertThat(o.detail()).startsWith("readiness: tick deadline exceeded"));
    }

    @Test
    void preferences_that_never_answer_fail_the_tick_at_its_deadline() {
        AutoWarmPreferences hanging = new AutoWarmPreferences() {
            @Override
            public List<AutoWarmPreference> enabledClusters() {
                sleep(60_000);
                return List.of();
            }

            @Override
            public void recordReadiness(ClusterRef cluster, boolean ready) {}
        };
        AutoWarmReconciler reconciler =
                build(AutoWarmReconciler.builder(hanging, w.inventory, w.statuses, w.lock, w.dispatcher)
                        .tickDeadline(Duration.ofMillis(300)));

        assertTimeoutPreemptively(
                FINISHES,
                () -> assertThatThrownBy(reconciler::tick)
                        .isInstanceOf(DeadlineExceededException.class)
                        .hasMessage("preferences: tick deadline exceeded after 300 ms"));
    }

    // ---- dispatch failures, force and observers ----------------------------------------------------

    @Test
    void after_the_first_failed_dispatch_the_rest_of_the_cluster_is_skipped_at_once_and_its_locks_released() {
        coldFleet(2, CORE_NT, SWISSPROT, NR);
        LockToken mine = LockToken.of("this-tick");
        AtomicInteger calls = new AtomicInteger();
        WarmupDispatcher failingOnFirst = req -> {
            calls.incrementAndGet();
            if (req.cluster().equals(c(0))) {
                throw new DispatchException("request timed out");
            }
            return w.dispatcher.enqueue(req);
        };
        TickReport r = build(AutoWarmReconciler.builder(w.preferences, w.inventory, w.statuses, w.lock, failingOnFirst)
                        .tokens(() -> mine))
                .tick();

        ClusterOutcome failed = r.outcome(c(0)).orElseThrow();
        assertThat(failed.skipped())
                .containsExactly(
                        new Skip(CORE_NT, SkipReason.ENQUEUE_FAILED),
                        new Skip(SWISSPROT, SkipReason.ENQUEUE_FAILED),
                        new Skip(NR, SkipReason.ENQUEUE_FAILED));
        assertThat(failed.status()).isEqualTo(ClusterStatus.WAITING);
        assertThat(calls.get()).as("one dispatch for c0, three for c1").isEqualTo(4);
        for (DatabaseName d : List.of(CORE_NT, SWISSPROT, NR)) {
            assertThat(w.lock.holder(new InflightKey(c(0), d))).isEmpty();
            assertThat(w.lock.holder(new InflightKey(c(1), d))).contains(mine);
        }
        assertThat(r.outcome(c(1)).orElseThrow().enqueued()).containsExactly(CORE_NT, SWISSPROT, NR);
    }

    @Test
    void a_conflict_is_not_a_failure_and_the_next_database_is_still_dispatched() {
        WarmWorld idem = new WarmWorld(new RecordingWarmupDispatcher(true));
        idem.preferences.enable(c(0), List.of(CORE_NT, SWISSPROT));
        idem.downloaded(c(0), CORE_NT, WarmStatus.ABSENT).downloaded(c(0), SWISSPROT, WarmStatus.ABSENT);
        idem.dispatcher.enqueue(new WarmupRequest(c(0), CORE_NT, false)); // started elsewhere: 409

        TickReport r = idem.reconciler().tick();

        assertThat(r.outcome(c(0)).orElseThrow().skipped()).containsExactly(new Skip(CORE_NT, SkipReason.INFLIGHT));
        assertThat(r.outcome(c(0)).orElseThrow().enqueued()).containsExactly(SWISSPROT);
    }

    @Test
    void a_fail_open_under_force_is_counted_too() {
        coldFleet(1, CORE_NT, SWISSPROT);
        w.lock.faults().unavailable();

        TickReport r = build(w.reconcilerBuilder()).tick(true);

        assertThat(r.outcome(c(0)).orElseThrow().failOpen()).isEqualTo(2);
        assertThat(w.observer.failedOpen).containsExactly("elb-0/core_nt", "elb-0/swissprot");
    }

    @Test
    void an_observer_that_throws_never_turns_a_dispatched_warmup_into_enqueue_failed() {
        coldFleet(1, CORE_NT);
        w.lock.faults().unavailable();
        AutoWarmObserver hostile = new AutoWarmObserver() {
            @Override
            public void lockFailedOpen(ClusterRef cluster, DatabaseName db) {
                throw new IllegalStateException("metrics bug");
            }

            @Override
            public void enqueued(ClusterRef cluster, DatabaseName db) {
                throw new IllegalStateException("metrics bug");
            }

            @Override
            public void tickCompleted(TickReport report, Duration duration) {
                throw new IllegalStateException("metrics bug");
            }
        };

        TickReport r = build(w.reconcilerBuilder().observer(hostile)).tick();

        assertThat(r.outcome(c(0)).orElseThrow().enqueued()).containsExactly(CORE_NT);
        assertThat(r.outcome(c(0)).orElseThrow().skipped()).isEmpty();
        assertThat(r.outcome(c(0)).orElseThrow().failOpen()).isEqualTo(1);
        assertThat(w.dispatcher.count(new InflightKey(c(0), CORE_NT))).isEqualTo(1);
        assertThat(Optional.of(r.status())).contains("completed");
    }
}
