package org.elb.warmkeeper.jdbi;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.UUID;
import java.util.function.Consumer;
import org.jdbi.v3.core.Jdbi;

/**
 * A store in a database of its own for one test class: on PostgreSQL a fresh schema (dropped by
 * {@link #close()}) of the server named by {@code ELB_TEST_JDBC_URL}, else of an embedded PostgreSQL
 * started once per JVM; on H2 a fresh in-memory database.
 */
final class TestDatabase implements AutoCloseable {

    private static EmbeddedPostgres embedded;

    final JdbiStore store;
    final String schema;
    private final boolean postgres;

    private TestDatabase(JdbiStore store, String schema, boolean postgres) {
        this.store = store;
        this.schema = schema;
        this.postgres = postgres;
    }

    /** The PostgreSQL URL the tests use: {@code ELB_TEST_JDBC_URL}, else an embedded server's. */
    static synchronized String postgresUrl() {
        String url = System.getenv("ELB_TEST_JDBC_URL");
        if (url != null && !url.isBlank()) {
            return url;
        }
        if (embedded == null) {
            try {
                embedded = EmbeddedPostgres.start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    embedded.close();
                } catch (IOException ignored) {
                    // the JVM is going away
                }
            }));
        }
        return embedded.getJdbcUrl("postgres", "postgres");
    }

    static String uniqueName(String stem) {
        return stem + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    static TestDatabase postgres() {
        return postgres(j -> {});
    }

    static TestDatabase postgres(Consumer<Jdbi> customizer) {
        String schema = uniqueName("elb_test");
        JdbiStore store = JdbiStore.builder(postgresUrl()).schema(schema).maxConnections(12)
                .configureJdbi(customizer).build();
        return new TestDatabase(store, schema, true);
    }

    static TestDatabase h2() {
        return h2(j -> {});
    }

    static TestDatabase h2(Consumer<Jdbi> customizer) {
        String name = uniqueName("elb_test");
        JdbiStore store = JdbiStore.builder("jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1").maxConnections(12)
                .configureJdbi(customizer).build();
        return new TestDatabase(store, name, false);
    }

    Jdbi jdbi() {
        return store.jdbi();
    }

    /** The schema-qualified name of one of the store's tables. */
    String table(String name) {
        return (postgres ? "\"" + schema + "\"." : "") + JdbiStore.DEFAULT_TABLE_PREFIX + name;
    }

    /** Deletes every row of the store's tables. */
    void truncate() {
        jdbi().useHandle(h -> {
            for (String t : new String[] {"job_state", "autowarm_database", "autowarm_cluster", "downloaded_database", "warm_attempt"}) {
                h.execute("DELETE FROM " + table(t));
            }
        });
    }

    @Override
    public void close() {
        try {
            jdbi().useHandle(h -> h.execute(postgres ? "DROP SCHEMA \"" + schema + "\" CASCADE" : "DROP ALL OBJECTS"));
        } finally {
            store.close();
        }
    }
}
