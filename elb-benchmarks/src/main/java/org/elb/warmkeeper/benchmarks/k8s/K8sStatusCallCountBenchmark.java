package org.elb.warmkeeper.benchmarks.k8s;

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
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.elb.warmkeeper.core.cluster.ClusterRef;
import org.elb.warmkeeper.core.cluster.DatabaseName;
import org.elb.warmkeeper.core.warm.AutoWarmReconciler;
import org.elb.warmkeeper.core.warm.WarmStatus;
import org.elb.warmkeeper.core.warm.WarmStatusProbe;
import org.elb.warmkeeper.k8s.Fabric8InformerWarmStatusProbe;
import org.elb.warmkeeper.k8s.Fabric8WarmStatusProbe;
import org.elb.warmkeeper.k8s.KubernetesClientProvider;
import org.elb.warmkeeper.k8s.KubernetesConfigSource;
import org.elb.warmkeeper.k8s.WarmupNames;
import org.elb.warmkeeper.k8s.WarmupStatusMapping;
import org.elb.warmkeeper.testkit.InMemoryAutoWarmPreferences;
import org.elb.warmkeeper.testkit.InMemoryDatabaseInventory;
import org.elb.warmkeeper.testkit.InMemoryInflightLock;
import org.elb.warmkeeper.testkit.MutableClock;
import org.elb.warmkeeper.testkit.RecordingWarmupDispatcher;

/**
 * API requests per auto-warm tick and tick wall time, over {@code C} clusters x {@code D} databases
 * (default 10 x 50), for three warm-status probes:
 * <ul>
 *   <li>{@code batched}: {@link Fabric8WarmStatusProbe}, one LIST of warmup pods per cluster;
 *   <li>{@code informer}: {@link Fabric8InformerWarmStatusProbe}, answers from a watched cache;
 *   <li>{@code naive}: one request per database (a LIST selected by the database's key label, the
 *       same cost as a GET by name), as a per-DB status call would do.
 * </ul>
 * Each cluster is a Fabric8 mock server (CRUD mode) in this JVM, so a request costs a loopback round
 * trip: real API servers add network latency to every request, which multiplies the naive cost.
 * Requests are counted at the servers. Run:
 * {@code mvn -B -pl elb-benchmarks -am -DskipTests -Pbench-k8s verify} (sizes via
 * {@code -Dbench.clusters=10 -Dbench.databases=50 -Dbench.ticks=20 -Dbench.latencyMs=0}; a
 * latency delays every non-watch answer, as a remote API server would).
 */
public final class K8sStatusCallCountBenchmark {

    private static final String NS = "default";
    /** The mock server logs every request at INFO through java.util.logging (held: JUL keeps loggers weakly). */
    private static final java.util.logging.Logger MOCK_LOG =
            java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

    private K8sStatusCallCountBenchmark() {}

    /** Counts the requests a server receives; optionally delays each answer to simulate network latency. */
    private static final class Counting extends Dispatcher {
        private final Dispatcher delegate;
        volatile Duration latency;
        final AtomicLong requests = new AtomicLong();

        Counting(Dispatcher delegate, Duration latency) {
            this.delegate = delegate;
            this.latency = latency;
        }

        @Override
        public MockResponse dispatch(RecordedRequest request) {
            requests.incrementAndGet();
            MockResponse response = delegate.dispatch(request);
            boolean watch = request.getPath() != null && request.getPath().contains("watch=true");
            return latency.isZero() || watch ? response : response.setBodyDelay(latency);
        }
    }

    /** The naive probe: one request per database. */
    private static final class PerDatabaseProbe implements WarmStatusProbe {
        private final KubernetesClientProvider clients;

        PerDatabaseProbe(KubernetesClientProvider clients) {
            this.clients = clients;
        }

        @Override
        public Map<DatabaseName, WarmStatus> statuses(ClusterRef cluster, Set<DatabaseName> databases) {
            KubernetesClient client = clients.client(cluster);
            Map<DatabaseName, WarmStatus> out = new LinkedHashMap<>();
            for (DatabaseName db : databases) {
                List<Pod> pods = client.pods()
                        .inNamespace(NS)
                        .withLabel(WarmupNames.DATABASE_KEY_LABEL, WarmupNames.key(db))
                        .list()
                        .getItems();
                out.putAll(WarmupStatusMapping.byDatabase(List.of(), pods, Set.of(db)));
            }
            return out;
        }
    }

    record Result(String probe, double callsPerTick, double medianMillis, double p90Millis) {}

    public static void main(String[] args) throws Exception {
        MOCK_LOG.setLevel(java.util.logging.Level.WARNING);
        int clusters = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int databases = args.length > 1 ? Integer.parseInt(args[1]) : 50;
        int ticks = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        Duration latency = Duration.ofMillis(args.length > 3 ? Long.parseLong(args[3]) : 0);

        List<KubernetesMockServer> servers = new ArrayList<>();
        List<Counting> counters = new ArrayList<>();
        Map<ClusterRef, Config> configs = new HashMap<>();
        InMemoryAutoWarmPreferences prefs = new InMemoryAutoWarmPreferences();
        InMemoryDatabaseInventory inventory = new InMemoryDatabaseInventory();
        List<DatabaseName> dbs = new ArrayList<>();
        for (int d = 0; d < databases; d++) {
            dbs.add(DatabaseName.of("db_" + d));
        }
        for (int c = 0; c < clusters; c++) {
            Counting counting = new Counting(new KubernetesMixedDispatcher(new HashMap<>()), Duration.ZERO);
            KubernetesMockServer server =
                    new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), counting, false);
            server.init();
            servers.add(server);
            counters.add(counting);
            ClusterRef ref = ClusterRef.of(String.format("00000000-0000-0000-0000-%012d", c), "rg-bench", "elb-" + c);
            Config config = new ConfigBuilder(Config.empty())
                    .withMasterUrl("http://localhost:" + server.getPort())
                    .withNamespace(NS)
                    .withRequestRetryBackoffLimit(0)
                    .build();
            configs.put(ref, config);
            prefs.enable(ref, dbs);
            inventory.markDownloaded(ref, dbs.toArray(DatabaseName[]::new));
            try (KubernetesClient admin =
                    new KubernetesClientBuilder().withConfig(config).build()) {
                for (int d = 0; d < databases; d++) {
                    admin.pods().inNamespace(NS).resource(pod(dbs.get(d), d)).create();
                }
            }
        }

        counters.forEach(c -> c.latency = latency); // seeding above ran without simulated latency
        List<Result> results = new ArrayList<>();
        try (KubernetesClientProvider clients = KubernetesClientProvider.builder(KubernetesConfigSource.of(configs))
                .build()) {
            results.add(run(
                    "batched LIST",
                    Fabric8WarmStatusProbe.builder(clients).build(),
                    prefs,
                    inventory,
                    counters,
                    ticks));
            try (Fabric8InformerWarmStatusProbe informer =
                    Fabric8InformerWarmStatusProbe.builder(clients).build()) {
                results.add(run("informer", informer, prefs, inventory, counters, ticks));
            }
            results.add(run("naive per-DB", new PerDatabaseProbe(clients), prefs, inventory, counters, ticks));
        }

        System.out.printf(
                Locale.ROOT,
                "%nWarm-status probe, %d clusters x %d databases, %d measured ticks (after 3 warm-up ticks), %d ms simulated latency per request%n",
                clusters,
                databases,
                ticks,
                latency.toMillis());
        System.out.printf(
                Locale.ROOT, "%-14s %14s %16s %14s%n", "probe", "calls/tick", "median tick ms", "p90 tick ms");
        for (Result r : results) {
            System.out.printf(
                    Locale.ROOT,
                    "%-14s %14.1f %16.1f %14.1f%n",
                    r.probe(),
                    r.callsPerTick(),
                    r.medianMillis(),
                    r.p90Millis());
        }
        Result batched = results.get(0);
        Result naive = results.get(2);
        System.out.printf(
                Locale.ROOT,
                "naive/batched: %.0fx the calls, %.1fx the median tick time%n",
                naive.callsPerTick() / batched.callsPerTick(),
                naive.medianMillis() / batched.medianMillis());
        servers.forEach(s -> new Thread(s::destroy).start());
        System.exit(0);
    }

    private static Pod pod(DatabaseName db, int i) {
        PodBuilder b = new PodBuilder()
                .withNewMetadata()
                .withName("elb-warmup-" + WarmupNames.key(db) + "-x")
                .withNamespace(NS)
                .addToLabels(WarmupNames.COMPONENT_LABEL, WarmupNames.DEFAULT_COMPONENT)
                .addToLabels(WarmupNames.DATABASE_KEY_LABEL, WarmupNames.key(db))
                .addToAnnotations(WarmupNames.DATABASE_ANNOTATION, db.value())
                .endMetadata();
        return switch (i % 3) {
            case 0 ->
                b.withNewStatus()
                        .withPhase("Running")
                        .addNewCondition()
                        .withType("Ready")
                        .withStatus("True")
                        .endCondition()
                        .endStatus()
                        .build();
            case 1 -> b.withNewStatus().withPhase("Pending").endStatus().build();
            default -> b.withNewStatus().withPhase("Failed").endStatus().build();
        };
    }

    private static Result run(
            String name,
            WarmStatusProbe probe,
            InMemoryAutoWarmPreferences prefs,
            InMemoryDatabaseInventory inventory,
            List<Counting> counters,
            int ticks) {
        AutoWarmReconciler reconciler = AutoWarmReconciler.builder(
                        prefs,
                        inventory,
                        probe,
                        new InMemoryInflightLock(new MutableClock(Instant.parse("2026-01-01T00:00:00Z"))),
                        new RecordingWarmupDispatcher())
                .build();
        for (int i = 0; i < 3; i++) {
            reconciler.tick(); // warm up: JIT, connections, informer sync
        }
        long before = counters.stream().mapToLong(c -> c.requests.get()).sum();
        double[] millis = new double[ticks];
        for (int i = 0; i < ticks; i++) {
            long start = System.nanoTime();
            reconciler.tick();
            millis[i] = (System.nanoTime() - start) / 1e6;
        }
        long calls = counters.stream().mapToLong(c -> c.requests.get()).sum() - before;
        Arrays.sort(millis);
        return new Result(name, (double) calls / ticks, millis[ticks / 2], millis[(int) Math.floor(ticks * 0.9)]);
    }
}
