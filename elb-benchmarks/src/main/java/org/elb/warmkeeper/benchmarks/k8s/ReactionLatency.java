package org.elb.warmkeeper.benchmarks.k8s;

import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.elb.warmkeeper.core.cluster.ClusterRef;
import org.elb.warmkeeper.core.cluster.DatabaseName;
import org.elb.warmkeeper.core.warm.AutoWarmReconciler;
import org.elb.warmkeeper.core.warm.AutoWarmScheduler;
import org.elb.warmkeeper.core.warm.ClusterReadinessProbe;
import org.elb.warmkeeper.k8s.Fabric8InformerNodeReadinessProbe;
import org.elb.warmkeeper.k8s.Fabric8InformerWarmStatusProbe;
import org.elb.warmkeeper.k8s.KubernetesClientProvider;
import org.elb.warmkeeper.k8s.KubernetesConfigSource;
import org.elb.warmkeeper.k8s.WarmupNames;
import org.elb.warmkeeper.testkit.InMemoryAutoWarmPreferences;
import org.elb.warmkeeper.testkit.InMemoryDatabaseInventory;
import org.elb.warmkeeper.testkit.InMemoryInflightLock;
import org.elb.warmkeeper.testkit.MutableClock;
import org.elb.warmkeeper.testkit.RecordingWarmupDispatcher;

/**
 * Reaction time of a scheduler built on the informer-backed probes, with a 60 s tick: from the request
 * that deletes a warm database's pod at the API server (a Fabric8 mock server in CRUD mode in this JVM)
 * to the warmup enqueued for it. {@code N} rounds (default 20), one database each, a second apart; the
 * first tick found every database READY, so each enqueue is the reaction's (the next tick is a minute
 * away). Prints every latency, p50 and p95, and the ticks run (1 expected). Args: {@code [rounds]
 * [changeQuietMs]} (default 20 and the scheduler's default, 500 ms).
 */
public final class ReactionLatency {

    private static final String NS = "default";

    private ReactionLatency() {}

    public static void main(String[] args) throws Exception {
        java.util.logging.Logger.getLogger("io.fabric8.mockwebserver").setLevel(java.util.logging.Level.WARNING);
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        Duration quiet =
                args.length > 1 ? Duration.ofMillis(Long.parseLong(args[1])) : AutoWarmScheduler.DEFAULT_CHANGE_QUIET;
        KubernetesMockServer server = new KubernetesMockServer(
                new Context(),
                new MockWebServer(),
                new HashMap<>(),
                new KubernetesMixedDispatcher(new HashMap<>()),
                false);
        server.init();
        Config config = new ConfigBuilder(Config.empty())
                .withMasterUrl("http://localhost:" + server.getPort())
                .withNamespace(NS)
                .withRequestRetryBackoffLimit(0)
                .build();
        ClusterRef cluster = ClusterRef.of("00000000-0000-0000-0000-00000000beef", "rg-bench", "react");
        List<DatabaseName> dbs = new ArrayList<>();
        for (int i = 0; i < rounds; i++) {
            dbs.add(DatabaseName.of("db_" + i));
        }
        InMemoryAutoWarmPreferences prefs = new InMemoryAutoWarmPreferences();
        prefs.enable(cluster, dbs);
        InMemoryDatabaseInventory inventory = new InMemoryDatabaseInventory();
        inventory.markDownloaded(cluster, dbs.toArray(DatabaseName[]::new));
        Map<DatabaseName, Long> enqueuedAt = new ConcurrentHashMap<>();
        RecordingWarmupDispatcher dispatcher =
                new RecordingWarmupDispatcher().onEnqueue(r -> enqueuedAt.put(r.database(), System.nanoTime()));
        Map<DatabaseName, Pod> pods = new HashMap<>();
        try (KubernetesClient admin =
                        new KubernetesClientBuilder().withConfig(config).build();
                KubernetesClientProvider clients = KubernetesClientProvider.builder(
                                KubernetesConfigSource.of(Map.of(cluster, config)))
                        .build();
                Fabric8InformerWarmStatusProbe statuses =
                        Fabric8InformerWarmStatusProbe.builder(clients).build();
                Fabric8InformerNodeReadinessProbe nodes =
                        Fabric8InformerNodeReadinessProbe.builder(clients).build()) {
            admin.nodes()
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
            for (DatabaseName db : dbs) {
                pods.put(db, admin.pods().inNamespace(NS).resource(readyPod(db)).create());
            }
            AutoWarmReconciler reconciler = AutoWarmReconciler.builder(
                            prefs, inventory, statuses, new InMemoryInflightLock(MutableClock.start()), dispatcher)
                    .readiness(ClusterReadinessProbe.allOf(nodes))
                    .build();
            try (reconciler;
                    AutoWarmScheduler scheduler = AutoWarmScheduler.builder(reconciler)
                            .interval(Duration.ofSeconds(60))
                            .changeQuiet(quiet)
                            .build()
                            .start()) {
                waitUntil(() -> scheduler.completedTicks() == 1, Duration.ofSeconds(30));
                double[] millis = new double[rounds];
                for (int i = 0; i < rounds; i++) {
                    DatabaseName db = dbs.get(i);
                    long start = System.nanoTime();
                    admin.pods().inNamespace(NS).resource(pods.get(db)).delete();
                    waitUntil(() -> enqueuedAt.containsKey(db), Duration.ofSeconds(30));
                    millis[i] = (enqueuedAt.getOrDefault(db, start) - start) / 1e6;
                    System.out.printf(
                            Locale.ROOT,
                            "round %2d: %s enqueued %.0f ms after its pod was deleted%n",
                            i + 1,
                            db,
                            millis[i]);
                    Thread.sleep(1000);
                }
                double[] sorted = millis.clone();
                Arrays.sort(sorted);
                System.out.printf(
                        Locale.ROOT,
                        "%nReaction time, %d changes (pod deleted -> warmup enqueued), tick every 60 s, change quiet %d ms:"
                                + " p50 %.0f ms, p95 %.0f ms, max %.0f ms; ticks run: %d, runs of changed clusters: %d%n",
                        rounds,
                        quiet.toMillis(),
                        percentile(sorted, 0.50),
                        percentile(sorted, 0.95),
                        sorted[sorted.length - 1],
                        scheduler.completedTicks(),
                        scheduler.changeRuns());
            }
        } finally {
            new Thread(server::destroy).start();
        }
        System.exit(0);
    }

    /** Nearest-rank percentile of sorted values. */
    static double percentile(double[] sorted, double p) {
        int rank = (int) Math.ceil(p * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    private static Pod readyPod(DatabaseName db) {
        return new PodBuilder()
                .withNewMetadata()
                .withName("elb-warmup-" + WarmupNames.key(db))
                .withNamespace(NS)
                .addToLabels(WarmupNames.COMPONENT_LABEL, WarmupNames.DEFAULT_COMPONENT)
                .addToLabels(WarmupNames.DATABASE_KEY_LABEL, WarmupNames.key(db))
                .addToAnnotations(WarmupNames.DATABASE_ANNOTATION, db.value())
                .endMetadata()
                .withNewStatus()
                .withPhase("Running")
                .addNewCondition()
                .withType("Ready")
                .withStatus("True")
                .endCondition()
                .endStatus()
                .build();
    }

    private static void waitUntil(java.util.function.BooleanSupplier condition, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("not reached within " + timeout);
            }
            Thread.sleep(5);
        }
    }
}
