package org.elb.warmkeeper.core.warm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.elb.warmkeeper.core.cluster.ClusterRef;
import org.elb.warmkeeper.core.cluster.DatabaseName;
import org.junit.jupiter.api.Test;

/** The small composable defaults of the warm ports: readiness all-of and the per-cluster inventory batch. */
class ClusterReadinessProbeTest {

    static final ClusterRef A = ClusterRef.of("0f1e2d3c-4b5a-6978-8695-a4b3c2d1e0f9", "rg", "a");
    static final ClusterRef B = ClusterRef.of("0f1e2d3c-4b5a-6978-8695-a4b3c2d1e0f9", "rg", "b");

    @Test
    void all_of_asks_in_order_and_stops_at_the_first_not_ready() {
        List<String> asked = new ArrayList<>();
        ClusterReadinessProbe arm = c -> {
            asked.add("arm");
            return Readiness.ready();
        };
        ClusterReadinessProbe nodes = c -> {
            asked.add("nodes");
            return Readiness.notReady("2 of 3 nodes NotReady");
        };
        ClusterReadinessProbe never = c -> {
            asked.add("never");
            return Readiness.ready();
        };

        assertThat(ClusterReadinessProbe.allOf(arm, nodes, never).probe(A))
                .isEqualTo(Readiness.notReady("2 of 3 nodes NotReady"));
        assertThat(asked).containsExactly("arm", "nodes");
        assertThat(ClusterReadinessProbe.allOf(arm, never).probe(A).isReady()).isTrue();
        assertThat(ClusterReadinessProbe.allOf().probe(A).isReady()).isTrue();
        assertThat(ClusterReadinessProbe.ALWAYS_READY.probe(A)).isEqualTo(Readiness.ready());
    }

    @Test
    void the_default_inventory_batch_answers_every_requested_cluster() {
        DatabaseInventory perCluster = c -> c.equals(A) ? Set.of(DatabaseName.of("core_nt")) : Set.of();
        Map<ClusterRef, Set<DatabaseName>> all = perCluster.downloaded(List.of(A, B));
        assertThat(all).containsOnlyKeys(A, B);
        assertThat(all.get(A)).containsExactly(DatabaseName.of("core_nt"));
        assertThat(all.get(B)).isEmpty();
    }
}
