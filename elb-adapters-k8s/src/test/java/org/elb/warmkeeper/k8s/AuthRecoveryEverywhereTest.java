package org.elb.warmkeeper.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.elb.warmkeeper.core.BackendUnavailableException;
import org.elb.warmkeeper.core.cluster.ClusterRef;
import org.elb.warmkeeper.core.cluster.DatabaseName;
import org.elb.warmkeeper.core.warm.DispatchException;
import org.elb.warmkeeper.core.warm.DispatchOutcome;
import org.elb.warmkeeper.core.warm.DispatchResult;
import org.elb.warmkeeper.core.warm.WarmStatus;
import org.elb.warmkeeper.core.warm.WarmupRequest;
import org.elb.warmkeeper.testservers.TcpProxy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every Kubernetes path recovers from rotated credentials the same way: the first 401/403 invalidates the
 * cluster's cached client, which is rebuilt once from the config source (counted here) and the call (or
 * the informer) goes on with it; a second refusal in a row is reported, not retried in a loop. Covers the
 * dispatcher, the informer-backed warm status and node readiness probes (refused at start, and a watch
 * closed with 401) and the Lease election.
 */
class AuthRecoveryEverywhereTest {

    private static final ClusterRef CLUSTER = ClusterRef.of("00000000-0000-0000-0000-0000000000ad", "rg", "elb-auth");
    private static final DatabaseName DB = DatabaseName.of("core_nt");

    private MockCluster cluster;
    private TcpProxy proxy;
    private final AtomicInteger configs = new AtomicInteger();
    private KubernetesClientProvider clients;

    @BeforeEach
    void start() {
        cluster = MockCluster.start();
        proxy = new TcpProxy("localhost", cluster.port());
        // Through a proxy a test can take down, which drops the informers' watches.
        clients = KubernetesClientProvider.builder(c -> {
                    // each build gets the credentials of now: token-1, token-2, ...
                    int n = configs.incrementAndGet();
                    return new ConfigBuilder(cluster.config())
                            .withMasterUrl("http://localhost:" + proxy.port())
                            .withOauthToken("token-" + n)
                            .build();
                })
                .build();
        Warmups.put(cluster.admin(), DB, WarmStatus.READY);
        cluster.admin().nodes().resource(node("True")).create();
    }

    private static Node node(String ready) {
        return new NodeBuilder()
                .withNewMetadata()
                .withName("aks-pool-0")
                .endMetadata()
                .withNewStatus()
                .addNewCondition()
                .withType("Ready")
                .withStatus(ready)
                .endCondition()
                .endStatus()
                .build();
    }

    /*
     * The JDK's WebSocket loses a TCP close that arrives after it delivered a frame and before the listener
     * asks for the next one (it reads the EOF with no demand and never reports it), and Fabric8 asks for the
     * next frame only once its informer has processed the event. A watch's first frames (the initial events
     * right after the sync) are such a window: a drop landing in it leaves the watch "watching" for ever, and
     * the probe has nothing to notice. So before the drop, each watch test waits until the informer has
     * processed an event the test made after the sync: the watch is then idle and waiting for a frame.
     */
    private void awaitStatusWatchIdle(Fabric8InformerWarmStatusProbe probe) {
        DatabaseName marker = DatabaseName.of("watch_marker");
        Warmups.put(cluster.admin(), marker, WarmStatus.READY);
        await().atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> probe.statuses(CLUSTER, Set.of(marker)).get(marker) == WarmStatus.READY);
    }

    private void awaitNodeWatchIdle(Fabric8InformerNodeReadinessProbe nodes) {
        cluster.admin().nodes().resource(node("False")).update();
        await().atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> !nodes.probe(CLUSTER).isReady());
        cluster.admin().nodes().resource(node("True")).update();
        await().atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> nodes.probe(CLUSTER).isReady());
    }

    @AfterEach
    void stop() {
        clients.close();
        proxy.close();
        cluster.close();
    }

    // --- dispatcher ---

    @Test
    void the_dispatcher_rebuilds_once_on_401_and_names_the_job() {
        Fabric8WarmupDispatcher dispatcher =
                Fabric8WarmupDispatcher.builder(clients, Warmups.template()).build();
        cluster.failNext(401, 1);

        DispatchResult result = dispatcher.dispatch(new WarmupRequest(CLUSTER, DatabaseName.of("nr"), false));

        assertThat(result.outcome()).isEqualTo(DispatchOutcome.ENQUEUED);
        assertThat(result.jobName())
                .isEqualTo(WarmupNames.jobName(WarmupNames.DEFAULT_JOB_PREFIX, DatabaseName.of("nr")));
        assertThat(configs).as("client builds").hasValue(2);
    }

    @Test
    void the_dispatcher_reports_a_second_403_without_looping() {
        Fabric8WarmupDispatcher dispatcher =
                Fabric8WarmupDispatcher.builder(clients, Warmups.template()).build();
        cluster.failNext(403, 2);

        assertThatThrownBy(() -> dispatcher.enqueue(new WarmupRequest(CLUSTER, DatabaseName.of("nr"), false)))
                .isInstanceOf(DispatchException.class)
                .hasMessageContaining("403");
        assertThat(configs).as("client builds").hasValue(2);
        assertThat(dispatcher.enqueue(new WarmupRequest(CLUSTER, DatabaseName.of("nr"), false)))
                .isEqualTo(DispatchOutcome.ENQUEUED);
    }

    // --- informer-backed warm status ---

    @Test
    void the_informer_status_probe_refused_at_start_rebuilds_once_and_syncs() {
        try (Fabric8InformerWarmStatusProbe probe =
                Fabric8InformerWarmStatusProbe.builder(clients).build()) {
            cluster.failNext(401, 1);

            assertThat(probe.statuses(CLUSTER, Set.of(DB))).containsEntry(DB, WarmStatus.READY);
            assertThat(configs).as("client builds").hasValue(2);
        }
    }

    @Test
    void the_informer_status_probe_refused_twice_reports_it() {
        try (Fabric8InformerWarmStatusProbe probe =
                Fabric8InformerWarmStatusProbe.builder(clients).build()) {
            cluster.failNext(401, 2);

            assertThatThrownBy(() -> probe.statuses(CLUSTER, Set.of(DB)))
                    .isInstanceOf(BackendUnavailableException.class)
                    .hasMessageContaining("401");
            assertThat(configs).as("client builds").hasValue(2);
            assertThat(probe.statuses(CLUSTER, Set.of(DB))).containsEntry(DB, WarmStatus.READY);
        }
    }

    @Test
    void a_warm_status_watch_closed_with_401_restarts_its_informer_on_a_fresh_client() {
        try (Fabric8InformerWarmStatusProbe probe =
                Fabric8InformerWarmStatusProbe.builder(clients).build()) {
            assertThat(probe.statuses(CLUSTER, Set.of(DB))).containsEntry(DB, WarmStatus.READY);
            assertThat(configs).hasValue(1);
            awaitStatusWatchIdle(probe);

            cluster.refuseTokens("token-1"); // rotated: the watch's reconnects are refused from now on
            proxy.down();
            proxy.up();

            await().atMost(Duration.ofSeconds(20))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> probe.statuses(CLUSTER, Set.of(DB)).get(DB) == WarmStatus.READY
                            && configs.get() == 2); // the probe call is what finds the refusal
            assertThat(configs).as("client builds").hasValue(2);
        }
    }

    @Test
    void a_warm_status_watch_refused_on_the_rebuilt_client_too_is_reported_after_one_rebuild() {
        try (Fabric8InformerWarmStatusProbe probe =
                Fabric8InformerWarmStatusProbe.builder(clients).build()) {
            assertThat(probe.statuses(CLUSTER, Set.of(DB))).containsEntry(DB, WarmStatus.READY);
            awaitStatusWatchIdle(probe);

            cluster.refuseTokens("token-1", "token-2");
            proxy.down();
            proxy.up();

            await().atMost(Duration.ofSeconds(20))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> {
                        try {
                            probe.statuses(CLUSTER, Set.of(DB));
                            return false; // UNKNOWN while the watch is down and not yet seen refused
                        } catch (BackendUnavailableException e) {
                            return e.getMessage().contains("401");
                        }
                    });
            assertThat(configs).as("one rebuild, then reported").hasValue(2);
        }
    }

    // --- informer-backed node readiness ---

    @Test
    void the_node_informer_refused_at_start_rebuilds_once_and_a_second_refusal_is_reported() {
        try (Fabric8InformerNodeReadinessProbe nodes =
                Fabric8InformerNodeReadinessProbe.builder(clients).build()) {
            cluster.failNext(403, 1);
            assertThat(nodes.probe(CLUSTER).isReady()).isTrue();
            assertThat(configs).hasValue(2);
        }
        try (Fabric8InformerNodeReadinessProbe nodes =
                Fabric8InformerNodeReadinessProbe.builder(clients).build()) {
            clients.invalidate(CLUSTER);
            cluster.failNext(403, 2);
            assertThatThrownBy(() -> nodes.probe(CLUSTER))
                    .isInstanceOf(BackendUnavailableException.class)
                    .hasMessageContaining("403");
            assertThat(configs).as("one rebuild for the refused start").hasValue(4);
        }
    }

    @Test
    void a_node_watch_closed_with_401_restarts_its_informer_on_a_fresh_client() {
        try (Fabric8InformerNodeReadinessProbe nodes =
                Fabric8InformerNodeReadinessProbe.builder(clients).build()) {
            assertThat(nodes.probe(CLUSTER).isReady()).isTrue();
            assertThat(configs).hasValue(1);
            awaitNodeWatchIdle(nodes);

            cluster.refuseTokens("token-1");
            proxy.down();
            proxy.up();

            await().atMost(Duration.ofSeconds(20))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> {
                        try {
                            return nodes.probe(CLUSTER).isReady() && configs.get() == 2;
                        } catch (BackendUnavailableException e) {
                            return false; // the watch is down meanwhile: readiness cannot tell
                        }
                    });
            assertThat(configs).as("client builds").hasValue(2);
        }
    }

    // --- Lease election ---

    private Fabric8LeaderElection election(Duration retry) {
        return Fabric8LeaderElection.builder(clients, CLUSTER, "default", "elb-auth")
                .identity("replica-a")
                .leaseDuration(retry.multipliedBy(4))
                .renewDeadline(retry.multipliedBy(3))
                .retryPeriod(retry)
                .build();
    }

    @Test
    void the_lease_election_rebuilds_once_on_401_and_leads() {
        cluster.failNext(401, 1);
        try (Fabric8LeaderElection election = election(Duration.ofMillis(500)).start()) {
            await().atMost(Duration.ofSeconds(10)).until(election::isLeader);
            assertThat(configs).as("client builds").hasValue(2);
        }
    }

    @Test
    void the_lease_election_refused_twice_reports_it_and_rebuilds_only_once_per_call() {
        cluster.failNext(401, 2);
        try (Fabric8LeaderElection election = election(Duration.ofSeconds(2)).start()) {
            await().atMost(Duration.ofSeconds(5)).until(() -> cluster.calls() >= 2);
            // the refused Lease read was rebuilt once and refused again: a follower until the next attempt
            assertThat(election.isLeader()).isFalse();
            assertThat(configs).as("client builds for the refused call").hasValue(2);
            await().atMost(Duration.ofSeconds(10)).until(election::isLeader);
            assertThat(configs).as("the next attempt used the rebuilt client").hasValue(2);
        }
    }
}
