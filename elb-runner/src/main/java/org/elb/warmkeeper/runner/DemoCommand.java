package org.elb.warmkeeper.runner;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.elb.warmkeeper.core.Secrets;
import org.elb.warmkeeper.core.cluster.ClusterRef;
import org.elb.warmkeeper.core.cluster.DatabaseName;
import org.elb.warmkeeper.core.warm.AttemptEvent;
import org.elb.warmkeeper.core.warm.AutoWarmObserver;
import org.elb.warmkeeper.core.warm.AutoWarmPreference;
import org.elb.warmkeeper.core.warm.AutoWarmPreferences;
import org.elb.warmkeeper.core.warm.AutoWarmReconciler;
import org.elb.warmkeeper.core.warm.AutoWarmScheduler;
import org.elb.warmkeeper.core.warm.ClusterOutcome;
import org.elb.warmkeeper.core.warm.DatabaseInventory;
import org.elb.warmkeeper.core.warm.InflightKey;
import org.elb.warmkeeper.core.warm.TickReport;
import org.elb.warmkeeper.core.warm.WarmAttempt;
import org.elb.warmkeeper.core.warm.WarmAttemptHistory;
import org.elb.warmkeeper.core.warm.WarmBackoff;
import org.elb.warmkeeper.inmemory.InMemoryWarmAttemptHistory;
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
            defaultValue = "12",
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
        PrintingHistory history = new PrintingHistory(InMemoryWarmAttemptHistory.create());
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
                    for (ClusterOutcome o : report.clusters()) {
                        out.println(line(n, o));
                        history.drain(o.cluster()).forEach(a -> out.println(historyLine(n, a)));
                    }
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
                .history(history)
                .backoff(WarmBackoff.builder().base(DemoWorld.BACKOFF_BASE).build())
                .observer(printer)
                .build();
        if (!json) {
            out.println("ELB Warmkeeper demo: 3 clusters, " + ticks + " ticks every " + interval
                    + " (one simulated minute each), backoff base " + DemoWorld.BACKOFF_BASE.toMinutes()
                    + " simulated minutes; attempt history in memory; preferences and inventory: "
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

    /** One entry of the attempt history recorded during a tick, under its cluster's line. */
    static String historyLine(int tick, WarmAttempt a) {
        StringBuilder sb = new StringBuilder(String.format(
                "tick %-3d %-12s history: %s %s",
                tick, a.cluster().clusterName(), a.database(), a.event().wireName()));
        if (a.jobName() != null) {
            sb.append(" (job ").append(a.jobName()).append(')');
        } else if (a.reason() != null) {
            sb.append(" (").append(a.reason()).append(')');
        }
        return sb.toString();
    }

    /**
     * The demo's attempt history: kept in memory, and every entry is also queued per cluster for printing
     * under that cluster's line (entries of one cluster are recorded in order by its worker; a READY after
     * failures is marked "backoff reset").
     */
    static final class PrintingHistory implements WarmAttemptHistory {
        private final WarmAttemptHistory delegate;
        private final Map<ClusterRef, List<WarmAttempt>> pending = new ConcurrentHashMap<>();

        PrintingHistory(WarmAttemptHistory delegate) {
            this.delegate = delegate;
        }

        @Override
        public void record(WarmAttempt attempt) {
            WarmAttempt shown = attempt;
            if (attempt.event() == AttemptEvent.READY && failedSinceReady(attempt.key())) {
                shown = new WarmAttempt(
                        attempt.cluster(),
                        attempt.database(),
                        attempt.at(),
                        attempt.event(),
                        "backoff reset",
                        null,
                        null);
            }
            delegate.record(attempt);
            pending.computeIfAbsent(attempt.cluster(), c -> Collections.synchronizedList(new ArrayList<>()))
                    .add(shown);
        }

        private boolean failedSinceReady(InflightKey key) {
            for (WarmAttempt a : delegate.recent(key, WarmAttemptHistory.DEFAULT_KEEP)) {
                if (a.event() == AttemptEvent.READY) {
                    return false;
                }
                if (a.event() == AttemptEvent.FAILED) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public Map<InflightKey, List<WarmAttempt>> recent(Set<InflightKey> keys, int limit) {
            return delegate.recent(keys, limit);
        }

        /** The entries recorded for {@code cluster} since the last call, in order. */
        List<WarmAttempt> drain(ClusterRef cluster) {
            List<WarmAttempt> list = pending.get(cluster);
            if (list == null) {
                return List.of();
            }
            synchronized (list) {
                List<WarmAttempt> out = List.copyOf(list);
                list.clear();
                return out;
            }
        }
    }

    static String line(int tick, ClusterOutcome o) {
        String enq = o.enqueued().isEmpty()
                ? "-"
                : o.enqueued().stream().map(Object::toString).collect(Collectors.joining(","));
        String skipped = o.skipped().isEmpty()
                ? "-"
                : o.skipped().stream()
                        .map(s -> s.db() + ":" + s.reason().wireName()
                                + (s.retryAt() == null ? "" : "(retry_at=" + s.retryAt() + ")"))
                        .collect(Collectors.joining(","));
        String detail = o.detail() == null ? "" : "  (" + o.detail() + ")";
        return String.format(
                "tick %-3d %-12s %-18s enqueued=%-10s skipped=%s%s",
                tick, o.cluster().clusterName(), o.status().wireName(), enq, skipped, detail);
    }
}
