package org.elb.warmkeeper.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.elb.warmkeeper.core.BackendUnavailableException;
import org.elb.warmkeeper.core.cluster.ClusterRef;
import org.elb.warmkeeper.core.cluster.DatabaseName;
import org.elb.warmkeeper.core.warm.AutoWarmObserver;
import org.elb.warmkeeper.core.warm.WarmStatus;
import org.elb.warmkeeper.testkit.MutableClock;
import org.elb.warmkeeper.testservers.TcpProxy;
import org.elb.warmkeeper.testservers.TestKubernetes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Bounded trust in a watch: the API server (Fabric8's mock server in CRUD mode) sits behind a TCP proxy
 * that can stop forwarding while keeping every socket open, no FIN, no RST, as a NAT or a load balancer's
 * idle drop looks to a client. The watch then reads {@code watching} for ever and its cache stops changing;
 * the probes trust it for {@code maxSilence} (measured on a settable clock), then relist it and answer
 * unknown until the relist has synced, and the truth once the path forwards again.
 */
class SilentWatchTest {

    private static final ClusterRef CLUSTER = ClusterRef.of("00000000-0000-0000-0000-0000000000e1", "rg", "silent");
    private static final DatabaseName DB = DatabaseName.of("core_nt");
    private static final Duration MAX_SILENCE = Fabric8InformerWarmStatusProbe.DEFAULT_MAX_SILENCE;
    private static final Duration SLACK = Duration.ofSeconds(1);
    private static final Duration WAIT = Duration.ofSeconds(40);

    private final TestKubernetes server = TestKubernetes.start();
    private final TcpProxy proxy = new TcpProxy("127.0.0.1", server.port());
    private final MutableClock clock = MutableClock.start();
    private final KubernetesClientProvider clients = KubernetesClientProvider.builder(
                    KubernetesConfigSource.of(Map.of(CLUSTER, throughProxy())))
            .requestTimeout(Duration.ofSeconds(2))
            .build();
    /** The last watch age each informer reported to the observer. */
    private final Map<String, Duration> ages = new java.util.concurrent.ConcurrentHashMap<>();

    private final AutoWarmObserver observer = new AutoWarmObserver() {
        @Override
        public void watchAge(ClusterRef cluster, String informer, Duration age) {
            ages.put(informer, age);
        }
    };
    private final Fabric8InformerWarmStatusProbe statuses = Fabric8InformerWarmStatusProbe.builder(clients)
            .syncTimeout(Duration.ofSeconds(4))
            .clock(clock)
            .observer(observer)
            .build();
    private final Fabric8InformerNodeReadinessProbe nodes = Fabric8InformerNodeReadinessProbe.builder(clients)
            .syncTimeout(Duration.ofSeconds(4))
            .clock(clock)
            .observer(observer)
            .build();

    private Config throughProxy() {
        return new ConfigBuilder(server.config())
                .withMasterUrl("http://127.0.0.1:" + proxy.port())
                .build();
    }

    @AfterEach
    void stop() {
        statuses.close();
        nodes.close();
        clients.close();
        proxy.close();
        server.close();
    }

    private WarmStatus status() {
        return statuses.statuses(CLUSTER, Set.of(DB)).get(DB);
    }

    private static Node node(boolean ready) {
        return new NodeBuilder()
                .withNewMetadata()
                .withName("aks-pool-0")
                .endMetadata()
                .withNewStatus()
                .addNewCondition()
                .withType("Ready")
                .withStatus(ready ? "True" : "False")
                .withReason(ready ? "KubeletReady" : "KubeletNotReady")
                .endCondition()
                .endStatus()
                .build();
    }

    @Test
    void a_frozen_warmup_watch_is_trusted_for_max_silence_then_unknown_then_true_once_the_path_recovers() {
        Warmups.put(server.admin(), DB, WarmStatus.READY);
        assertThat(status()).isEqualTo(WarmStatus.READY);

        proxy.freeze();
        Warmups.put(server.admin(), DB, WarmStatus.ABSENT); // the pod is deleted; the watch never hears of it

        clock.advance(MAX_SILENCE.minus(SLACK));
        assertThat(status()).as("within maxSilence the cache is trusted").isEqualTo(WarmStatus.READY);
        assertThat(statuses.isWatching(CLUSTER)).isTrue();
        assertThat(statuses.watchAge(CLUSTER)).contains(MAX_SILENCE.minus(SLACK));

        clock.advance(SLACK.multipliedBy(2));
        assertThat(statuses.isWatching(CLUSTER)).as("silent past maxSilence").isFalse();
        assertThat(status()).as("relisting through a frozen path").isEqualTo(WarmStatus.UNKNOWN);
        assertThat(status()).as("still unknown while the relist has not synced").isEqualTo(WarmStatus.UNKNOWN);
        assertThat(statuses.watchAge(CLUSTER))
                .as("the age goes on growing while relisting")
                .contains(MAX_SILENCE.plus(SLACK));
        assertThat(ages).containsEntry("warm_status", MAX_SILENCE.plus(SLACK));

        proxy.thaw();
        await().atMost(WAIT)
                .pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> assertThat(status()).isEqualTo(WarmStatus.ABSENT));
        assertThat(statuses.isWatching(CLUSTER)).isTrue();
        assertThat(statuses.watchAge(CLUSTER))
                .hasValueSatisfying(age -> assertThat(age).isLessThan(MAX_SILENCE));

        // the watch is live again: a change reaches the cache through it
        Warmups.put(server.admin(), DB, WarmStatus.LOADING);
        await().atMost(WAIT).untilAsserted(() -> assertThat(status()).isEqualTo(WarmStatus.LOADING));
        // what was opened through the frozen path is closed: the relisted informer's watch and at most an
        // idle pooled connection stay
        await().atMost(WAIT)
                .pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> assertThat(proxy.openConnections()).isLessThanOrEqualTo(3));
    }

    @Test
    void a_frozen_node_watch_is_trusted_for_max_silence_then_unknown_then_not_ready_once_the_path_recovers() {
        server.admin().nodes().resource(node(true)).create();
        assertThat(nodes.probe(CLUSTER).isReady()).isTrue();

        proxy.freeze();
        server.admin().nodes().resource(node(false)).update(); // gone NotReady; the watch never hears of it

        clock.advance(MAX_SILENCE.minus(SLACK));
        assertThat(nodes.probe(CLUSTER).isReady()).as("within maxSilence").isTrue();
        assertThat(nodes.watchAge(CLUSTER)).contains(MAX_SILENCE.minus(SLACK));
        assertThat(ages).containsEntry("nodes", MAX_SILENCE.minus(SLACK));

        clock.advance(SLACK.multipliedBy(2));
        assertThat(nodes.isWatching(CLUSTER)).isFalse();
        assertThatThrownBy(() -> nodes.probe(CLUSTER))
                .isInstanceOf(BackendUnavailableException.class)
                .hasMessageContaining("silent");
        assertThatThrownBy(() -> nodes.probe(CLUSTER)).isInstanceOf(BackendUnavailableException.class);

        proxy.thaw();
        await().atMost(WAIT)
                .pollInterval(Duration.ofMillis(200))
                .ignoreException(BackendUnavailableException.class)
                .untilAsserted(() -> assertThat(nodes.probe(CLUSTER).isReady()).isFalse());
        assertThat(nodes.isWatching(CLUSTER)).isTrue();
    }

    @Test
    void a_quiet_healthy_watch_is_relisted_once_per_max_silence_and_keeps_answering() {
        Warmups.put(server.admin(), DB, WarmStatus.READY);
        assertThat(status()).isEqualTo(WarmStatus.READY);
        int before = server.requestCount();

        clock.advance(MAX_SILENCE.plus(SLACK)); // the mock server sends no bookmarks: silent
        assertThat(status()).as("relisted at once on a healthy path").isEqualTo(WarmStatus.READY);
        int afterRelist = server.requestCount();
        assertThat(afterRelist - before).as("one LIST and one WATCH").isBetween(1, 3);

        clock.advance(MAX_SILENCE.minus(SLACK));
        assertThat(status()).isEqualTo(WarmStatus.READY);
        assertThat(server.requestCount()).as("no relist within maxSilence").isEqualTo(afterRelist);
    }

    @Test
    void an_event_is_a_sign_of_life() {
        Warmups.put(server.admin(), DB, WarmStatus.READY);
        assertThat(status()).isEqualTo(WarmStatus.READY);

        clock.advance(MAX_SILENCE.minus(SLACK));
        Warmups.put(server.admin(), DB, WarmStatus.LOADING);
        await().atMost(WAIT).untilAsserted(() -> assertThat(status()).isEqualTo(WarmStatus.LOADING));
        int before = server.requestCount();

        clock.advance(SLACK.multipliedBy(2)); // past maxSilence since the sync, not since the event
        assertThat(statuses.isWatching(CLUSTER)).isTrue();
        assertThat(status()).isEqualTo(WarmStatus.LOADING);
        assertThat(server.requestCount()).as("not relisted").isEqualTo(before);
        assertThat(statuses.watchAge(CLUSTER))
                .hasValueSatisfying(age -> assertThat(age).isLessThanOrEqualTo(SLACK.multipliedBy(2)));
    }

    @Test
    void max_silence_must_be_positive() {
        assertThatThrownBy(() -> Fabric8InformerWarmStatusProbe.builder(clients).maxSilence(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'maxSilence' must be positive");
        assertThatThrownBy(
                        () -> Fabric8InformerNodeReadinessProbe.builder(clients).maxSilence(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'maxSilence' must be positive");
    }
}
