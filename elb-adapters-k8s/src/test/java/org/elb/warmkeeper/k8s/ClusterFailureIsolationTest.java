package org.elb.warmkeeper.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.elb.warmkeeper.core.cluster.ClusterRef;
import org.elb.warmkeeper.core.cluster.DatabaseName;
import org.elb.warmkeeper.core.warm.AutoWarmReconciler;
import org.elb.warmkeeper.core.warm.ClusterStatus;
import org.elb.warmkeeper.core.warm.TickReport;
import org.elb.warmkeeper.core.warm.WarmStatus;
import org.elb.warmkeeper.testkit.InMemoryAutoWarmPreferences;
import org.elb.warmkeeper.testkit.InMemoryDatabaseInventory;
import org.elb.warmkeeper.testkit.InMemoryInflightLock;
import org.elb.warmkeeper.testkit.MutableClock;
import org.elb.warmkeeper.testkit.RecordingWarmupDispatcher;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A cluster whose API answers 500 or stalls is ERROR for the tick; the other clusters proceed. */
class ClusterFailureIsolationTest {

    private static final ClusterRef HEALTHY = ClusterRef.of("00000000-0000-0000-0000-000000000011", "rg", "healthy");
    private static final ClusterRef BROKEN = ClusterRef.of("00000000-0000-0000-0000-000000000012", "rg", "broken");
    private static final ClusterRef SLOW = ClusterRef.of("00000000-0000-0000-0000-000000000013", "rg", "slow");
    private static final DatabaseName DB = DatabaseName.of("core_nt");

    private final MockCluster healthy = MockCluster.start();
    private final MockCluster broken = MockCluster.start().failWith(500);
    private final MockCluster slow = MockCluster.start().stall(Duration.ofSeconds(5));
    private final KubernetesClientProvider clients = KubernetesClientProvider.builder(KubernetesConfigSource.of(
                    Map.of(HEALTHY, healthy.config(), BROKEN, broken.config(), SLOW, slow.config())))
            .requestTimeout(Duration.ofMillis(500))
            .build();

    @AfterEach
    void stop() {
        clients.close();
        List.of(healthy, broken, slow).forEach(MockCluster::close);
    }

    @Test
    void failing_and_stalling_clusters_are_error_and_the_healthy_one_is_triggered() {
        InMemoryAutoWarmPreferences prefs = new InMemoryAutoWarmPreferences();
        InMemoryDatabaseInventory inventory = new InMemoryDatabaseInventory();
        for (ClusterRef c : List.of(BROKEN, SLOW, HEALTHY)) {
            prefs.enable(c, List.of(DB));
            inventory.markDownloaded(c, DB);
        }
        Warmups.put(healthy.admin(), DB, WarmStatus.FAILED);
        RecordingWarmupDispatcher dispatcher = new RecordingWarmupDispatcher();
        // Readiness is left at its default (always ready): this test is about the status LIST.
        AutoWarmReconciler reconciler = AutoWarmReconciler.builder(
                        prefs,
                        inventory,
                        Fabric8WarmStatusProbe.builder(clients).build(),
                        new InMemoryInflightLock(new MutableClock(java.time.Instant.parse("2026-01-01T00:00:00Z"))),
                        dispatcher)
                .build();

        TickReport report = reconciler.tick();

        assertThat(report.outcome(BROKEN).orElseThrow().status()).isEqualTo(ClusterStatus.ERROR);
        assertThat(report.outcome(SLOW).orElseThrow().status()).isEqualTo(ClusterStatus.ERROR);
        assertThat(report.outcome(HEALTHY).orElseThrow().status()).isEqualTo(ClusterStatus.TRIGGERED);
        assertThat(dispatcher.enqueued())
                .singleElement()
                .satisfies(r -> assertThat(r.cluster()).isEqualTo(HEALTHY));
    }

    @Test
    void node_readiness_failures_are_error_too() {
        InMemoryAutoWarmPreferences prefs = new InMemoryAutoWarmPreferences();
        InMemoryDatabaseInventory inventory = new InMemoryDatabaseInventory();
        for (ClusterRef c : List.of(BROKEN, SLOW, HEALTHY)) {
            prefs.enable(c, List.of(DB));
            inventory.markDownloaded(c, DB);
        }
        healthy.admin()
                .nodes()
                .resource(new io.fabric8.kubernetes.api.model.NodeBuilder()
                        .withNewMetadata()
                        .withName("n")
                        .endMetadata()
                        .withNewStatus()
                        .addNewCondition()
                        .withType("Ready")
                        .withStatus("True")
                        .endCondition()
                        .endStatus()
                        .build())
                .create();
        RecordingWarmupDispatcher dispatcher = new RecordingWarmupDispatcher();
        TickReport report = AutoWarmReconciler.builder(
                        prefs,
                        inventory,
                        Fabric8WarmStatusProbe.builder(clients).build(),
                        new InMemoryInflightLock(new MutableClock(java.time.Instant.parse("2026-01-01T00:00:00Z"))),
                        dispatcher)
                .readiness(Fabric8NodeReadinessProbe.of(clients))
                .build()
                .tick();

        assertThat(report.outcome(BROKEN).orElseThrow().status()).isEqualTo(ClusterStatus.ERROR);
        assertThat(report.outcome(SLOW).orElseThrow().status()).isEqualTo(ClusterStatus.ERROR);
        assertThat(report.outcome(HEALTHY).orElseThrow().status()).isEqualTo(ClusterStatus.TRIGGERED);
    }
}
