package org.elb.warmkeeper.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.NodeBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.elb.warmkeeper.core.cluster.ClusterRef;
import org.elb.warmkeeper.core.cluster.DatabaseName;
import org.elb.warmkeeper.core.warm.AutoWarmReconciler;
import org.elb.warmkeeper.core.warm.ClusterReadinessProbe;
import org.elb.warmkeeper.core.warm.ClusterStatus;
import org.elb.warmkeeper.core.warm.TickReport;
import org.elb.warmkeeper.core.warm.WarmStatus;
import org.elb.warmkeeper.core.warm.WarmStatusProbe;
import org.elb.warmkeeper.testkit.InMemoryAutoWarmPreferences;
import org.elb.warmkeeper.testkit.InMemoryDatabaseInventory;
import org.elb.warmkeeper.testkit.InMemoryInflightLock;
import org.elb.warmkeeper.testkit.MutableClock;
import org.elb.warmkeeper.testkit.RecordingWarmupDispatcher;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A tick of the reconciler over C clusters x D databases asks each ready cluster's API for the warmup
 * pods once (one LIST), whatever D is, and never per database; in informer mode, once synced, a tick
 * asks nothing at all. Requests are counted at the mock servers.
 */
class ReconcilerRequestCountTest {

    private static final int CLUSTERS = 3;
    private static final int DATABASES = 20;

    private final List<MockCluster> servers = new ArrayList<>();
    private final List<ClusterRef> refs = new ArrayList<>();
    private final InMemoryAutoWarmPreferences prefs = new InMemoryAutoWarmPreferences();
    private final InMemoryDatabaseInventory inventory = new InMemoryDatabaseInventory();
    private final RecordingWarmupDispatcher dispatcher = new RecordingWarmupDispatcher();
    private KubernetesClientProvider clients;

    @BeforeEach
    void seed() {
        Map<ClusterRef, io.fabric8.kubernetes.client.Config> configs = new HashMap<>();
        List<DatabaseName> dbs = new ArrayList<>();
        for (int d = 0; d < DATABASES; d++) {
            dbs.add(DatabaseName.of("db_" + d));
        }
        for (int c = 0; c < CLUSTERS; c++) {
            MockCluster server = MockCluster.start();
            ClusterRef ref = ClusterRef.of(String.format("00000000-0000-0000-0000-%012d", c), "rg", "elb-" + c);
            servers.add(server);
            refs.add(ref);
            configs.put(ref, server.config());
            prefs.enable(ref, dbs);
            inventory.markDownloaded(ref, dbs.toArray(DatabaseName[]::new));
            server.admin()
                    .nodes()
                    .resource(new NodeBuilder()
                            .withNewMetadata()
                            .withName("node-" + c)
                            .endMetadata()
                            .withNewStatus()
                            .addNewCondition()
                            .withType("Ready")
                            .withStatus("True")
                            .endCondition()
                            .endStatus()
                            .build())
                    .create();
            for (int d = 0; d < DATABASES; d++) {
                WarmStatus status = switch (d % 4) {
                    case 0 -> WarmStatus.READY;
                    case 1 -> WarmStatus.LOADING;
                    case 2 -> WarmStatus.FAILED;
                    default -> WarmStatus.ABSENT;
                };
                Warmups.put(server.admin(), dbs.get(d), status);
            }
        }
        clients = KubernetesClientProvider.builder(KubernetesConfigSource.of(configs))
                .build();
    }

    @AfterEach
    void stop() {
        clients.close();
        servers.forEach(MockCluster::close);
    }

    private AutoWarmReconciler reconciler(WarmStatusProbe probe, ClusterReadinessProbe readiness) {
        return AutoWarmReconciler.builder(
                        prefs,
                        inventory,
                        probe,
                        new InMemoryInflightLock(new MutableClock(java.time.Instant.parse("2026-01-01T00:00:00Z"))),
                        dispatcher)
                .readiness(readiness)
                .build();
    }

    @Test
    void a_tick_lists_the_warmup_pods_once_per_ready_cluster_and_never_per_database() {
        TickReport report = reconciler(
                        Fabric8WarmStatusProbe.builder(clients).build(), ClusterReadinessProbe.ALWAYS_READY)
                .tick();

        for (MockCluster server : servers) {
            assertThat(server.lists("pods")).as("pod LISTs").isEqualTo(1);
            assertThat(server.calls()).as("all requests: %s", server.requests()).isEqualTo(1);
        }
        // DBs 2, 3 (mod 4) are FAILED or ABSENT: candidates.
        assertThat(report.enqueuedCount()).isEqualTo(CLUSTERS * DATABASES / 2);
        assertThat(report.clusters()).allMatch(o -> o.status() == ClusterStatus.TRIGGERED);
    }

    @Test
    void with_node_readiness_a_tick_costs_two_requests_per_cluster_and_a_not_ready_cluster_is_not_listed() {
        servers.get(0).admin().nodes().withName("node-0").delete();
        TickReport report = reconciler(
                        Fabric8WarmStatusProbe.builder(clients).build(), Fabric8NodeReadinessProbe.of(clients))
                .tick();

        assertThat(report.outcome(refs.get(0)).orElseThrow().status()).isEqualTo(ClusterStatus.CLUSTER_NOT_READY);
        assertThat(servers.get(0).lists("pods")).isZero();
        assertThat(servers.get(0).calls()).isEqualTo(1);
        for (int c = 1; c < CLUSTERS; c++) {
            assertThat(servers.get(c).lists("nodes")).isEqualTo(1);
            assertThat(servers.get(c).lists("pods")).isEqualTo(1);
            assertThat(servers.get(c).calls()).isEqualTo(2);
        }
    }

    @Test
    void in_informer_mode_a_tick_after_sync_makes_no_request() throws Exception {
        try (Fabric8InformerWarmStatusProbe probe = Fabric8InformerWarmStatusProbe.builder(clients)
                .syncTimeout(Duration.ofSeconds(10))
                .build()) {
            AutoWarmReconciler reconciler = reconciler(probe, ClusterReadinessProbe.ALWAYS_READY);
            TickReport first = reconciler.tick();
            assertThat(first.clusters()).allMatch(o -> o.status() == ClusterStatus.TRIGGERED);
            long[] before = servers.stream().mapToLong(MockCluster::calls).toArray();

            TickReport second = reconciler.tick();

            for (int c = 0; c < CLUSTERS; c++) {
                assertThat(servers.get(c).calls() - before[c])
                        .as("requests in the second tick: %s", servers.get(c).requests())
                        .isZero();
            }
            // Everything enqueued by the first tick is held by the in-flight lock now.
            assertThat(second.enqueuedCount()).isZero();
        }
    }
}
