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
import java.util.concurrent.atomic.AtomicInteger;
import org.elb.warmkeeper.core.cluster.ClusterRef;
import org.elb.warmkeeper.core.cluster.DatabaseName;
import org.elb.warmkeeper.testkit.FakeLeaderElection;
import org.elb.warmkeeper.testkit.FakeWarmStatusProbe;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The scheduler reacts to the changes a watching probe reports (the testkit's fakes are watching probes):
 * it runs the changed cluster only, long before the next tick (the interval is an hour), coalesces a
 * burst into one run, never has two runs at once, and reacts only while it leads. Counts, latches and
 * bounded waits; no assertion on elapsed time.
 */
class AutoWarmSchedulerReactionTest {

    static final ClusterRef A = cluster("elb-a");
    static final ClusterRef B = cluster("elb-b");
    static final DatabaseName CORE_NT = db("core_nt");
    static final Duration HOUR = Duration.ofHours(1);
    static final Duration WAIT = Duration.ofSeconds(20);

    final WarmWorld w = new WarmWorld();
    AutoWarmScheduler scheduler;

    @AfterEach
    void stop() {
        if (scheduler != null) {
            scheduler.close();
        }
    }

    /** Both clusters configured and READY: the first tick enqueues nothing. */
    private void twoWarmClusters() {
        w.preferences.enable(A, List.of(CORE_NT));
        w.preferences.enable(B, List.of(CORE_NT));
        w.downloaded(A, CORE_NT, WarmStatus.READY);
        w.downloaded(B, CORE_NT, WarmStatus.READY);
    }

    private AutoWarmScheduler.Builder hourly(AutoWarmReconciler reconciler) {
        return AutoWarmScheduler.builder(reconciler).interval(HOUR).changeQuiet(Duration.ofMillis(50));
    }

    private void awaitFirstTick() {
        await().atMost(WAIT).until(() -> scheduler.completedTicks() == 1);
    }

    @Test
    void a_database_leaving_ready_runs_its_cluster_only_long_before_the_next_tick() {
        twoWarmClusters();
        scheduler = hourly(w.reconciler()).build().start();
        awaitFirstTick();
        assertThat(w.dispatcher.enqueued()).isEmpty();

        w.statuses.set(A, CORE_NT, WarmStatus.ABSENT); // the pod was deleted: the watching probe tells

        await().atMost(WAIT).until(() -> scheduler.changeRuns() == 1);
        assertThat(w.dispatcher.enqueued()).extracting(r -> r.key().cluster()).containsExactly(A);
        assertThat(w.observer.clusterRuns).hasSize(1);
        assertThat(w.observer.clusterRuns.get(0).clusters())
                .extracting(ClusterOutcome::cluster)
                .containsExactly(A);
        assertThat(w.observer.ticks)
                .as("a run of changed clusters is not a tick")
                .hasSize(1);
        assertThat(scheduler.completedTicks()).isEqualTo(1);
    }

    @Test
    void a_cluster_whose_nodes_become_ready_is_run_before_the_next_tick() {
        w.preferences.enable(A, List.of(CORE_NT));
        w.downloaded(A, CORE_NT, WarmStatus.ABSENT);
        w.readiness.notReady(A, "0 of 1 nodes Ready");
        scheduler = hourly(w.reconciler()).build().start();
        awaitFirstTick();
        assertThat(w.dispatcher.enqueued()).isEmpty();

        w.readiness.ready(A);

        await().atMost(WAIT).until(() -> w.dispatcher.enqueued().size() == 1);
        assertThat(scheduler.changeRuns()).isEqualTo(1);
        assertThat(scheduler.completedTicks()).isEqualTo(1);
    }

    @Test
    void a_thousand_changes_in_one_burst_make_one_run() {
        twoWarmClusters();
        scheduler = AutoWarmScheduler.builder(w.reconciler())
                .interval(HOUR)
                .changeQuiet(Duration.ofSeconds(1)) // generous: the loop below takes far less between two changes
                .changeMaxDelay(Duration.ofSeconds(30))
                .build()
                .start();
        awaitFirstTick();
        int probeCallsAfterTick = w.statuses.calls();

        for (int i = 0; i < 1000; i++) {
            w.statuses.announce(A);
        }

        await().atMost(WAIT).until(() -> scheduler.changeRuns() == 1);
        await().during(Duration.ofMillis(1500)).atMost(WAIT).until(() -> scheduler.changeRuns() == 1);
        assertThat(scheduler.changesSeen()).isEqualTo(1000);
        assertThat(w.statuses.calls() - probeCallsAfterTick)
                .as("status probe calls for 1000 changes")
                .isEqualTo(1);
    }

    @Test
    void a_change_during_a_run_makes_one_more_run_after_it_never_two_at_once() throws Exception {
        w.preferences.enable(A, List.of(CORE_NT));
        w.downloaded(A, CORE_NT, WarmStatus.READY);
        GatedWatchingProbe probe = new GatedWatchingProbe(w.statuses);
        AutoWarmReconciler reconciler = AutoWarmReconciler.builder(
                        w.preferences, w.inventory, probe, w.lock, w.dispatcher)
                .clock(w.clock)
                .build();
        scheduler = hourly(reconciler).build().start();
        awaitFirstTick();
        probe.gate = new CountDownLatch(1);
        probe.entered = new CountDownLatch(1);

        w.statuses.announce(A);
        assertThat(probe.entered.await(20, TimeUnit.SECONDS)).isTrue(); // the run is inside the probe
        for (int i = 0; i < 50; i++) {
            w.statuses.announce(A); // seen while A runs: the run may have read the old picture
        }
        probe.gate.countDown();

        await().atMost(WAIT).until(() -> scheduler.changeRuns() == 2);
        await().during(Duration.ofMillis(500)).atMost(WAIT).until(() -> scheduler.changeRuns() == 2);
        assertThat(probe.maxInside.get()).as("runs inside the probe at once").isEqualTo(1);
        assertThat(probe.calls.get()).as("one tick and two runs").isEqualTo(3);
    }

    @Test
    void a_follower_does_not_react_and_reacts_once_it_leads() {
        twoWarmClusters();
        FakeLeaderElection leader = new FakeLeaderElection(false);
        scheduler = hourly(w.reconciler()).leaderElection(leader).build().start();
        await().atMost(WAIT).until(() -> scheduler.followerSkips() == 1);

        w.statuses.set(A, CORE_NT, WarmStatus.FAILED);

        await().atMost(WAIT).until(() -> scheduler.changesIgnoredAsFollower() == 1);
        assertThat(scheduler.changeRuns()).isZero();
        assertThat(w.dispatcher.enqueued()).isEmpty();
        assertThat(w.statuses.calls()).as("a follower asks no probe").isZero();

        leader.setLeader(true);
        w.statuses.set(A, CORE_NT, WarmStatus.READY).set(A, CORE_NT, WarmStatus.FAILED);

        await().atMost(WAIT).until(() -> w.dispatcher.enqueued().size() == 1);
        assertThat(scheduler.changeRuns()).isEqualTo(1);
    }

    @Test
    void turned_off_or_closed_it_does_not_react() {
        twoWarmClusters();
        scheduler = hourly(w.reconciler()).reactToChanges(false).build().start();
        awaitFirstTick();

        w.statuses.set(A, CORE_NT, WarmStatus.FAILED);
        await().during(Duration.ofMillis(500)).atMost(WAIT).until(() -> scheduler.changesSeen() == 0);
        assertThat(scheduler.changeRuns()).isZero();
        scheduler.close();

        AutoWarmScheduler reacting = hourly(w.reconciler()).build().start();
        await().atMost(WAIT).until(() -> reacting.completedTicks() == 1);
        reacting.close();
        int enqueued = w.dispatcher.enqueued().size();
        w.statuses.set(A, CORE_NT, WarmStatus.READY).set(A, CORE_NT, WarmStatus.FAILED);
        assertThat(reacting.changesSeen())
                .as("a closed scheduler has unsubscribed")
                .isZero();
        assertThat(w.dispatcher.enqueued()).hasSize(enqueued);
    }

    @Test
    void all_of_keeps_the_watching_capability_of_the_probes_it_composes() {
        ClusterReadinessProbe plain = c -> Readiness.ready();
        assertThat(ClusterReadinessProbe.allOf(plain, plain)).isNotInstanceOf(WatchingReadinessProbe.class);

        ClusterReadinessProbe composed = ClusterReadinessProbe.allOf(plain, w.readiness);
        assertThat(composed).isInstanceOf(WatchingReadinessProbe.class);
        AtomicInteger told = new AtomicInteger();
        try (ChangeSubscription s = ((WatchingReadinessProbe) composed).subscribe(c -> told.incrementAndGet())) {
            w.readiness.notReady(A, "down").ready(A);
            assertThat(told).hasValue(1);
        }
        w.readiness.notReady(A, "down").ready(A);
        assertThat(told).as("closed subscription").hasValue(1);
    }

    @Test
    void change_bounds_are_validated() {
        AutoWarmReconciler r = w.reconciler();
        assertThatThrownBy(() -> AutoWarmScheduler.builder(r).changeQuiet(Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'changeQuiet' must not be negative");
        assertThatThrownBy(() -> AutoWarmScheduler.builder(r)
                        .changeQuiet(Duration.ofSeconds(10))
                        .changeMaxDelay(Duration.ofSeconds(1))
                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'changeMaxDelay' must not be shorter than 'changeQuiet'");
    }

    /** A watching probe (the fake's subscriptions) that counts the calls inside it at once and can block. */
    static final class GatedWatchingProbe implements WatchingWarmStatusProbe {
        final FakeWarmStatusProbe delegate;
        final AtomicInteger inside = new AtomicInteger();
        final AtomicInteger maxInside = new AtomicInteger();
        final AtomicInteger calls = new AtomicInteger();
        volatile CountDownLatch gate = new CountDownLatch(0);
        volatile CountDownLatch entered = new CountDownLatch(0);

        GatedWatchingProbe(FakeWarmStatusProbe delegate) {
            this.delegate = delegate;
        }

        @Override
        public Map<DatabaseName, WarmStatus> statuses(ClusterRef cluster, Set<DatabaseName> databases) {
            maxInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
            calls.incrementAndGet();
            entered.countDown();
            try {
                if (!gate.await(30, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("gate never opened");
                }
                return delegate.statuses(cluster, databases);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            } finally {
                inside.decrementAndGet();
            }
        }

        @Override
        public ChangeSubscription subscribe(ClusterChangeListener listener) {
            return delegate.subscribe(listener);
        }
    }
}
