package org.elb.warmkeeper.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.elb.warmkeeper.core.BackendUnavailableException;
import org.elb.warmkeeper.core.cluster.ClusterRef;
import org.elb.warmkeeper.core.cluster.DatabaseName;
import org.elb.warmkeeper.core.warm.WarmStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class Fabric8InformerWarmStatusProbeTest {

    private static final ClusterRef CLUSTER = ClusterRef.of("00000000-0000-0000-0000-0000000000dd", "rg", "informed");
    private static final DatabaseName DB = DatabaseName.of("nt");

    private final MockCluster cluster = MockCluster.start();
    private final KubernetesClientProvider clients = KubernetesClientProvider.builder(
                    KubernetesConfigSource.of(Map.of(CLUSTER, cluster.config())))
            .requestTimeout(Duration.ofSeconds(2))
            .build();
    private final Fabric8InformerWarmStatusProbe probe = Fabric8InformerWarmStatusProbe.builder(clients)
            .syncTimeout(Duration.ofSeconds(3))
            .build();

    @AfterEach
    void stop() {
        probe.close();
        clients.close();
        cluster.close();
    }

    @Test
    void a_cluster_whose_informer_cannot_start_is_unavailable_and_recovers_on_a_later_call() {
        Warmups.put(cluster.admin(), DB, WarmStatus.READY);
        cluster.failWith(500);
        assertThatThrownBy(() -> probe.statuses(CLUSTER, Set.of(DB)))
                .isInstanceOf(BackendUnavailableException.class)
                .hasMessageContaining(CLUSTER.display());
        assertThat(probe.hasSynced(CLUSTER)).isFalse();

        cluster.heal();
        org.awaitility.Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .ignoreExceptions()
                .until(() -> probe.statuses(CLUSTER, Set.of(DB)).get(DB) == WarmStatus.READY);
        assertThat(probe.hasSynced(CLUSTER)).isTrue();
    }

    @Test
    void a_closed_probe_refuses_calls() {
        probe.close();
        assertThatThrownBy(() -> probe.statuses(CLUSTER, Set.of(DB))).isInstanceOf(IllegalStateException.class);
    }
}
