package org.elb.warmkeeper.jdbi;

import java.util.UUID;
import java.util.function.Consumer;
import org.elb.warmkeeper.testservers.TestPostgres;
import org.jdbi.v3.core.Jdbi;

/**
 * A store in a database of its own for one test class: on PostgreSQL a fresh schema (dropped by
 * {@link #close()}) of {@link TestPostgres} (the server named by {@code ELB_TEST_JDBC_URL}, else an
 * embedded PostgreSQL started once per JVM); on H2 a fresh in-memory database.
 */
final class TestDatabase implements AutoCloseable {

    final JdbiStore store;
    final String schema;
    private final boolean postgres;

    private TestDatabase(JdbiStore store, String schema, boolean postgres) {
        this.store = store;
        this.schema = schema;
        this.postgres = postgres;
    }

    /** The PostgreSQL URL the tests use: {@code ELB_TEST_JDBC_URL}, else an embedded server's. */
    static String postgresUrl() {
        return TestPostgres.url();
    }

    static String uniqueName(String stem) {
        return stem + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    static TestDatabase postgres() {
        return postgres(j -> {});
    }

    static TestDatabase postgres(Consumer<Jdbi> customizer) {
        String schema = uniqueName("elb_test");
        JdbiStore store = JdbiStore.builder(postgresUrl())
                .schema(schema)
                .maxConnections(12)
                .configureJdbi(customizer)
                .build();
        return new TestDatabase(store, schema, true);
    }

    /** Like {@link #postgres()}, with statement and socket timeouts long enough for million-row fixtures. */
    static TestDatabase postgresForBulkLoads() {
        String schema = uniqueName("elb_test");
        JdbiStore store = JdbiStore.builder(postgresUrl())
                .schema(schema)
                .maxConnections(12)
                .statementTimeout(java.time.Duration.ofMinutes(10))
                .socketTimeout(java.time.Duration.ofMinutes(10))
                .build();
        return new TestDatabase(store, schema, true);
    }

    static TestDatabase h2() {
        return h2(j -> {});
    }

    static TestDatabase h2(Consumer<Jdbi> customizer) {
        String name = uniqueName("elb_test");
        JdbiStore store = JdbiStore.builder("jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1")
                .maxConnections(12)
                .configureJdbi(customizer)
                .build();
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
            for (String t : new String[] {
                "job_state", "autowarm_database", "autowarm_cluster", "downloaded_database", "warm_attempt"
            }) {
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
