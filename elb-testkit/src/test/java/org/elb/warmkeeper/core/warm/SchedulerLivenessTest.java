package org.elb.warmkeeper.core.warm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.elb.warmkeeper.core.warm.WarmWorld.cluster;
import static org.elb.warmkeeper.core.warm.WarmWorld.db;

import java.time.Duration;
import java.util.List;
import org.elb.warmkeeper.core.cluster.ClusterRef;
import org.elb.warmkeeper.core.cluster.DatabaseName;
import org.elb.warmkeeper.testkit.FakeLeaderElection;
import org.elb.warmkeeper.testkit.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The one stall rule (the runner's health and the starter's): a schedule is stalled once its count of
 * ticks has not moved for two intervals plus the grace; a follower's skips count. A real scheduler with a
 * long interval ticks once; the health's clock is a fake one that the test moves.
 */
class SchedulerLivenessTest {

    static final ClusterRef A = cluster("elb-a");
    static final DatabaseName CORE_NT = db("core_nt");
    static final Duration INTERVAL = Duration.ofHours(1);

    final WarmWorld w = new WarmWorld();
    final MutableClock healthClock = MutableClock.start();
    AutoWarmScheduler scheduler;

    @AfterEach
    void stop() {
        scheduler.close();
    }

    @Test
    void stalled_only_after_two_intervals_and_the_grace_without_a_tick() {
        w.preferences.enable(A, List.of(CORE_NT));
        w.downloaded(A, CORE_NT, WarmStatus.READY);
        scheduler = AutoWarmScheduler.builder(w.reconciler())
                .interval(INTERVAL)
                .build()
                .start();
        await().atMost(Duration.ofSeconds(20)).until(() -> scheduler.completedTicks() == 1);
        SchedulerLiveness liveness = SchedulerLiveness.of(scheduler, INTERVAL, healthClock);

        assertThat(liveness.read().stalled()).isFalse();
        healthClock.advance(INTERVAL.multipliedBy(2).plus(SchedulerLiveness.DEFAULT_GRACE));
        SchedulerLiveness.Reading atTheLimit = liveness.read();
        assertThat(atTheLimit.stalled()).isFalse();
        assertThat(atTheLimit.describe()).startsWith("every PT1H: 1 tick(s), 0 failed");

        healthClock.advance(Duration.ofSeconds(1));
        SchedulerLiveness.Reading stalled = liveness.read();
        assertThat(stalled.stalled()).isTrue();
        assertThat(stalled.quiet()).isEqualTo(Duration.ofHours(2).plusMinutes(5).plusSeconds(1));
        assertThat(stalled.describe()).startsWith("no tick for PT2H5M1S (every PT1H)");
    }

    @Test
    void a_followers_skips_keep_it_alive() {
        FakeLeaderElection follower = new FakeLeaderElection(false);
        scheduler = AutoWarmScheduler.builder(w.reconciler())
                .interval(Duration.ofMillis(20))
                .leaderElection(follower)
                .build()
                .start();
        SchedulerLiveness liveness = SchedulerLiveness.of(scheduler, Duration.ofMillis(20), healthClock);
        liveness.read();
        long skips = scheduler.followerSkips();
        healthClock.advance(Duration.ofHours(1));
        await().atMost(Duration.ofSeconds(20)).until(() -> scheduler.followerSkips() > skips);

        SchedulerLiveness.Reading r = liveness.read();
        assertThat(r.stalled()).isFalse();
        assertThat(r.quiet()).isZero();
        assertThat(r.completed()).isZero();
    }
}
