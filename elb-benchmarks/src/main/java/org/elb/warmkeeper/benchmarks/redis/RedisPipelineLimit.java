package org.elb.warmkeeper.benchmarks.redis;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The physical limit of the lock step on this machine: {@code redis-benchmark -P 100 -t set -n N -q}
 * (100 commands per round trip, 50 connections) against a Redis server this program starts on a free
 * loopback port (the same {@code redis-server} binary, nothing persisted), so that the shared test
 * Redis is not written to. Prints SETs per second and what that makes per key and per 1000 keys, the
 * floor under any lock call that writes each key. Args: {@code [requests]} (default 100000).
 */
public final class RedisPipelineLimit {

    private static final Pattern RPS = Pattern.compile("SET: ([0-9.]+) requests per second");

    private RedisPipelineLimit() {}

    public static void main(String[] args) throws Exception {
        int requests = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
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
            List<String> cmd = List.of(
                    "redis-benchmark",
                    "-h",
                    "127.0.0.1",
                    "-p",
                    String.valueOf(port),
                    "-P",
                    "100",
                    "-t",
                    "set",
                    "-n",
                    String.valueOf(requests),
                    "-q");
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
            double rps = Double.parseDouble(m.group(1));
            System.out.println("$ " + String.join(" ", cmd));
            System.out.println(last.trim());
            System.out.printf(Locale.ROOT, "%n| pipelined SET (-P 100, 50 clients) | per key | per 1000 keys |%n");
            System.out.printf(Locale.ROOT, "|---|---:|---:|%n");
            System.out.printf(Locale.ROOT, "| %.0f SET/s | %.2f us | %.2f ms |%n", rps, 1e6 / rps, 1e6 / rps);
        } finally {
            server.destroy();
            server.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static void waitForPing(int port) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            Process ping = new ProcessBuilder("redis-cli", "-h", "127.0.0.1", "-p", String.valueOf(port), "ping")
                    .redirectErrorStream(true)
                    .start();
            String out = new String(ping.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            ping.waitFor(5, TimeUnit.SECONDS);
            if (out.trim().equals("PONG")) {
                return;
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("redis-server on port " + port + " did not answer PING within 10 s");
    }
}
