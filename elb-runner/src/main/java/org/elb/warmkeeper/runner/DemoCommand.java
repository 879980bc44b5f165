package org.elb.warmkeeper.runner;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.elb.warmkeeper.core.Secrets;
import org.elb.warmkeeper.core.cluster.DatabaseName;
import org.elb.warmkeeper.core.warm.AutoWarmObserver;
import org.elb.warmkeeper.core.warm.AutoWarmPreference;
import org.elb.warmkeeper.core.warm.AutoWarmPreferences;
import org.elb.warmkeeper.core.warm.AutoWarmReconciler;
import org.elb.warmkeeper.core.warm.AutoWarmScheduler;
import org.elb.warmkeeper.core.warm.ClusterOutcome;
import org.elb.warmkeeper.core.warm.DatabaseInventory;
import org.elb.warmkeeper.core.warm.TickReport;
import org.elb.warmkeeper.jdbi.JdbiStore;
import org.elb.warmkeeper.json.TickReportJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code demo}: the auto-warm reconciler on a simulated world, ticked by the real {@link AutoWarmScheduler}.
 * Preferences and the DB inventory live in an H2 file by default (the JDBI store: they survive a
 * restart, and a second run starts with every ready cluster's {@code lastReady=true}, the seed's case);
 * warm status, dispatch and the lock are in memory. Prints one line per cluster per tick, or the seed-shaped JSON report
 * with {@code --json}, and exits 0 after {@code --ticks} ticks.
 */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = "Runs auto-warm on a simulated world (no server needed) and prints each tick.")
final class DemoCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(
            names = "--ticks",
            defaultValue = "8",
            description = "Ticks to run before exiting (default: ${DEFAULT-VALUE}).")
    int ticks;

    @Option(
            names = "--interval",
            defaultValue = "PT0.2S",
            description =
                    "Delay between ticks, ISO-8601 (default: ${DEFAULT-VALUE}); each tick is one simulated minute.")
    Duration interval;

    @Option(names = "--json", description = "Print each tick's report as JSON (the seed's shape).")
    boolean json;

    /** Where the demo keeps auto-warm preferences and the DB inventory. */
    enum Store {
        H2,
        MEMORY
    }

    @Option(
            names = "--store",
            defaultValue = "h2",
            description = "h2: preferences and inventory in a database (an H2 file under --data-dir, or --jdbc-url), "
                    + "kept across runs; memory: nothing kept (default: ${DEFAULT-VALUE}).")
    String store;

    @Option(
            names = "--data-dir",
            defaultValue = "elb-data",
            description = "Directory of the H2 file (default: ${DEFAULT-VALUE}).")
    java.nio.file.Path dataDir;

    @Option(
            names = "--jdbc-url",
            description = "Keep preferences and inventory in this database instead of the H2 file, e.g. "
                    + "jdbc:postgresql://127.0.0.1:5432/test?user=postgres (credentials in the URL are never printed).")
    @org.jspecify.annotations.Nullable String jdbcUrl;

    @Override
    public Integer call() throws InterruptedException {
        if (ticks < 1) {
            throw new picocli.CommandLine.ParameterException(
                    spec.commandLine(), "'--ticks' must be a positive integer, but was " + ticks);
        }
        if (interval.isNegative() || interval.isZero()) {
            throw new picocli.CommandLine.ParameterException(
                    spec.commandLine(), "'--interval' must be positive, but was " + interval);
        }
        Store storeKind;
        try {
            storeKind = Store.valueOf(store.strip().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new picocli.CommandLine.ParameterException(
                    spec.commandLine(), "'--store' must be h2 or memory, but was '" + store + "'");
        }
        PrintWriter out = spec.commandLine().getOut();
        DemoWorld demo = new DemoWorld();
        AutoWarmPreferences preferences = demo.preferences;
        DatabaseInventory inventory = demo.world;
        JdbiStore jdbiStore = null;
        if (jdbcUrl != null && storeKind == Store.MEMORY) {
            throw new picocli.CommandLine.ParameterException(
                    spec.commandLine(), "'--jdbc-url' cannot be combined with '--store memory'");
        }
        String storeUrl = jdbcUrl != null
                ? jdbcUrl
                : "jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("demo");
        String storeName = jdbcUrl != null
                ? Secrets.masked(jdbcUrl.replaceAll("\\?.*$", ""))
                : "H2 file " + dataDir.resolve("demo.mv.db") + " (kept across runs)";
        if (storeKind == Store.H2) {
            try {
                jdbiStore = JdbiStore.builder(storeUrl).build();
            } catch (RuntimeException e) {
                spec.commandLine().getErr().println("cannot open the store " + storeName + ": " + e.getMessage());
                return 1;
            }
            for (AutoWarmPreference pref : demo.preferenceSeed()) {
                jdbiStore.autoWarmPreferences().enable(pref.cluster(), pref.databases());
                for (DatabaseName db : demo.world.downloaded(pref.cluster())) {
                    jdbiStore.databaseInventory().markDownloaded(pref.cluster(), db);
                }
            }
            preferences = jdbiStore.autoWarmPreferences();
            inventory = jdbiStore.databaseInventory();
        }
        CountDownLatch done = new CountDownLatch(ticks);
        AtomicInteger tickNo = new AtomicInteger();

        AutoWarmObserver printer = new AutoWarmObserver() {
            @Override
            public void tickCompleted(TickReport report, Duration duration) {
                if (done.getCount() == 0) {
                    return;
                }
                int n = tickNo.incrementAndGet();
                if (json) {
                    out.println(TickReportJson.toJson(report));
                } else {
                    report.clusters().forEach(o -> out.println(line(n, o)));
                }
                out.flush();
                demo.advance();
                done.countDown();
            }
        };

        AutoWarmReconciler reconciler = AutoWarmReconciler.builder(
                        preferences, inventory, demo.world, demo.lock, demo.world)
                .readiness(demo.world)
                .clock(demo.clock)
                .observer(printer)
                .build();
        if (!json) {
            out.println("ELB Warmkeeper demo: 3 clusters, " + ticks + " ticks every " + interval
                    + " (one simulated minute each); preferences and inventory: "
                    + (jdbiStore == null ? "in memory" : storeName));
        }
        try (AutoWarmScheduler scheduler =
                AutoWarmScheduler.builder(reconciler).interval(interval).build().start()) {
            if (!done.await(ticks * (interval.toMillis() + 5_000L), TimeUnit.MILLISECONDS)) {
                spec.commandLine().getErr().println("demo did not complete " + ticks + " ticks in time");
                return 1;
            }
        } finally {
            if (jdbiStore != null) {
                jdbiStore.close();
            }
        }
        return 0;
    }

    static String line(int tick, ClusterOutcome o) {
        String enq = o.enqueued().isEmpty()
                ? "-"
                : o.enqueued().stream().map(Object::toString).collect(Collectors.joining(","));
        String skipped = o.skipped().isEmpty()
                ? "-"
                : o.skipped().stream()
                        .map(s -> s.db() + ":" + s.reason().wireName())
                        .collect(Collectors.joining(","));
        String detail = o.detail() == null ? "" : "  (" + o.detail() + ")";
        return String.format(
                "tick %-3d %-12s %-18s enqueued=%-10s skipped=%s%s",
                tick, o.cluster().clusterName(), o.status().wireName(), enq, skipped, detail);
    }
}
