package org.elb.warmkeeper.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.time.Duration;
import org.elb.warmkeeper.core.warm.AutoWarmReconciler;
import org.elb.warmkeeper.core.warm.AutoWarmScheduler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Two replicas, one Lease: one leader; when it stops or loses the lease, the other takes over. */
class Fabric8LeaderElectionTest {

    private static final Duration LEASE = Duration.ofMillis(1_500);
    private static final Duration RENEW = Duration.ofMillis(1_000);
    private static final Duration RETRY = Duration.ofMillis(200);

    private final MockCluster cluster = MockCluster.start();
    private final KubernetesClient clientA = client("replica-a");
    private final KubernetesClient clientB = client("replica-b");
    private final Fabric8LeaderElection a = election(clientA, "replica-a");
    private final Fabric8LeaderElection b = election(clientB, "replica-b");

    private KubernetesClient client(String agent) {
        return new KubernetesClientBuilder()
                .withConfig(new ConfigBuilder(cluster.config())
                        .withUserAgent(agent)
                        .withRequestTimeout(500)
                        .build())
                .build();
    }

    private static Fabric8LeaderElection election(KubernetesClient client, String identity) {
        return Fabric8LeaderElection.builder(client, "default", "elb-warmkeeper")
                .identity(identity)
                .leaseDuration(LEASE)
                .renewDeadline(RENEW)
                .retryPeriod(RETRY)
                .build();
    }

    @AfterEach
    void stop() {
        a.close();
        b.close();
        clientA.close();
        clientB.close();
        cluster.close();
    }

    private static void awaitExactlyOneLeader(Fabric8LeaderElection x, Fabric8LeaderElection y) {
        await().atMost(Duration.ofSeconds(20)).until(() -> x.isLeader() ^ y.isLeader());
    }

    @Test
    void close_releases_the_lease_before_it_returns() {
        a.start();
        await().atMost(Duration.ofSeconds(20)).until(a::isLeader);

        a.close();

        assertThat(cluster.admin()
                        .leases()
                        .inNamespace("default")
                        .withName("elb-warmkeeper")
                        .get()
                        .getSpec()
                        .getHolderIdentity())
                .isNull();
    }

    @Test
    void two_electors_elect_exactly_one_leader_and_the_other_takes_over_when_it_stops() {
        a.start();
        await().atMost(Duration.ofSeconds(20)).until(a::isLeader);
        b.start();
        // b stays a follower while a renews.
        await().during(Duration.ofMillis(2 * LEASE.toMillis()))
                .atMost(Duration.ofSeconds(20))
                .until(() -> a.isLeader() && !b.isLeader());

        a.close();

        assertThat(a.isLeader()).isFalse();
        await().atMost(Duration.ofSeconds(20)).until(b::isLeader);
        assertThat(cluster.admin()
                        .leases()
                        .inNamespace("default")
                        .withName("elb-warmkeeper")
                        .get()
                        .getSpec()
                        .getHolderIdentity())
                .isEqualTo("replica-b");
    }

    @Test
    void a_leader_that_cannot_renew_stops_leading_without_exiting_and_campaigns_again() {
        a.start();
        await().atMost(Duration.ofSeconds(20)).until(a::isLeader);
        b.start();

        cluster.block("replica-a"); // a's renewals now fail
        await().atMost(Duration.ofSeconds(20)).until(() -> !a.isLeader());
        await().atMost(Duration.ofSeconds(20)).until(b::isLeader);

        cluster.heal();
        // a is a candidate again (still running, same JVM) but b keeps the lease.
        await().during(Duration.ofMillis(LEASE.toMillis()))
                .atMost(Duration.ofSeconds(20))
                .until(() -> b.isLeader() && !a.isLeader());
        b.close();
        await().atMost(Duration.ofSeconds(20)).until(a::isLeader);
    }

    @Test
    void only_the_leaders_scheduler_ticks_and_ticking_moves_when_the_lease_is_lost() {
        org.elb.warmkeeper.testkit.InMemoryAutoWarmPreferences prefs =
                new org.elb.warmkeeper.testkit.InMemoryAutoWarmPreferences();
        AutoWarmReconciler reconciler = AutoWarmReconciler.builder(
                        prefs,
                        new org.elb.warmkeeper.testkit.InMemoryDatabaseInventory(),
                        new org.elb.warmkeeper.testkit.FakeWarmStatusProbe(),
                        new org.elb.warmkeeper.testkit.InMemoryInflightLock(
                                new org.elb.warmkeeper.testkit.MutableClock(java.time.Instant.EPOCH)),
                        new org.elb.warmkeeper.testkit.RecordingWarmupDispatcher())
                .build();
        a.start();
        await().atMost(Duration.ofSeconds(20)).until(a::isLeader);
        b.start();
        try (AutoWarmScheduler onA = AutoWarmScheduler.builder(reconciler)
                        .interval(Duration.ofMillis(50))
                        .leaderElection(a)
                        .threadName("ticks-a")
                        .build()
                        .start();
                AutoWarmScheduler onB = AutoWarmScheduler.builder(reconciler)
                        .interval(Duration.ofMillis(50))
                        .leaderElection(b)
                        .threadName("ticks-b")
                        .build()
                        .start()) {
            await().atMost(Duration.ofSeconds(20)).until(() -> onA.completedTicks() >= 3 && onB.followerSkips() >= 3);
            assertThat(onB.completedTicks()).isZero();

            cluster.block("replica-a");
            await().atMost(Duration.ofSeconds(20)).until(() -> !a.isLeader() && onB.completedTicks() >= 3);
            // A has stopped leading; a tick it had already begun may still complete, no further one starts.
            long aTicks = onA.completedTicks();
            await().during(Duration.ofMillis(500))
                    .atMost(Duration.ofSeconds(20))
                    .until(() -> onA.completedTicks() <= aTicks + 1);
            assertThat(onA.followerSkips()).isPositive();
        }
    }

    @Test
    void timings_are_validated() {
        assertThatThrownBy(() -> Fabric8LeaderElection.builder(clientA, "default", "x")
                        .leaseDuration(Duration.ofSeconds(5))
                        .renewDeadline(Duration.ofSeconds(5))
                        .build())
                .hasMessageContaining("leaseDuration");
        assertThatThrownBy(() -> Fabric8LeaderElection.builder(clientA, "default", "x")
                        .renewDeadline(Duration.ofSeconds(2))
                        .retryPeriod(Duration.ofSeconds(2))
                        .build())
                .hasMessageContaining("renewDeadline");
        assertThatThrownBy(() -> Fabric8LeaderElection.builder(clientA, "default", "Bad Name"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'leaseName'");
    }
}
