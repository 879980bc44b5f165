package org.elb.warmkeeper.testservers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import org.jspecify.annotations.Nullable;
import redis.embedded.RedisServer;

/**
 * The Redis the runner's tests use: {@code ELB_TEST_REDIS_URL} when set (e.g. the machine's
 * {@code redis://127.0.0.1:6379}), else one embedded real server (org.signal:embedded-redis) on a free
 * port, started once per JVM. Tests only write keys under random names and never flush.
 */
public final class TestRedis {

    private static @Nullable String url;

    private TestRedis() {}

    public static synchronized String url() {
        if (url == null) {
            String env = System.getenv("ELB_TEST_REDIS_URL");
            if (env != null && !env.isBlank()) {
                url = env.strip();
            } else {
                int port = freePort();
                RedisServer server = RedisServer.builder().port(port).setting("bind 127.0.0.1")
                        .setting("save \"\"").setting("appendonly no").build();
                server.start();
                Runtime.getRuntime().addShutdownHook(new Thread(server::stop));
                url = "redis://127.0.0.1:" + port;
            }
        }
        return url;
    }

    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
