package org.elb.warmkeeper.benchmarks.redis;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * The lock step beside its limit, in one run on one Redis server: starts a {@code redis-server} of its
 * own on a free loopback port (nothing persisted, no other client), then measures on it, in this order,
 * <ol>
 *   <li>{@code InflightLockBenchmark.batched} (one {@code tryAcquireAll} of N free keys through the
 *       adapter) and {@code InflightLockBenchmark.pipelinedLimit} (the same N {@code SET NX PX} as
 *       prebuilt RESP on a plain socket), JMH average time, one fork each;
 *   <li>{@code redis-benchmark -P N -c 1 -t set -n 100000 -q} (Redis's own tool: N SETs per round trip on
 *       one connection), as time per N SETs;
 * </ol>
 * and prints the three and the ratios of the batched call to each limit. Args: {@code [keys]} (default
 * 1000) {@code [iterations]} (default 5 measured, 3 warm-up, 2 s each).
 */
public final class LockStepLimit {

    private static final Pattern RPS = Pattern.compile("SET: ([0-9.]+) requests per second");

    private LockStepLimit() {}

    public static void main(String[] args) throws Exception {
        int keys = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int iterations = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Process server = new ProcessBuilder(
                        "redis-server",
                        "--port",
                        String.valueOf(port),
                        "--bind",
                        "127.0.0.1",
                        "--save",
                        "",
                        "--appendonly",
                        "no")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        try {
            waitForPing(port);
            String url = "redis://127.0.0.1:" + port;
            Options options = new OptionsBuilder()
                    .include(InflightLockBenchmark.class.getName() + "\\.(batched|pipelinedLimit)$")
                    .param("keys", String.valueOf(keys))
                    .mode(org.openjdk.jmh.annotations.Mode.AverageTime)
                    .timeUnit(TimeUnit.MICROSECONDS)
                    .warmupIterations(3)
                    .warmupTime(TimeValue.seconds(2))
                    .measurementIterations(iterations)
                    .measurementTime(TimeValue.seconds(2))
                    .forks(1)
                    .jvmArgsAppend("-Delb.bench.redis=" + url)
                    .build();
            Collection<RunResult> results = new Runner(options).run();
            double batched = Double.NaN;
            double batchedError = Double.NaN;
            double raw = Double.NaN;
            double rawError = Double.NaN;
            for (RunResult r : results) {
                String label = r.getPrimaryResult().getLabel();
                double score = r.getPrimaryResult().getScore();
                double error = r.getPrimaryResult().getScoreError();
                if (label.equals("batched")) {
                    batched = score;
                    batchedError = error;
                } else if (label.equals("pipelinedLimit")) {
                    raw = score;
                    rawError = error;
                }
            }

            List<String> cmd = List.of(
                    "redis-benchmark",
                    "-h",
                    "127.0.0.1",
                    "-p",
                    String.valueOf(port),
                    "-P",
                    String.valueOf(keys),
                    "-c",
                    "1",
                    "-t",
                    "set",
                    "-n",
                    "100000",
                    "-q");
            double rps = redisBenchmark(cmd);
            double perBatchMicros = keys * 1e6 / rps;

            System.out.printf(
                    Locale.ROOT,
                    "%nLock step of %d free keys vs the pipelined limit, one redis-server (port %d)%n",
                    keys,
                    port);
            System.out.printf(Locale.ROOT, "| what | time per %d keys | batched / this |%n", keys);
            System.out.printf(Locale.ROOT, "|---|---:|---:|%n");
            System.out.printf(
                    Locale.ROOT,
                    "| `RedissonInflightLock.tryAcquireAll` (JMH avgt) | %.1f ± %.1f us | 1.00 |%n",
                    batched,
                    batchedError);
            System.out.printf(
                    Locale.ROOT,
                    "| raw pipelined SET NX PX on a socket (JMH avgt) | %.1f ± %.1f us | %.2f |%n",
                    raw,
                    rawError,
                    batched / raw);
            System.out.printf(
                    Locale.ROOT,
                    "| `%s` (%.0f SET/s) | %.1f us | %.2f |%n",
                    String.join(" ", cmd).replace(" -p " + port, " -p <port>"),
                    rps,
                    perBatchMicros,
                    batched / perBatchMicros);
            System.out.printf(
                    Locale.ROOT,
                    "ratio to the pipelined limit: %.2fx (raw socket), %.2fx (redis-benchmark)%n",
                    batched / raw,
                    batched / perBatchMicros);
        } finally {
            server.destroy();
            server.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static double redisBenchmark(List<String> cmd) throws IOException, InterruptedException {
        Process bench = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        if (!bench.waitFor(5, TimeUnit.MINUTES)) {
            bench.destroyForcibly();
            throw new IllegalStateException("redis-benchmark did not finish within 5 minutes");
        }
        String out = new String(bench.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String last = out.lines()
                .map(l -> l.contains("\r") ? l.substring(l.lastIndexOf('\r') + 1) : l)
                .filter(l -> l.startsWith("SET:"))
                .reduce((a, b) -> b)
                .orElseThrow(() -> new IllegalStateException("no SET line in: " + out));
        Matcher m = RPS.matcher(last);
        if (!m.find()) {
            throw new IllegalStateException("cannot read requests per second from: " + last);
        }
        return Double.parseDouble(m.group(1));
    }

    private static void waitForPing(int port) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            try (RawPipeline ping = new RawPipeline("redis://127.0.0.1:" + port)) {
                ping.send(RawPipeline.command("PING"), 1);
                return;
            } catch (IOException e) {
                Thread.sleep(50);
            }
        }
        throw new IllegalStateException("redis-server on port " + port + " did not answer PING within 10 s");
    }
}
