package org.elb.warmkeeper.benchmarks.warm;

import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.Config;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.elb.warmkeeper.azure.AksReadinessProbe;
import org.elb.warmkeeper.azure.ArmConnection;
import org.elb.warmkeeper.azure.ArmRetry;
import org.elb.warmkeeper.core.cluster.ClusterRef;
import org.elb.warmkeeper.core.cluster.DatabaseName;
import org.elb.warmkeeper.core.warm.AutoWarmReconciler;
import org.elb.warmkeeper.core.warm.CachedReadinessProbe;
import org.elb.warmkeeper.core.warm.ClusterReadinessProbe;
import org.elb.warmkeeper.core.warm.ClusterStatus;
import org.elb.warmkeeper.core.warm.TickReport;
import org.elb.warmkeeper.core.warm.WarmStatusProbe;
import org.elb.warmkeeper.k8s.Fabric8InformerNodeReadinessProbe;
import org.elb.warmkeeper.k8s.Fabric8InformerWarmStatusProbe;
import org.elb.warmkeeper.k8s.Fabric8NodeReadinessProbe;
import org.elb.warmkeeper.k8s.Fabric8WarmStatusProbe;
import org.elb.warmkeeper.k8s.Fabric8WarmupDispatcher;
import org.elb.warmkeeper.k8s.KubernetesClientProvider;
import org.elb.warmkeeper.k8s.KubernetesConfigSource;
import org.elb.warmkeeper.k8s.WarmupJobTemplate;
import org.elb.warmkeeper.k8s.WarmupNames;
import org.elb.warmkeeper.testkit.InMemoryAutoWarmPreferences;
import org.elb.warmkeeper.testkit.InMemoryDatabaseInventory;
import org.elb.warmkeeper.testkit.InMemoryInflightLock;
import org.elb.warmkeeper.testkit.MutableClock;
import org.elb.warmkeeper.testservers.LocalArm;
import org.elb.warmkeeper.testservers.TestKubernetes;

/**
 * What a steady-state tick costs in API calls, by kind, on the runner's wiring: {@code C} clusters, each
 * its own Fabric8 mock API server (CRUD mode, loopback), and one local Resource Manager; every database
 * warm, so nothing is dispatched. The clock moves one minute per tick (the runner's default interval).
 * Three wirings:
 *
 * <ul>
 *   <li>{@code default}: what {@code run} builds now: warm status and node readiness from informers, ARM
 *       readiness cached ({@code elb.azure.readiness-cache}, 5 min) with the adapters' ARM retries;
 *   <li>{@code list}: {@code elb.kube.status-source=list} (one LIST of warmup pods and one of nodes per
 *       cluster per tick), ARM cached;
 *   <li>{@code list, no ARM cache}: the same with {@code elb.azure.readiness-cache=PT0S}.
 * </ul>
 *
 * Requests are counted at the servers, over {@code T} ticks after three warm-up ticks (which include the
 * informers' first LIST and WATCH). Args: {@code [clusters] [databases] [ticks]}.
 */
public final class TickApiCallsBenchmark {

    private static final String NS = "default";
    private static final java.util.logging.Logger MOCK_LOG =
            java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

    private TickApiCallsBenchmark() {}

    record Result(String wiring, double kubePerClusterTick, double armPerClusterTick, double medianMillis) {}

    public static void main(String[] args) throws Exception {
        MOCK_LOG.setLevel(java.util.logging.Level.WARNING);
        int clusters = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int databases = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        int ticks = args.length > 2 ? Integer.parseInt(args[2]) : 30;

        List<TestKubernetes> servers = new ArrayList<>();
        Map<ClusterRef, Config> configs = new HashMap<>();
        InMemoryAutoWarmPreferences prefs = new InMemoryAutoWarmPreferences();
        InMemoryDatabaseInventory inventory = new InMemoryDatabaseInventory();
        List<DatabaseName> dbs = new ArrayList<>();
        for (int d = 0; d < databases; d++) {
            dbs.add(DatabaseName.of("db_" + d));
        }
        LocalArm arm = new LocalArm();
        for (int c = 0; c < clusters; c++) {
            TestKubernetes server = TestKubernetes.start();
            servers.add(server);
            String name = "elb-" + c;
            ClusterRef ref = ClusterRef.of(String.format("00000000-0000-0000-0000-%012d", c), "rg-bench", name);
            arm.existing(name);
            configs.put(ref, server.config());
            prefs.enable(ref, dbs);
            inventory.markDownloaded(ref, dbs.toArray(DatabaseName[]::new));
            seed(server, dbs);
        }

        List<Result> results = new ArrayList<>();
        for (String wiring : List.of("default", "list", "list, no ARM cache")) {
            try (KubernetesClientProvider clients = KubernetesClientProvider.builder(KubernetesConfigSource.of(configs))
                    .build()) {
                results.add(run(wiring, clients, arm, servers, prefs, inventory, clusters, ticks));
            }
        }

        System.out.printf(
                Locale.ROOT,
                "%nSteady-state tick, %d clusters x %d databases (all warm), %d measured ticks one minute apart"
                        + " (after 3 warm-up ticks); API calls per cluster per tick, counted at the servers%n",
                clusters,
                databases,
                ticks);
        System.out.printf(Locale.ROOT, "%-22s %12s %12s %16s%n", "wiring", "kubernetes", "arm", "median tick ms");
        for (Result r : results) {
            System.out.printf(
                    Locale.ROOT,
                    "%-22s %12.2f %12.2f %16.1f%n",
                    r.wiring(),
                    r.kubePerClusterTick(),
                    r.armPerClusterTick(),
                    r.medianMillis());
        }
        arm.close();
        servers.forEach(s -> new Thread(s::close).start());
        System.exit(0);
    }

    private static Result run(
            String wiring,
            KubernetesClientProvider clients,
            LocalArm arm,
            List<TestKubernetes> servers,
            InMemoryAutoWarmPreferences prefs,
            InMemoryDatabaseInventory inventory,
            int clusters,
            int ticks) {
        MutableClock clock = MutableClock.start();
        boolean informers = wiring.equals("default");
        boolean armCache = !wiring.contains("no ARM cache");
        List<AutoCloseable> informerProbes = new ArrayList<>();
        try {
            WarmStatusProbe statuses;
            ClusterReadinessProbe nodes;
            if (informers) {
                Fabric8InformerWarmStatusProbe s =
                        Fabric8InformerWarmStatusProbe.builder(clients).build();
                Fabric8InformerNodeReadinessProbe n =
                        Fabric8InformerNodeReadinessProbe.builder(clients).build();
                informerProbes.add(s);
                informerProbes.add(n);
                statuses = s;
                nodes = n;
            } else {
                statuses = Fabric8WarmStatusProbe.builder(clients).build();
                nodes = Fabric8NodeReadinessProbe.of(clients);
            }
            AksReadinessProbe aks = AksReadinessProbe.of(ArmConnection.of(ArmRetry.pipeline(), arm.base()));
            ClusterReadinessProbe armReady = armCache
                    ? CachedReadinessProbe.builder(aks)
                            .clock(clock)
                            .readyTtl(CachedReadinessProbe.DEFAULT_READY_TTL)
                            .build()
                    : aks;
            try (AutoWarmReconciler reconciler = AutoWarmReconciler.builder(
                            prefs,
                            inventory,
                            statuses,
                            new InMemoryInflightLock(clock),
                            Fabric8WarmupDispatcher.builder(clients, WarmupJobTemplate.defaults("ncbi/elb:1.4.0"))
                                    .build())
                    .readiness(ClusterReadinessProbe.allOf(armReady, nodes))
                    .clock(clock)
                    .build()) {
                for (int i = 0; i < 3; i++) {
                    check(reconciler.tick(), wiring);
                    clock.advance(Duration.ofMinutes(1));
                }
                long kubeBefore =
                        servers.stream().mapToLong(TestKubernetes::requestCount).sum();
                long armBefore = arm.requests().size();
                double[] millis = new double[ticks];
                for (int i = 0; i < ticks; i++) {
                    long start = System.nanoTime();
                    check(reconciler.tick(), wiring);
                    millis[i] = (System.nanoTime() - start) / 1e6;
                    clock.advance(Duration.ofMinutes(1));
                }
                long kube =
                        servers.stream().mapToLong(TestKubernetes::requestCount).sum() - kubeBefore;
                long armCalls = arm.requests().size() - armBefore;
                Arrays.sort(millis);
                double per = (double) clusters * ticks;
                return new Result(wiring, kube / per, armCalls / per, millis[ticks / 2]);
            }
        } finally {
            for (AutoCloseable c : informerProbes) {
                try {
                    c.close();
                } catch (Exception e) {
                    System.err.println("closing " + c + ": " + e);
                }
            }
        }
    }

    /** Every cluster must be ready_noop: a tick that probed nothing would count nothing. */
    private static void check(TickReport report, String wiring) {
        report.clusters().forEach(o -> {
            if (o.status() != ClusterStatus.READY_NOOP) {
                throw new IllegalStateException(
                        wiring + ": " + o.cluster().display() + " is " + o.status() + " (" + o.detail() + ")");
            }
        });
    }

    private static void seed(TestKubernetes server, List<DatabaseName> dbs) {
        server.admin()
                .nodes()
                .resource(new NodeBuilder()
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
        for (DatabaseName db : dbs) {
            server.admin()
                    .pods()
                    .inNamespace(NS)
                    .resource(new PodBuilder()
                            .withNewMetadata()
                            .withName("elb-warmup-" + WarmupNames.key(db) + "-x")
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
                            .build())
                    .create();
        }
    }
}
