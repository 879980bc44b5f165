package org.elb.warmkeeper.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.elb.warmkeeper.core.BackendUnavailableException;
import org.elb.warmkeeper.core.cluster.ClusterRef;
import org.elb.warmkeeper.core.cluster.DatabaseName;
import org.elb.warmkeeper.core.warm.WarmStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A 401/403 (rotated credentials, re-created cluster) invalidates the cached client; it is rebuilt from
 * the config source and the call is made once more. Any other failure, or a second 401/403, is not retried.
 */
class ClientRebuildOnAuthFailureTest {

    private static final ClusterRef CLUSTER = ClusterRef.of("00000000-0000-0000-0000-0000000000ac", "rg", "elb-auth");
    private static final DatabaseName DB = DatabaseName.of("core_nt");
    private static final String PODS =
            "/api/v1/namespaces/default/pods?labelSelector=app.kubernetes.io%2Fcomponent%3Delb-warmup";

    private MockCluster cluster;
    private final AtomicInteger configs = new AtomicInteger();
    private KubernetesClientProvider clients;
    private Fabric8WarmStatusProbe probe;

    @BeforeEach
    void start() {
        cluster = MockCluster.start();
        clients = KubernetesClientProvider.builder(c -> {
                    configs.incrementAndGet();
                    return cluster.config();
                })
                .build();
        probe = Fabric8WarmStatusProbe.builder(clients).build();
        Warmups.put(cluster.admin(), DB, WarmStatus.READY);
    }

    @AfterEach
    void stop() {
        clients.close();
        cluster.close();
    }

    @Test
    void a_401_rebuilds_the_client_once_and_the_call_succeeds() {
        assertThat(probe.statuses(CLUSTER, Set.of(DB))).containsEntry(DB, WarmStatus.READY);
        cluster.expect()
                .get()
                .withPath(PODS)
                .andReturn(401, "{\"kind\":\"Status\",\"code\":401}")
                .once();

        assertThat(probe.statuses(CLUSTER, Set.of(DB))).containsEntry(DB, WarmStatus.READY);

        assertThat(configs).hasValue(2);
    }

    @Test
    void a_403_twice_is_rebuilt_once_then_reported() {
        probe.statuses(CLUSTER, Set.of(DB));
        cluster.expect()
                .get()
                .withPath(PODS)
                .andReturn(403, "{\"kind\":\"Status\",\"code\":403}")
                .times(2);

        assertThatThrownBy(() -> probe.statuses(CLUSTER, Set.of(DB))).isInstanceOf(BackendUnavailableException.class);

        assertThat(configs).hasValue(2);
        assertThat(probe.statuses(CLUSTER, Set.of(DB))).containsEntry(DB, WarmStatus.READY);
    }

    @Test
    void a_500_keeps_the_client() {
        probe.statuses(CLUSTER, Set.of(DB));
        cluster.expect().get().withPath(PODS).andReturn(500, "{}").once();

        assertThatThrownBy(() -> probe.statuses(CLUSTER, Set.of(DB))).isInstanceOf(BackendUnavailableException.class);

        assertThat(configs).hasValue(1);
    }

    @Test
    void node_readiness_rebuilds_on_401_too() {
        cluster.admin()
                .nodes()
                .resource(new io.fabric8.kubernetes.api.model.NodeBuilder()
                        .withNewMetadata()
                        .withName("aks-pool-0")
                        .endMetadata()
                        .withNewStatus()
                        .addNewCondition()
                        .withType("Ready")
                        .withStatus("True")
                        .endCondition()
                        .endStatus()
                        .build())
                .create();
        Fabric8NodeReadinessProbe nodes = Fabric8NodeReadinessProbe.of(clients);
        assertThat(nodes.probe(CLUSTER).isReady()).isTrue();
        cluster.expect().get().withPath("/api/v1/nodes").andReturn(401, "{}").once();

        assertThat(nodes.probe(CLUSTER).isReady()).isTrue();
        assertThat(configs).hasValue(2);
    }
}
