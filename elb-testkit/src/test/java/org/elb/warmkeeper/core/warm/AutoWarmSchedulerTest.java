package org.elb.warmkeeper.core.warm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.elb.warmkeeper.core.warm.WarmWorld.cluster;
import static org.elb.warmkeeper.core.warm.WarmWorld.db;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.elb.warmkeeper.core.cluster.ClusterRef;
import org.elb.warmkeeper.core.cluster.DatabaseName;
import org.elb.warmkeeper.testkit.FakeLeaderElection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * AutoWarmScheduler on a real executor: ticks never overlap, a throwing tick does not stop the schedule,
 * close waits for the running tick, and only the leader ticks. Waits use Awaitility; nothing asserts on
 * elapsed time.
 */
class AutoWarmSchedulerTest {

    static final ClusterRef A = cluster("elb-a");
    static final DatabaseName CORE_NT = db("core_nt");

    final WarmWorld w = new WarmWorld();
    AutoWarmScheduler scheduler;

    @AfterEach
    void stop() {
        if (scheduler != null) {
            scheduler.close();
        }
    }

    /** A status probe that counts how many ticks are inside it at once, and can block. */
    static final class GatedProbe implements WarmStatusProbe {
        final WarmStatusProbe delegate;
        final AtomicInteger inside = new AtomicInteger();
        final AtomicInteger maxInside = new AtomicInteger();
        final AtomicInteger calls = new AtomicInteger();
        volatile CountDownLatch gate = new CountDownLatch(0);
        final CountDownLatch entered = new CountDownLatch(1);
        final AtomicBoolean interrupted = new AtomicBoolean();
        final AtomicLong finishedCalls = new AtomicLong();
        final List<long[]> spans = new java.util.concurrent.CopyOnWriteArrayList<>(); // {entry, exit} nanoTime

        GatedProbe(WarmStatusProbe delegate) {
            this.delegate = delegate;
        }

        @Override
        public Map<DatabaseName, WarmStatus> statuses(ClusterRef cluster, Set<DatabaseName> databases) {
            long entry = System.nanoTime();
            int now = inside.incrementAndGet();
            maxInside.accumulateAndGet(now, Math::max);
            calls.incrementAndGet();
            entered.countDown();
            try {
                if (!gate.await(30, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("gate never opened");
                }
                return delegate.statuses(cluster, databases);
            } catch (InterruptedException e) {
                interrupted.set(true);
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            } finally {
                inside.decrementAndGet();
                finishedCalls.incrementAndGet();
                spans.add(new long[] {entry, System.nanoTime()});
            }
        }
    }

    private AutoWarmReconciler reconcilerWith(WarmStatusProbe probe) {
        return AutoWarmReconciler.builder(w.preferences, w.inventory, probe, w.lock, w.dispatcher)
                .clock(w.clock)
                .observer(w.observer)
                .build();
    }

    @Test
    void a_slow_tick_with_a_short_interval_never_overlaps_the_next() {
        w.preferences.enable(A, List.of(CORE_NT));
        w.downloaded(A, CORE_NT, WarmStatus.READY);
        w.statuses.faults().slow(Duration.ofMillis(20)); // each tick takes 20x the interval
        GatedProbe probe = new GatedProbe(w.statuses);
        scheduler = AutoWarmScheduler.builder(reconcilerWith(probe))
                .interval(Duration.ofMillis(1))
                .build()
                .start();

        await().atMost(Duration.ofSeconds(20)).until(() -> scheduler.completedTicks() >= 8);

        assertThat(probe.maxInside.get()).as("max concurrent ticks").isEqualTo(1);
        assertThat(scheduler.failedTicks()).isZero();
        assertThat(scheduler.lastReport())
                .hasValueSatisfying(
                        r -> assertThat(r.outcome(A).orElseThrow().status()).isEqualTo(ClusterStatus.READY_NOOP));
    }

    @Test
    void the_delay_runs_from_the_end_of_a_tick_not_from_its_start() {
        // A tick slower than the interval: at a fixed rate the next would start as soon as it ends. With a
        // fixed delay, at least the interval separates the end of one tick from the start of the next.
        // (A lower bound only: a slow machine makes the gaps longer, never shorter.)
        w.preferences.enable(A, List.of(CORE_NT));
        w.downloaded(A, CORE_NT, WarmStatus.READY);
        w.statuses.faults().slow(Duration.ofMillis(60));
        GatedProbe probe = new GatedProbe(w.statuses);
        Duration interval = Duration.ofMillis(40);
        scheduler = AutoWarmScheduler.builder(reconcilerWith(probe))
                .interval(interval)
                .build()
                .start();

        await().until(() -> probe.spans.size() >= 4);

        List<long[]> spans = List.copyOf(probe.spans);
        for (int i = 0; i + 1 < spans.size(); i++) {
            long gap = spans.get(i + 1)[0] - spans.get(i)[1];
            assertThat(gap).as("gap after tick %d", i).isGreaterThanOrEqualTo(interval.toNanos());
        }
    }

    @Test
    void a_throwing_tick_does_not_stop_the_schedule() {
        w.preferences.enable(A, List.of(CORE_NT));
        w.downloaded(A, CORE_NT, WarmStatus.ABSENT);
        w.preferences.faults().failNext(3);
        scheduler = AutoWarmScheduler.builder(w.reconciler())
                .interval(Duration.ofMillis(1))
                .observer(w.observer)
                .build()
                .start();

        await().until(() -> scheduler.completedTicks() >= 2);

        assertThat(scheduler.failedTicks()).isEqualTo(3);
        assertThat(w.observer.tickFailures).hasSize(3);
        assertThat(w.dispatcher.enqueued()).isNotEmpty();
    }

    @Test
    void an_observer_that_throws_on_a_failed_tick_does_not_stop_the_schedule_either() {
        w.preferences.enable(A, List.of(CORE_NT));
        w.preferences.faults().failNext(2);
        AutoWarmObserver hostile = new AutoWarmObserver() {
            @Override
            public void tickFailed(Throwable error) {
                throw new IllegalStateException("observer bug");
            }
        };
        scheduler = AutoWarmScheduler.builder(w.reconciler())
                .interval(Duration.ofMillis(1))
                .observer(hostile)
                .build()
                .start();

        await().until(() -> scheduler.completedTicks() >= 1);
        assertThat(scheduler.failedTicks()).isEqualTo(2);
    }

    @Test
    void close_waits_for_the_running_tick_and_no_tick_starts_after() throws Exception {
        w.preferences.enable(A, List.of(CORE_NT));
        w.downloaded(A, CORE_NT, WarmStatus.ABSENT);
        GatedProbe probe = new GatedProbe(w.statuses);
        probe.gate = new CountDownLatch(1);
        scheduler = AutoWarmScheduler.builder(reconcilerWith(probe))
                .interval(Duration.ofMillis(1))
                .build()
                .start();
        assertThat(probe.entered.await(10, TimeUnit.SECONDS)).isTrue();

        AtomicLong ticksWhenCloseReturned = new AtomicLong(-1);
        Thread closer = new Thread(
                () -> {
                    scheduler.close();
                    ticksWhenCloseReturned.set(scheduler.completedTicks());
                },
                "closer");
        closer.start();
        await().until(() ->
                closer.getState() == Thread.State.TIMED_WAITING || closer.getState() == Thread.State.WAITING);
        assertThat(closer.isAlive()).as("close is waiting for the running tick").isTrue();

        probe.gate.countDown();
        closer.join(10_000);

        assertThat(closer.isAlive()).isFalse();
        assertThat(ticksWhenCloseReturned.get())
                .as("the running tick completed before close returned")
                .isEqualTo(1);
        assertThat(probe.interrupted.get()).isFalse();
        assertThat(w.dispatcher.enqueued()).hasSize(1);
        await().during(Duration.ofMillis(100)).atMost(Duration.ofSeconds(2)).until(() -> probe.calls.get() == 1);
        scheduler = null;
    }

    @Test
    void close_interrupts_a_tick_that_outlives_the_shutdown_timeout() throws Exception {
        w.preferences.enable(A, List.of(CORE_NT));
        w.downloaded(A, CORE_NT, WarmStatus.ABSENT);
        GatedProbe probe = new GatedProbe(w.statuses);
        probe.gate = new CountDownLatch(1); // never opened
        AutoWarmScheduler s = AutoWarmScheduler.builder(reconcilerWith(probe))
                .interval(Duration.ofMillis(1))
                .shutdownTimeout(Duration.ofMillis(50))
                .build()
                .start();
        assertThat(probe.entered.await(10, TimeUnit.SECONDS)).isTrue();

        s.close();

        await().until(probe.interrupted::get);
        // the interrupted probe failed that cluster only; the tick itself ended
        await().until(() -> s.lastReport().isPresent());
        assertThat(s.lastReport().get().outcome(A).orElseThrow().status()).isEqualTo(ClusterStatus.ERROR);
    }

    @Test
    void a_tick_cut_short_by_its_deadline_is_counted_and_the_schedule_goes_on() {
        w.preferences.enable(A, List.of(CORE_NT));
        w.downloaded(A, CORE_NT, WarmStatus.ABSENT);
        AtomicInteger probes = new AtomicInteger();
        ClusterReadinessProbe hangsOnce = c -> {
            if (probes.incrementAndGet() == 1) {
                try {
                    Thread.sleep(60_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted", e);
                }
            }
            return Readiness.ready();
        };
        AutoWarmReconciler reconciler = w.reconcilerBuilder()
                .readiness(hangsOnce)
                .tickDeadline(Duration.ofMillis(200))
                .build();
        scheduler = AutoWarmScheduler.builder(reconciler)
                .interval(Duration.ofMillis(1))
                .build()
                .start();

        await().atMost(Duration.ofSeconds(20)).until(() -> scheduler.completedTicks() >= 2);

        assertThat(scheduler.abandonedTicks()).isEqualTo(1);
        assertThat(scheduler.failedTicks()).isZero();
        assertThat(w.dispatcher.enqueued()).extracting(WarmupRequest::database).containsExactly(CORE_NT);
        reconciler.close();
    }

    @Test
    void a_tick_whose_preferences_never_answer_fails_at_its_deadline_and_the_schedule_goes_on() {
        w.preferences.enable(A, List.of(CORE_NT));
        w.downloaded(A, CORE_NT, WarmStatus.ABSENT);
        AtomicInteger reads = new AtomicInteger();
        AutoWarmPreferences hangsOnce = new AutoWarmPreferences() {
            @Override
            public List<AutoWarmPreference> enabledClusters() {
                if (reads.incrementAndGet() == 1) {
                    try {
                        Thread.sleep(60_000);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                return w.preferences.enabledClusters();
            }

            @Override
            public void recordReadiness(ClusterRef cluster, boolean ready) {
                w.preferences.recordReadiness(cluster, ready);
            }
        };
        AutoWarmReconciler reconciler = AutoWarmReconciler.builder(
                        hangsOnce, w.inventory, w.statuses, w.lock, w.dispatcher)
                .tickDeadline(Duration.ofMillis(200))
                .build();
        scheduler = AutoWarmScheduler.builder(reconciler)
                .interval(Duration.ofMillis(1))
                .observer(w.observer)
                .build()
                .start();

        await().atMost(Duration.ofSeconds(20)).until(() -> scheduler.completedTicks() >= 1);

        assertThat(scheduler.failedTicks()).isEqualTo(1);
        assertThat(w.observer.tickFailures).singleElement().isInstanceOf(DeadlineExceededException.class);
        assertThat(w.dispatcher.enqueued()).isNotEmpty();
        reconciler.close();
    }

    @Test
    void only_the_leader_ticks() {
        w.preferences.enable(A, List.of(CORE_NT));
        w.downloaded(A, CORE_NT, WarmStatus.ABSENT);
        FakeLeaderElection leader = new FakeLeaderElection(false);
        scheduler = AutoWarmScheduler.builder(w.reconciler())
                .interval(Duration.ofMillis(1))
                .leaderElection(leader)
                .build()
                .start();

        await().until(() -> scheduler.followerSkips() >= 3);
        assertThat(scheduler.completedTicks()).isZero();
        assertThat(w.dispatcher.enqueued()).isEmpty();
        assertThat(w.preferences.readyEdges())
                .as("a follower does not even read preferences")
                .isEmpty();

        leader.setLeader(true);
        await().until(() -> scheduler.completedTicks() >= 1);
        assertThat(w.dispatcher.enqueued()).extracting(WarmupRequest::database).contains(CORE_NT);

        leader.setLeader(false);
        long skips = scheduler.followerSkips();
        await().until(() -> scheduler.followerSkips() > skips);
    }

    @Test
    void starting_twice_is_an_error_and_the_builder_validates_eagerly() {
        scheduler = AutoWarmScheduler.builder(w.reconciler())
                .interval(Duration.ofHours(1))
                .initialDelay(Duration.ofHours(1))
                .build()
                .start();
        assertThatThrownBy(scheduler::start).isInstanceOf(IllegalStateException.class);
        AutoWarmScheduler.Builder b = AutoWarmScheduler.builder(w.reconciler());
        assertThatThrownBy(() -> b.interval(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'interval' must be positive");
        assertThatThrownBy(() -> b.initialDelay(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'initialDelay' must not be negative");
        assertThatThrownBy(() -> b.shutdownTimeout(Duration.ZERO))
                .hasMessageContaining("'shutdownTimeout' must be positive");
        assertThatThrownBy(() -> AutoWarmScheduler.builder(null)).hasMessageContaining("'reconciler' is required");
        assertThat(AutoWarmScheduler.DEFAULT_INTERVAL).isEqualTo(Duration.ofMinutes(1));
    }
}
