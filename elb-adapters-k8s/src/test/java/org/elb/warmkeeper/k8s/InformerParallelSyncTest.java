package org.elb.warmkeeper.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.NodeBuilder;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.elb.warmkeeper.core.cluster.ClusterRef;
import org.elb.warmkeeper.core.cluster.DatabaseName;
import org.elb.warmkeeper.core.warm.Readiness;
import org.elb.warmkeeper.core.warm.WarmStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * First syncs of different clusters do not wait for each other: while one cluster's initial LIST is
 * stalled, another cluster's first probe syncs and answers (the stalled one still has not).
 */
class InformerParallelSyncTest {

    private static final ClusterRef SLOW = ClusterRef.of("00000000-0000-0000-0000-0000000000f2", "rg", "slow");
    private static final ClusterRef FAST = ClusterRef.of("00000000-0000-0000-0000-0000000000f2", "rg", "fast");
    private static final DatabaseName DB = DatabaseName.of("nt");

    private final MockCluster slow = MockCluster.start();
    private final MockCluster fast = MockCluster.start();
    private final KubernetesClientProvider clients = KubernetesClientProvider.builder(
                    KubernetesConfigSource.of(Map.of(SLOW, slow.config(), FAST, fast.config())))
            .requestTimeout(Duration.ofSeconds(20))
            .build();
    private final Fabric8InformerNodeReadinessProbe nodes = Fabric8InformerNodeReadinessProbe.builder(clients)
            .syncTimeout(Duration.ofSeconds(15))
            .build();
    private final Fabric8InformerWarmStatusProbe statuses = Fabric8InformerWarmStatusProbe.builder(clients)
            .syncTimeout(Duration.ofSeconds(15))
            .build();

    @AfterEach
    void stop() {
        slow.heal();
        nodes.close();
        statuses.close();
        clients.close();
        slow.close();
        fast.close();
    }

    private static void node(MockCluster cluster) {
        cluster.admin()
                .nodes()
                .resource(new NodeBuilder()
                        .withNewMetadata()
                        .withName("n1")
                        .endMetadata()
                        .withNewStatus()
                        .addNewCondition()
                        .withType("Ready")
                        .withStatus("True")
                        .endCondition()
                        .endStatus()
                        .build())
                .create();
    }

    @Test
    void a_stalled_first_sync_holds_back_no_other_cluster() {
        node(slow);
        node(fast);
        Warmups.put(fast.admin(), DB, WarmStatus.READY);
        slow.stall(Duration.ofSeconds(8));

        CompletableFuture<Readiness> slowNodes = CompletableFuture.supplyAsync(() -> nodes.probe(SLOW));
        CompletableFuture<Map<DatabaseName, WarmStatus>> slowStatuses =
                CompletableFuture.supplyAsync(() -> statuses.statuses(SLOW, Set.of(DB)));
        // both stalled syncs are under way (their LISTs reached the server) before the other cluster is asked
        await().atMost(Duration.ofSeconds(10)).until(() -> slow.lists("nodes") >= 1 && slow.lists("pods") >= 1);

        assertThat(nodes.probe(FAST).isReady()).isTrue();
        assertThat(statuses.statuses(FAST, Set.of(DB))).containsEntry(DB, WarmStatus.READY);
        assertThat(slowNodes).as("the stalled cluster's node sync").isNotDone();
        assertThat(slowStatuses).as("the stalled cluster's warm status sync").isNotDone();
    }
}
