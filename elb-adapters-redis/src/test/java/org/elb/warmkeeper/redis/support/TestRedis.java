package org.elb.warmkeeper.redis.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import org.elb.warmkeeper.redis.RedissonClients;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import redis.embedded.RedisServer;

/**
 * The Redis the tests use: {@code ELB_TEST_REDIS_URL} (e.g. {@code redis://127.0.0.1:6379}) when set,
 * else one embedded real server (org.signal:embedded-redis, Redis 7.0.15) on a free port, started once
 * per JVM. Tests that stop a server start their own with {@link #startEmbedded(int)}.
 */
public final class TestRedis {

    /** Where a Redis listens. */
    public record Target(String host, int port, int database) {
        public String url() {
            return "redis://" + host + ":" + port + "/" + database;
        }
    }

    private static Target shared;

    private TestRedis() {}

    public static synchronized Target shared() {
        if (shared == null) {
            String env = System.getenv("ELB_TEST_REDIS_URL");
            if (env != null && !env.isBlank()) {
                URI uri = URI.create(env.trim());
                String path = uri.getPath();
                int db = path == null || path.length() <= 1 ? 0 : Integer.parseInt(path.substring(1));
                shared = new Target(uri.getHost(), uri.getPort() < 0 ? 6379 : uri.getPort(), db);
            } else {
                int port = freePort();
                RedisServer server = startEmbedded(port);
                Runtime.getRuntime().addShutdownHook(new Thread(server::stop));
                shared = new Target("127.0.0.1", port, 0);
            }
        }
        return shared;
    }

    /**
     * A tuned client on {@code url} whose connections are open: the first call of a cold client
     * (connect, JIT) may take longer than the lock's 250 ms budget and fail open, which a test of the
     * healthy path must not see.
     */
    public static RedissonClient warmClient(String url, String clientName) {
        RedissonClient client = RedissonClients.builder(url).clientName(clientName).build();
        RuntimeException last = null;
        for (int i = 0; i < 50; i++) {
            try {
                client.getBucket("elb-test-warmup", StringCodec.INSTANCE).isExists();
                return client;
            } catch (RuntimeException e) {
                last = e;
                try {
                    Thread.sleep(100);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        client.shutdown();
        throw new IllegalStateException("redis at " + url + " did not answer", last);
    }

    /** Whether the tests run against an external server (ELB_TEST_REDIS_URL). */
    public static boolean external() {
        String env = System.getenv("ELB_TEST_REDIS_URL");
        return env != null && !env.isBlank();
    }

    /** Starts an embedded server on {@code port}; no persistence. */
    public static RedisServer startEmbedded(int port) {
        RedisServer server = RedisServer.builder()
                .port(port)
                .setting("bind 127.0.0.1")
                .setting("save \"\"")
                .setting("appendonly no")
                .build();
        server.start();
        return server;
    }

    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
