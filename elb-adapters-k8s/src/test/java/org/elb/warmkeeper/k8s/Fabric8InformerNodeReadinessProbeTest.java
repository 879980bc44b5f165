package org.elb.warmkeeper.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.elb.warmkeeper.core.BackendUnavailableException;
import org.elb.warmkeeper.core.cluster.ClusterRef;
import org.elb.warmkeeper.core.cluster.DatabaseName;
import org.elb.warmkeeper.core.warm.WarmStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Informer-backed node readiness and warm status on a Fabric8 mock server: no request per probe once
 * synced, changes seen through the watch, and a watch that is down answers "cannot tell" (an exception
 * for readiness, UNKNOWN for warm status), never the old picture.
 */
class Fabric8InformerNodeReadinessProbeTest {

    private static final ClusterRef CLUSTER = ClusterRef.of("00000000-0000-0000-0000-0000000000ee", "rg", "nodes");
    private static final DatabaseName DB = DatabaseName.of("nt");
    private static final Duration WAIT = Duration.ofSeconds(30);

    private final MockCluster cluster = MockCluster.start();
    private final KubernetesClientProvider clients = KubernetesClientProvider.builder(
                    KubernetesConfigSource.of(Map.of(CLUSTER, cluster.config())))
            .requestTimeout(Duration.ofSeconds(5))
            .build();
    private final Fabric8InformerNodeReadinessProbe probe = Fabric8InformerNodeReadinessProbe.builder(clients)
            .syncTimeout(Duration.ofSeconds(5))
            .build();

    @AfterEach
    void stop() {
        probe.close();
        clients.close();
        cluster.close();
    }

    private static Node node(String name, String ready) {
        return new NodeBuilder()
                .withNewMetadata()
                .withName(name)
                .endMetadata()
                .withNewStatus()
                .addNewCondition()
                .withType("Ready")
                .withStatus(ready)
                .endCondition()
                .endStatus()
                .build();
    }

    @Test
    void once_synced_a_probe_makes_no_request_and_sees_changes_through_the_watch() {
        cluster.admin().nodes().resource(node("n1", "True")).create();
        assertThat(probe.probe(CLUSTER).isReady()).isTrue();
        long before = cluster.calls();

        for (int i = 0; i < 20; i++) {
            assertThat(probe.probe(CLUSTER).isReady()).isTrue();
        }
        assertThat(cluster.calls() - before)
                .as("requests for 20 probes after the sync: %s", cluster.requests())
                .isZero();
        assertThat(probe.isWatching(CLUSTER)).isTrue();

        cluster.admin().nodes().resource(node("n1", "False")).update();
        await().atMost(WAIT).until(() -> !probe.probe(CLUSTER).isReady());
        assertThat(probe.probe(CLUSTER).reason()).startsWith("0 of 1 nodes Ready");
    }

    @Test
    void a_watch_that_is_down_cannot_tell_instead_of_answering_the_old_picture() {
        cluster.admin().nodes().resource(node("n1", "True")).create();
        Warmups.put(cluster.admin(), DB, WarmStatus.READY);
        try (Fabric8InformerWarmStatusProbe statuses = Fabric8InformerWarmStatusProbe.builder(clients)
                .syncTimeout(Duration.ofSeconds(5))
                .build()) {
            assertThat(probe.probe(CLUSTER).isReady()).isTrue();
            assertThat(statuses.statuses(CLUSTER, Set.of(DB))).containsEntry(DB, WarmStatus.READY);

            cluster.close(); // the API server goes away: the watches drop and cannot reconnect

            await().atMost(WAIT)
                    .untilAsserted(() -> assertThatThrownBy(() -> probe.probe(CLUSTER))
                            .isInstanceOf(BackendUnavailableException.class)
                            .hasMessageContaining("node watch is down"));
            assertThat(probe.isWatching(CLUSTER)).isFalse();
            await().atMost(WAIT)
                    .until(() -> statuses.statuses(CLUSTER, Set.of(DB)).get(DB) == WarmStatus.UNKNOWN);
        }
    }

    @Test
    void a_cluster_whose_api_fails_is_unavailable_and_a_forgotten_cluster_is_started_again() {
        cluster.failWith(500);
        assertThatThrownBy(() -> probe.probe(CLUSTER)).isInstanceOf(BackendUnavailableException.class);
        cluster.heal();
        cluster.admin().nodes().resource(node("n1", "True")).create();
        await().atMost(WAIT).ignoreExceptions().until(() -> probe.probe(CLUSTER).isReady());

        probe.forget(CLUSTER);
        assertThat(probe.isWatching(CLUSTER)).isFalse();
        // started again on the next probe (a loaded machine may need a second try for the LIST)
        await().atMost(WAIT).ignoreExceptions().until(() -> probe.probe(CLUSTER).isReady());
        assertThat(probe.isWatching(CLUSTER)).isTrue();
        probe.close();
        assertThatThrownBy(() -> probe.probe(CLUSTER)).isInstanceOf(IllegalStateException.class);
    }
}
