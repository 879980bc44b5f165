package org.elb.warmkeeper.benchmarks.warm;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.elb.warmkeeper.core.cluster.ClusterRef;
import org.elb.warmkeeper.core.cluster.DatabaseName;
import org.elb.warmkeeper.core.warm.Acquisition;
import org.elb.warmkeeper.core.warm.AutoWarmReconciler;
import org.elb.warmkeeper.core.warm.ClusterReadinessProbe;
import org.elb.warmkeeper.core.warm.ClusterStatus;
import org.elb.warmkeeper.core.warm.InflightKey;
import org.elb.warmkeeper.core.warm.InflightLock;
import org.elb.warmkeeper.core.warm.LockToken;
import org.elb.warmkeeper.core.warm.Readiness;
import org.elb.warmkeeper.core.warm.ReleaseResult;
import org.elb.warmkeeper.core.warm.TickReport;
import org.elb.warmkeeper.core.warm.WarmStatus;
import org.elb.warmkeeper.core.warm.WarmStatusProbe;
import org.elb.warmkeeper.core.warm.WarmupDispatcher;
import org.elb.warmkeeper.json.TickReportJson;
import org.elb.warmkeeper.testkit.FakeWarmStatusProbe;
import org.elb.warmkeeper.testkit.InMemoryAutoWarmPreferences;
import org.elb.warmkeeper.testkit.InMemoryDatabaseInventory;
import org.elb.warmkeeper.testkit.InMemoryInflightLock;
import org.elb.warmkeeper.testkit.MutableClock;
import org.elb.warmkeeper.testkit.RecordingWarmupDispatcher;

/**
 * Tick wall time of {@link AutoWarmReconciler} against the fleet: {@code C} clusters x 50 databases,
 * every port call (readiness, warm status, lock, dispatch) delayed by a simulated latency {@code L},
 * at concurrency 1 (the old serial tick) and the default {@value AutoWarmReconciler#DEFAULT_CONCURRENCY}.
 * The steady state is all warm: per cluster one readiness probe and one status probe, no lock call and
 * no dispatch, so the serial sum is {@code C x 2 x L} and the ideal with {@code k} clusters at a time is
 * {@code ceil(C/k) x 2 x L}. Printed: median tick, ratio to the serial sum, ratio to the ideal.
 *
 * <p>Also: CPU time of a 1 000 x 50 all-warm tick on fakes with no latency (process CPU, every thread,
 * median of the measured ticks), and one stalled cluster among 50 with one cold database each (20 ms
 * per call): when every other cluster's first enqueue happened, and when the tick ended.
 *
 * <p>Args: {@code short|full}. Short (CI) runs C in {10, 50, 100} and L in {0, 20} ms, 1 measured tick;
 * full C in {10, 50, 100, 1000}, L in {0, 20, 100} ms, 3 measured ticks. A serial run whose sum would
 * exceed {@value #MAX_SERIAL_SECONDS} s is not run (its ratio is 1 by construction: the old tick was
 * fully serial).
 */
public final class FleetTickBenchmark {

    static final int DATABASES = 50;
    static final int MAX_SERIAL_SECONDS = 60;
    static final String SUB = "0f1e2d3c-4b5a-6978-8695-a4b3c2d1e0f9";

    private FleetTickBenchmark() {}

    static void sleep(long millis) {
        if (millis <= 0) {
            return;
        }
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** C clusters x 50 databases on the testkit fakes, every call delayed by L. */
    static final class Fleet {
        final List<ClusterRef> clusters = new ArrayList<>();
        final List<DatabaseName> dbs = new ArrayList<>();
        final InMemoryAutoWarmPreferences prefs = new InMemoryAutoWarmPreferences();
        final InMemoryDatabaseInventory inventory = new InMemoryDatabaseInventory();
        final FakeWarmStatusProbe statuses = new FakeWarmStatusProbe();
        final MutableClock clock = MutableClock.start();
        final InMemoryInflightLock memoryLock = new InMemoryInflightLock(clock);
        final RecordingWarmupDispatcher recording = new RecordingWarmupDispatcher(false);
        final long latencyMs;
        final AtomicLong calls = new AtomicLong();

        Fleet(int c, long latencyMs, int coldPerCluster) {
            this.latencyMs = latencyMs;
            for (int d = 0; d < DATABASES; d++) {
                dbs.add(DatabaseName.of("db" + d));
            }
            for (int i = 0; i < c; i++) {
                ClusterRef ref = ClusterRef.of(SUB, "rg-elb", "elb-" + i);
                clusters.add(ref);
                prefs.enable(ref, dbs);
                inventory.markDownloaded(ref, dbs.toArray(DatabaseName[]::new));
                for (int d = 0; d < DATABASES; d++) {
                    statuses.set(ref, dbs.get(d), d < coldPerCluster ? WarmStatus.ABSENT : WarmStatus.READY);
                }
            }
        }

        ClusterReadinessProbe readiness() {
            return cluster -> {
                calls.incrementAndGet();
                sleep(latencyMs);
                return Readiness.ready();
            };
        }

        WarmStatusProbe statusProbe() {
            return (cluster, databases) -> {
                calls.incrementAndGet();
                sleep(latencyMs);
                return statuses.statuses(cluster, databases);
            };
        }

        InflightLock lock() {
            return new InflightLock() {
                @Override
                public Map<InflightKey, Acquisition> tryAcquireAll(
                        Set<InflightKey> keys, LockToken token, Duration ttl) {
                    calls.incrementAndGet();
                    sleep(latencyMs);
                    return memoryLock.tryAcquireAll(keys, token, ttl);
                }

                @Override
                public ReleaseResult release(InflightKey key, LockToken token) {
                    return memoryLock.release(key, token);
                }
            };
        }

        WarmupDispatcher dispatcher() {
            return request -> {
                calls.incrementAndGet();
                sleep(latencyMs);
                return recording.enqueue(request);
            };
        }

        AutoWarmReconciler.Builder reconciler() {
            return AutoWarmReconciler.builder(prefs, inventory, statusProbe(), lock(), dispatcher())
                    .readiness(readiness())
                    .clock(clock);
        }
    }

    static long median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    /** Median wall time (ns) of {@code ticks} ticks after one warm-up tick. */
    static long tickNanos(Fleet fleet, int concurrency, int ticks) {
        try (AutoWarmReconciler r = fleet.reconciler().concurrency(concurrency).build()) {
            check(r.tick());
            long[] took = new long[ticks];
            for (int i = 0; i < ticks; i++) {
                long t0 = System.nanoTime();
                check(r.tick());
                took[i] = System.nanoTime() - t0;
            }
            return median(took);
        }
    }

    private static void check(TickReport report) {
        if (report.clusters().stream().anyMatch(o -> o.status() == ClusterStatus.ERROR)) {
            throw new IllegalStateException("a cluster ended in error: " + TickReportJson.toJson(report));
        }
    }

    static String ms(long nanos) {
        return String.format(Locale.ROOT, "%.1f", nanos / 1e6);
    }

    public static void main(String[] args) {
        boolean full = args.length > 0 && args[0].equalsIgnoreCase("full");
        int[] fleets = full ? new int[] {10, 50, 100, 1000} : new int[] {10, 50, 100};
        long[] latencies = full ? new long[] {0, 20, 100} : new long[] {0, 20};
        int ticks = full ? 3 : 1;
        int k = AutoWarmReconciler.DEFAULT_CONCURRENCY;
        int callsPerCluster = 2;

        System.out.println("Tick time vs fleet: C clusters x " + DATABASES + " databases, all warm (" + callsPerCluster
                + " calls per cluster: readiness, warm status), L ms per call; median of " + ticks + " tick(s)");
        System.out.println();
        System.out.println("| C | L ms | serial sum ms | k=1 tick ms | k=1 / sum | ideal k=" + k + " ms | k=" + k
                + " tick ms | k=" + k + " / sum | k=" + k + " / ideal |");
        System.out.println("|---|---|---|---|---|---|---|---|---|");
        for (int c : fleets) {
            for (long l : latencies) {
                Fleet fleet = new Fleet(c, l, 0);
                long serialSum = (long) c * callsPerCluster * l * 1_000_000L;
                long ideal = (long) Math.ceil(c / (double) k) * callsPerCluster * l * 1_000_000L;
                String serial;
                String serialRatio;
                if (serialSum <= MAX_SERIAL_SECONDS * 1_000_000_000L) {
                    long s = tickNanos(fleet, 1, ticks);
                    serial = ms(s);
                    serialRatio = l == 0 ? "-" : String.format(Locale.ROOT, "%.2f", s / (double) serialSum);
                } else {
                    serial = "not run";
                    serialRatio = "(1 by construction)";
                }
                long p = tickNanos(fleet, k, ticks);
                String pSum = l == 0 ? "-" : String.format(Locale.ROOT, "%.3f", p / (double) serialSum);
                String pIdeal = l == 0 ? "-" : String.format(Locale.ROOT, "%.2f", p / (double) ideal);
                System.out.println("| " + c + " | " + l + " | " + ms(serialSum) + " | " + serial + " | " + serialRatio
                        + " | " + ms(ideal) + " | " + ms(p) + " | " + pSum + " | " + pIdeal + " |");
            }
        }

        System.out.println();
        cpu(full ? 10 : 3);
        System.out.println();
        stalled(full ? Duration.ofSeconds(5) : Duration.ofSeconds(1));
    }

    /** CPU time (all threads of the process) of a 1 000 x 50 all-warm tick with no latency. */
    static void cpu(int ticks) {
        Fleet fleet = new Fleet(1000, 0, 0);
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        try (AutoWarmReconciler r = fleet.reconciler().build()) {
            for (int i = 0; i < 5; i++) {
                check(r.tick()); // warm-up (JIT)
            }
            long[] cpu = new long[ticks];
            long[] wall = new long[ticks];
            for (int i = 0; i < ticks; i++) {
                long c0 = os.getProcessCpuTime();
                long t0 = System.nanoTime();
                check(r.tick());
                wall[i] = System.nanoTime() - t0;
                cpu[i] = os.getProcessCpuTime() - c0;
            }
            System.out.println("CPU of a 1000 x " + DATABASES + " all-warm tick on fakes (k="
                    + AutoWarmReconciler.DEFAULT_CONCURRENCY
                    + ", no latency, median of " + ticks + "): " + ms(median(cpu)) + " ms CPU (process, all threads), "
                    + ms(median(wall)) + " ms wall");
        }
    }

    /** 50 clusters with one cold database each, 20 ms per call; one cluster's status probe stalls. */
    static void stalled(Duration stall) {
        Fleet fleet = new Fleet(50, 20, 1);
        ClusterRef stalled = fleet.clusters.get(0);
        WarmStatusProbe base = fleet.statusProbe();
        WarmStatusProbe probe = (cluster, dbs) -> {
            if (cluster.equals(stalled)) {
                sleep(stall.toMillis());
            }
            return base.statuses(cluster, dbs);
        };
        Map<ClusterRef, Long> firstEnqueue = new ConcurrentHashMap<>();
        WarmupDispatcher dispatcher = fleet.dispatcher();
        long[] start = new long[1];
        WarmupDispatcher timed = request -> {
            firstEnqueue.putIfAbsent(request.cluster(), System.nanoTime() - start[0]);
            return dispatcher.enqueue(request);
        };
        try (AutoWarmReconciler r = AutoWarmReconciler.builder(fleet.prefs, fleet.inventory, probe, fleet.lock(), timed)
                .readiness(fleet.readiness())
                .clock(fleet.clock)
                .build()) {
            start[0] = System.nanoTime();
            TickReport report = r.tick();
            long took = System.nanoTime() - start[0];
            long[] others = firstEnqueue.entrySet().stream()
                    .filter(e -> !e.getKey().equals(stalled))
                    .mapToLong(Map.Entry::getValue)
                    .sorted()
                    .toArray();
            long worst = others.length == 0 ? -1 : others[others.length - 1];
            long middle = others.length == 0 ? -1 : others[others.length / 2];
            System.out.println("One cluster's status probe stalls " + stall.toMillis()
                    + " ms, 50 clusters x 1 cold DB, 20 ms per call:"
                    + " every other cluster's first enqueue by " + ms(worst) + " ms (median " + ms(middle)
                    + " ms) after the tick started ("
                    + (firstEnqueue.size() - (firstEnqueue.containsKey(stalled) ? 1 : 0)) + " of 49); tick "
                    + ms(took) + " ms; lock calls " + fleet.memoryLock.acquireCalls() + "; enqueued "
                    + report.enqueuedCount());
        }
    }
}
