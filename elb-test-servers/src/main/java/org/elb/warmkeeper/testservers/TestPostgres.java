package org.elb.warmkeeper.testservers;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * The PostgreSQL tests use: {@code ELB_TEST_JDBC_URL} when set (e.g.
 * {@code jdbc:postgresql://127.0.0.1:5432/test?user=postgres}), else an embedded PostgreSQL started once
 * per JVM. Each test works in a schema of its own, dropped afterwards.
 */
public final class TestPostgres {

    private static @Nullable EmbeddedPostgres embedded;

    private TestPostgres() {}

    public static synchronized String url() {
        String url = System.getenv("ELB_TEST_JDBC_URL");
        if (url != null && !url.isBlank()) {
            return url.strip();
        }
        if (embedded == null) {
            EmbeddedPostgres started;
            try {
                started = EmbeddedPostgres.start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            embedded = started;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    started.close();
                } catch (IOException ignored) {
                    // the JVM is going away
                }
            }));
        }
        return embedded.getJdbcUrl("postgres", "postgres");
    }

    public static String schema() {
        return "elb_run_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    public static void drop(String schema) throws SQLException {
        try (Connection c = DriverManager.getConnection(url());
                Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS \"" + schema + "\" CASCADE");
        }
    }
}
