package org.elb.warmkeeper.benchmarks.redis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.elb.warmkeeper.core.warm.Acquisition;
import org.elb.warmkeeper.core.warm.InflightKey;
import org.elb.warmkeeper.core.warm.LockToken;
import org.elb.warmkeeper.redis.RedissonClients;
import org.elb.warmkeeper.redis.RedissonInflightLock;
import org.redisson.api.RedissonClient;

/**
 * How long the lock step takes to answer UNAVAILABLE when Redis is gone, with the default 250 ms
 * budget and a tuned client, for a 100-key tick:
 * <ul>
 *   <li>{@code refused}: nothing listens on the port (Redis stopped or not started);
 *   <li>{@code frozen}: a server accepts connections but never answers (a frozen Redis or a dead path).
 * </ul>
 * A plain runner, not JMH: each call is a few hundred ms and the point is the bound, not throughput.
 *
 * <p>Run: {@code java -cp elb-benchmarks/target/benchmarks.jar org.elb.warmkeeper.benchmarks.redis.FailOpenLatency [calls]}
 */
public final class FailOpenLatency {

    private FailOpenLatency() {}

    public static void main(String[] args) throws Exception {
        int calls = args.length > 0 ? Integer.parseInt(args[0]) : 40;
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort(); // free once closed: nothing listens there
        }
        report("refused", "redis://127.0.0.1:" + port, calls);
        try (Blackhole frozen = new Blackhole()) {
            report("frozen", "redis://127.0.0.1:" + frozen.port(), calls);
        }
    }

    private static void report(String name, String url, int calls) {
        RedissonClient client = RedissonClients.create(url);
        try {
            RedissonInflightLock lock = RedissonInflightLock.of(client);
            Set<InflightKey> keys = BenchRedis.keys(100);
            double[] ms = new double[calls];
            for (int i = 0; i < calls; i++) {
                long t0 = System.nanoTime();
                Map<InflightKey, Acquisition> r = lock.tryAcquireAll(keys, LockToken.random(), Duration.ofMinutes(15));
                ms[i] = (System.nanoTime() - t0) / 1e6;
                if (r.values().stream().anyMatch(a -> a != Acquisition.UNAVAILABLE)) {
                    throw new IllegalStateException(name + ": expected UNAVAILABLE, got " + r.values());
                }
            }
            double first = ms[0];
            Arrays.sort(ms);
            System.out.printf(
                    "fail-open %-8s calls=%d first=%.1f ms p50=%.1f ms p99=%.1f ms max=%.1f ms (budget %d ms)%n",
                    name,
                    calls,
                    first,
                    ms[calls / 2],
                    ms[Math.min(calls - 1, (int) Math.ceil(calls * 0.99) - 1)],
                    ms[calls - 1],
                    lock.budget().toMillis());
        } finally {
            client.shutdown();
        }
    }

    /** Accepts connections and never answers. */
    private static final class Blackhole implements AutoCloseable {
        private final ServerSocket server;
        private final List<Socket> held = new CopyOnWriteArrayList<>();

        Blackhole() throws IOException {
            server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            Thread t = new Thread(
                    () -> {
                        while (!server.isClosed()) {
                            try {
                                held.add(server.accept());
                            } catch (IOException e) {
                                return;
                            }
                        }
                    },
                    "blackhole");
            t.setDaemon(true);
            t.start();
        }

        int port() {
            return server.getLocalPort();
        }

        @Override
        public void close() {
            try {
                server.close();
                for (Socket s : new ArrayList<>(held)) {
                    s.close();
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
