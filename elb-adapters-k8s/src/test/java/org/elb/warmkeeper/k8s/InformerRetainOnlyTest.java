package org.elb.warmkeeper.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.elb.warmkeeper.core.cluster.ClusterRef;
import org.elb.warmkeeper.core.cluster.DatabaseName;
import org.elb.warmkeeper.core.warm.WarmStatus;
import org.elb.warmkeeper.testservers.TcpProxy;
import org.elb.warmkeeper.testservers.TestKubernetes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A cluster that is no longer configured: {@code retainOnly} stops its informers, their watches are
 * closed (no connection to its API server stays open once its client is invalidated too), the kept
 * cluster goes on answering from its cache, and a removed cluster asked about again is started again.
 * Each API server is Fabric8's mock server in CRUD mode behind a TCP proxy that counts connections.
 */
class InformerRetainOnlyTest {

    private static final ClusterRef KEPT = ClusterRef.of("00000000-0000-0000-0000-0000000000f1", "rg", "kept");
    private static final ClusterRef REMOVED = ClusterRef.of("00000000-0000-0000-0000-0000000000f1", "rg", "removed");
    private static final DatabaseName DB = DatabaseName.of("nt");
    private static final Duration WAIT = Duration.ofSeconds(20);

    private final TestKubernetes keptServer = TestKubernetes.start();
    private final TestKubernetes removedServer = TestKubernetes.start();
    private final TcpProxy keptProxy = new TcpProxy("127.0.0.1", keptServer.port());
    private final TcpProxy removedProxy = new TcpProxy("127.0.0.1", removedServer.port());
    private final KubernetesClientProvider clients = KubernetesClientProvider.builder(KubernetesConfigSource.of(
                    Map.of(KEPT, through(keptServer, keptProxy), REMOVED, through(removedServer, removedProxy))))
            .requestTimeout(Duration.ofSeconds(5))
            .build();
    private final Fabric8InformerWarmStatusProbe statuses = Fabric8InformerWarmStatusProbe.builder(clients)
            .syncTimeout(Duration.ofSeconds(10))
            .build();
    private final Fabric8InformerNodeReadinessProbe nodes = Fabric8InformerNodeReadinessProbe.builder(clients)
            .syncTimeout(Duration.ofSeconds(10))
            .build();

    private static Config through(TestKubernetes server, TcpProxy proxy) {
        return new ConfigBuilder(server.config())
                .withMasterUrl("http://127.0.0.1:" + proxy.port())
                .build();
    }

    @AfterEach
    void stop() {
        statuses.close();
        nodes.close();
        clients.close();
        keptProxy.close();
        removedProxy.close();
        keptServer.close();
        removedServer.close();
    }

    private static void seed(TestKubernetes server) {
        server.admin()
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
        Warmups.put(server.admin(), DB, WarmStatus.READY);
    }

    @Test
    void a_removed_cluster_has_its_watches_closed_and_no_connection_left() {
        seed(keptServer);
        seed(removedServer);
        for (ClusterRef c : List.of(KEPT, REMOVED)) {
            assertThat(nodes.probe(c).isReady()).isTrue();
            assertThat(statuses.statuses(c, Set.of(DB))).containsEntry(DB, WarmStatus.READY);
        }
        assertThat(statuses.isWatching(REMOVED)).isTrue();
        assertThat(nodes.isWatching(REMOVED)).isTrue();
        assertThat(removedProxy.openConnections())
                .as("the removed cluster's watches")
                .isPositive();

        assertThat(statuses.retainOnly(List.of(KEPT))).containsExactly(REMOVED);
        assertThat(nodes.retainOnly(List.of(KEPT))).containsExactly(REMOVED);
        // the watches close asynchronously (a WebSocket close handshake); what may stay is the idle
        // connection of the first LIST, kept by the cluster's client until the client is invalidated
        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(removedProxy.openConnections())
                        .as("connections to the removed cluster's API server once its watches closed")
                        .isLessThanOrEqualTo(1));
        clients.invalidate(REMOVED);

        assertThat(statuses.clusters()).containsExactly(KEPT);
        assertThat(nodes.clusters()).containsExactly(KEPT);
        assertThat(statuses.isWatching(REMOVED)).isFalse();
        assertThat(nodes.isWatching(REMOVED)).isFalse();
        // On JDK 17 a closed JDK HttpClient keeps an idle pooled connection until the client is garbage
        // collected: nothing may still hold the removed cluster's informers or client for that to happen.
        await().atMost(WAIT)
                .pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> assertThat(gcThenCount(removedProxy))
                        .as("connections to the removed cluster's API server")
                        .isZero());
        assertThat(statuses.isWatching(KEPT)).isTrue();
        assertThat(nodes.probe(KEPT).isReady()).isTrue();
        assertThat(keptProxy.openConnections()).as("the kept cluster's watches").isPositive();

        // asked about again: started again
        assertThat(statuses.statuses(REMOVED, Set.of(DB))).containsEntry(DB, WarmStatus.READY);
        assertThat(statuses.clusters()).containsExactlyInAnyOrder(KEPT, REMOVED);
    }

    private static int gcThenCount(TcpProxy proxy) {
        System.gc();
        return proxy.openConnections();
    }

    @Test
    void retaining_every_cluster_stops_nothing() {
        seed(keptServer);
        assertThat(nodes.probe(KEPT).isReady()).isTrue();
        assertThat(statuses.statuses(KEPT, Set.of(DB))).containsEntry(DB, WarmStatus.READY);
        assertThat(statuses.retainOnly(List.of(KEPT, REMOVED))).isEmpty();
        assertThat(nodes.retainOnly(Set.of(KEPT))).isEmpty();
        assertThat(statuses.isWatching(KEPT)).isTrue();
        assertThat(nodes.isWatching(KEPT)).isTrue();
    }
}
