package org.elb.warmkeeper.testservers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import org.jspecify.annotations.Nullable;
import redis.embedded.RedisServer;

/**
 * The Redis tests use: {@code ELB_TEST_REDIS_URL} when set (e.g. the machine's
 * {@code redis://127.0.0.1:6379}), else one embedded real server (org.signal:embedded-redis, Redis 7) on
 * a free port, started once per JVM. Tests only write keys under random names and never flush. A test
 * that stops a server starts its own with {@link #startEmbedded(int)}.
 */
public final class TestRedis {

    /** Where a Redis listens: host, port and database number. */
    public record Target(String host, int port, int database) {

        /** {@code redis://host:port/database}. */
        public String url() {
            return "redis://" + host + ":" + port + "/" + database;
        }

        /** Parses {@code redis://host[:port][/database]}; the port defaults to 6379, the database to 0. */
        public static Target parse(String url) {
            URI uri = URI.create(url.strip());
            if (uri.getHost() == null) {
                throw new IllegalArgumentException(
                        "'url' must be redis://host[:port][/database], but was '" + url + "'");
            }
            String path = uri.getPath();
            int db = path == null || path.length() <= 1 ? 0 : Integer.parseInt(path.substring(1));
            return new Target(uri.getHost(), uri.getPort() < 0 ? 6379 : uri.getPort(), db);
        }
    }

    /** An embedded server a test started on a port of its choice; stop it and start another on the same port. */
    public static final class Embedded implements AutoCloseable {

        private final RedisServer server;
        private final int port;

        private Embedded(RedisServer server, int port) {
            this.server = server;
            this.port = port;
        }

        public int port() {
            return port;
        }

        /** {@code redis://127.0.0.1:port}. */
        public String url() {
            return "redis://127.0.0.1:" + port;
        }

        public void stop() {
            server.stop();
        }

        @Override
        public void close() {
            stop();
        }
    }

    private static @Nullable String url;
    private static @Nullable Target shared;

    private TestRedis() {}

    /** The URL of the shared server: {@code ELB_TEST_REDIS_URL} as given, else the embedded server's. */
    public static synchronized String url() {
        if (url == null) {
            String env = System.getenv("ELB_TEST_REDIS_URL");
            if (env != null && !env.isBlank()) {
                url = env.strip();
            } else {
                Embedded server = startEmbedded(freePort());
                Runtime.getRuntime().addShutdownHook(new Thread(server::stop));
                url = server.url();
            }
        }
        return url;
    }

    /** The shared server's host, port and database. */
    public static synchronized Target shared() {
        if (shared == null) {
            shared = Target.parse(url());
        }
        return shared;
    }

    /** Whether the tests run against an external server ({@code ELB_TEST_REDIS_URL}). */
    public static boolean external() {
        String env = System.getenv("ELB_TEST_REDIS_URL");
        return env != null && !env.isBlank();
    }

    /** Starts an embedded server on {@code port} of 127.0.0.1, without persistence. */
    public static Embedded startEmbedded(int port) {
        RedisServer server = RedisServer.builder()
                .port(port)
                .setting("bind 127.0.0.1")
                .setting("save \"\"")
                .setting("appendonly no")
                .build();
        server.start();
        return new Embedded(server, port);
    }

    /** A port nothing listens on now. */
    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
