package org.elb.warmkeeper.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.elb.warmkeeper.core.cluster.ClusterRef;
import org.elb.warmkeeper.core.cluster.DatabaseName;
import org.elb.warmkeeper.core.warm.AutoWarmReconciler;
import org.elb.warmkeeper.core.warm.AutoWarmScheduler;
import org.elb.warmkeeper.core.warm.ClusterReadinessProbe;
import org.elb.warmkeeper.core.warm.ClusterStatus;
import org.elb.warmkeeper.testkit.InMemoryAutoWarmPreferences;
import org.elb.warmkeeper.testkit.InMemoryDatabaseInventory;
import org.elb.warmkeeper.testkit.InMemoryInflightLock;
import org.elb.warmkeeper.testkit.MutableClock;
import org.elb.warmkeeper.testkit.RecordingWarmupDispatcher;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A scheduler built on the informer-backed probes reacts to what the informers see, with nothing wired
 * for it and a 60 s tick: a warm pod deleted or failed, or the nodes becoming ready, enqueue a warmup
 * long before the next tick (the tick count stays 1); 1 000 pod events in one cluster make one run. On
 * Fabric8's mock server in CRUD mode. Counts and bounded waits; no assertion on elapsed time.
 */
class InformerReactionTest {

    private static final ClusterRef CLUSTER = ClusterRef.of("00000000-0000-0000-0000-0000000000ab", "rg", "react");
    private static final DatabaseName DB = DatabaseName.of("core_nt");
    private static final Duration TICK = Duration.ofSeconds(60);
    private static final Duration WAIT = Duration.ofSeconds(30);

    private final MockCluster cluster = MockCluster.start();
    private final KubernetesClientProvider clients = KubernetesClientProvider.builder(
                    KubernetesConfigSource.of(Map.of(CLUSTER, cluster.config())))
            .requestTimeout(Duration.ofSeconds(5))
            .build();
    private final Fabric8InformerWarmStatusProbe statuses = Fabric8InformerWarmStatusProbe.builder(clients)
            .syncTimeout(Duration.ofSeconds(10))
            .build();
    private final Fabric8InformerNodeReadinessProbe nodes = Fabric8InformerNodeReadinessProbe.builder(clients)
            .syncTimeout(Duration.ofSeconds(10))
            .build();
    private final InMemoryAutoWarmPreferences preferences = new InMemoryAutoWarmPreferences();
    private final InMemoryDatabaseInventory inventory = new InMemoryDatabaseInventory();
    private final RecordingWarmupDispatcher dispatcher = new RecordingWarmupDispatcher();
    private AutoWarmReconciler reconciler;
    private AutoWarmScheduler scheduler;

    @AfterEach
    void stop() {
        if (scheduler != null) {
            scheduler.close();
        }
        if (reconciler != null) {
            reconciler.close();
        }
        statuses.close();
        nodes.close();
        clients.close();
        cluster.close();
    }

    private void configure(DatabaseName... dbs) {
        preferences.enable(CLUSTER, List.of(dbs));
        inventory.markDownloaded(CLUSTER, dbs);
    }

    /** The reconciler as an embedder builds it: the informer probes, nothing wired for changes. */
    private AutoWarmScheduler start(Duration changeQuiet) {
        reconciler = AutoWarmReconciler.builder(
                        preferences, inventory, statuses, new InMemoryInflightLock(MutableClock.start()), dispatcher)
                .readiness(ClusterReadinessProbe.allOf(ClusterReadinessProbe.ALWAYS_READY, nodes))
                .build();
        scheduler = AutoWarmScheduler.builder(reconciler)
                .interval(TICK)
                .changeQuiet(changeQuiet)
                .build()
                .start();
        await().atMost(WAIT).until(() -> scheduler.completedTicks() == 1);
        return scheduler;
    }

    private static Node node(String ready) {
        return new NodeBuilder()
                .withNewMetadata()
                .withName("n1")
                .endMetadata()
                .withNewStatus()
                .addNewCondition()
                .withType("Ready")
                .withStatus(ready)
                .endCondition()
                .endStatus()
                .build();
    }

    private Pod warmPod() {
        Pod pod = Warmups.running(DB, true);
        return cluster.admin().pods().inNamespace(Warmups.NS).resource(pod).create();
    }

    @Test
    void a_deleted_warm_pod_is_enqueued_long_before_the_next_tick_without_an_api_call() {
        cluster.admin().nodes().resource(node("True")).create();
        configure(DB);
        Pod pod = warmPod();
        start(AutoWarmScheduler.DEFAULT_CHANGE_QUIET);
        assertThat(scheduler
                        .lastReport()
                        .orElseThrow()
                        .outcome(CLUSTER)
                        .orElseThrow()
                        .status())
                .isEqualTo(ClusterStatus.READY_NOOP);
        long callsBefore = cluster.calls();

        cluster.admin().pods().inNamespace(Warmups.NS).resource(pod).delete();

        await().atMost(WAIT).until(() -> dispatcher.enqueued().size() == 1);
        assertThat(scheduler.completedTicks())
                .as("enqueued by the reaction, not by a tick")
                .isEqualTo(1);
        assertThat(scheduler.changeRuns()).isEqualTo(1);
        assertThat(cluster.calls() - callsBefore)
                .as("API requests of the reaction: %s", cluster.requests())
                .isZero();
    }

    @Test
    void a_warm_pod_that_fails_is_enqueued_long_before_the_next_tick() {
        cluster.admin().nodes().resource(node("True")).create();
        configure(DB);
        Pod pod = warmPod();
        start(AutoWarmScheduler.DEFAULT_CHANGE_QUIET);
        assertThat(dispatcher.enqueued()).isEmpty();

        Pod failed = new PodBuilder(pod)
                .editStatus()
                .withPhase("Failed")
                .withReason("Evicted")
                .withConditions(List.of())
                .endStatus()
                .build();
        cluster.admin().pods().inNamespace(Warmups.NS).resource(failed).updateStatus();

        await().atMost(WAIT).until(() -> dispatcher.enqueued().size() == 1);
        assertThat(scheduler.completedTicks()).isEqualTo(1);
        assertThat(scheduler.changeRuns()).isEqualTo(1);
    }

    @Test
    void nodes_becoming_ready_enqueue_long_before_the_next_tick() {
        cluster.admin().nodes().resource(node("False")).create();
        configure(DB);
        start(AutoWarmScheduler.DEFAULT_CHANGE_QUIET);
        assertThat(scheduler
                        .lastReport()
                        .orElseThrow()
                        .outcome(CLUSTER)
                        .orElseThrow()
                        .status())
                .isEqualTo(ClusterStatus.CLUSTER_NOT_READY);

        cluster.admin().nodes().resource(node("True")).update();

        await().atMost(WAIT).until(() -> dispatcher.enqueued().size() == 1);
        assertThat(scheduler.completedTicks()).isEqualTo(1);
        assertThat(scheduler.changeRuns()).isEqualTo(1);
    }

    @Test
    void a_thousand_pod_events_in_one_cluster_make_one_run() {
        cluster.admin().nodes().resource(node("True")).create();
        List<DatabaseName> dbs = new ArrayList<>();
        for (int d = 0; d < 4; d++) {
            dbs.add(DatabaseName.of("db_" + d));
        }
        configure(dbs.toArray(DatabaseName[]::new));
        for (int i = 0; i < 1000; i++) {
            cluster.admin()
                    .pods()
                    .inNamespace(Warmups.NS)
                    .resource(Warmups.running(dbs.get(i % dbs.size()), true))
                    .create();
        }
        // a quiet time far longer than the gaps between the events of one delete-collection
        start(Duration.ofSeconds(2));
        assertThat(dispatcher.enqueued()).isEmpty();

        cluster.admin()
                .pods()
                .inNamespace(Warmups.NS)
                .withLabel(WarmupNames.COMPONENT_LABEL, WarmupNames.DEFAULT_COMPONENT)
                .delete(); // one request, 1 000 DELETED events on the watch

        await().atMost(WAIT).until(() -> scheduler.changesSeen() >= 1000);
        await().atMost(WAIT).until(() -> scheduler.changeRuns() == 1);
        await().during(Duration.ofSeconds(3)).atMost(WAIT).until(() -> scheduler.changeRuns() == 1);
        assertThat(dispatcher.enqueued()).as("one warmup per database").hasSize(dbs.size());
        assertThat(scheduler.completedTicks()).isEqualTo(1);
    }
}
