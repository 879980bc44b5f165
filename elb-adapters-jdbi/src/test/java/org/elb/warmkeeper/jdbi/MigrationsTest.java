package org.elb.warmkeeper.jdbi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.elb.warmkeeper.jdbi.internal.Migrations;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.h2.jdbcx.JdbcDataSource;
import org.jdbi.v3.core.Jdbi;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The store's own migrator against the history Flyway wrote for it before (the store ran Flyway until
 * 0.1.0): the same checksums, a database migrated by Flyway is recognised as fully migrated, and Flyway
 * reads a history the store wrote as its own; on H2 and on PostgreSQL.
 */
class MigrationsTest {

    /** The Flyway configuration the store used (its former Migrations class), for the databases it left. */
    private static FluentConfiguration formerFlyway(
            DataSource ds, String prefix, String jsonType, @Nullable String schema) {
        FluentConfiguration config = Flyway.configure(MigrationsTest.class.getClassLoader())
                .dataSource(ds)
                .locations("classpath:org/elb/warmkeeper/jdbi/migration")
                .table(prefix + "schema_history")
                .placeholders(Map.of(
                        "prefix",
                        prefix,
                        "json_type",
                        jsonType,
                        // the store's migrator fills it the same way (V6 reads the payload as text)
                        "payload_text",
                        jsonType.equals("jsonb") ? "payload::text" : "CAST(payload AS VARCHAR)"))
                .baselineOnMigrate(true)
                .baselineVersion("0")
                .cleanDisabled(true);
        return schema == null
                ? config
                : config.schemas(schema).defaultSchema(schema).createSchemas(true);
    }

    private record Db(DataSource ds, @Nullable String schema, boolean postgres, String url) {
        String jsonType() {
            return postgres ? "jsonb" : "JSON";
        }

        JdbiStore.Builder store() {
            JdbiStore.Builder b = JdbiStore.builder(url);
            return schema != null ? b.schema(schema) : b;
        }

        void drop() {
            Jdbi.create(ds)
                    .useHandle(
                            h -> h.execute(postgres ? "DROP SCHEMA \"" + schema + "\" CASCADE" : "DROP ALL OBJECTS"));
        }
    }

    private static Db db(String backend) {
        String name = TestDatabase.uniqueName("elb_mig");
        if (backend.equals("postgresql")) {
            PGSimpleDataSource pg = new PGSimpleDataSource();
            pg.setURL(TestDatabase.postgresUrl());
            return new Db(pg, name, true, TestDatabase.postgresUrl());
        }
        String url = "jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1";
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL(url);
        return new Db(h2, null, false, url);
    }

    @Test
    void the_checksums_are_flyways() {
        Db db = db("h2");
        try {
            formerFlyway(db.ds(), "elb_", db.jsonType(), db.schema()).load().migrate();
            Map<String, Integer> flyway = Stream.of(formerFlyway(db.ds(), "elb_", db.jsonType(), db.schema())
                            .load()
                            .info()
                            .applied())
                    .filter(i -> i.getScript().endsWith(".sql"))
                    .collect(Collectors.toMap(MigrationInfo::getScript, MigrationInfo::getChecksum));
            assertThat(flyway).hasSize(Migrations.SCRIPTS.size());
            for (Migrations.Script s : Migrations.scripts()) {
                assertThat(s.checksum()).as(s.name()).isEqualTo(flyway.get(s.name()));
            }
        } finally {
            db.drop();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void a_database_flyway_migrated_is_recognised_as_migrated(String backend) {
        Db db = db(backend);
        try {
            // A host table first: Flyway then wrote its baseline 0 before V1.
            Jdbi.create(db.ds()).useHandle(h -> {
                if (db.postgres()) {
                    h.execute("CREATE SCHEMA \"" + db.schema() + "\"");
                    h.execute("CREATE TABLE \"" + db.schema() + "\".host_orders (id INT PRIMARY KEY)");
                } else {
                    h.execute("CREATE TABLE host_orders (id INT PRIMARY KEY)");
                }
            });
            formerFlyway(db.ds(), "elb_", db.jsonType(), db.schema()).load().migrate();
            try (JdbiStore store = db.store().build()) {
                assertThat(store.migrate()).isZero();
                store.autoWarmPreferences().enabledClusters(); // the tables are there and readable
            }
        } finally {
            db.drop();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void flyway_reads_the_history_the_store_wrote(String backend) {
        Db db = db(backend);
        try {
            try (JdbiStore store = db.store().build()) {
                assertThat(store.migrate()).isZero();
            }
            Flyway flyway =
                    formerFlyway(db.ds(), "elb_", db.jsonType(), db.schema()).load();
            flyway.validate();
            assertThat(flyway.info().pending()).isEmpty();
            assertThat(flyway.migrate().migrationsExecuted).isZero();
        } finally {
            db.drop();
        }
    }

    @Test
    void a_script_changed_after_it_was_applied_stops_the_migration_naming_it() {
        Db db = db("h2");
        try {
            try (JdbiStore store = db.store().build()) {
                store.jdbi()
                        .useHandle(
                                h -> h.execute(
                                        "UPDATE \"elb_schema_history\" SET \"checksum\" = \"checksum\" + 1 WHERE \"version\" = '2'"));
                assertThatThrownBy(store::migrate)
                        .hasMessageContaining("V2")
                        .hasStackTraceContaining("changed since it was applied");
            }
        } finally {
            db.drop();
        }
    }

    @Test
    void a_failed_migration_row_stops_the_migration_naming_it() {
        Db db = db("h2");
        try {
            try (JdbiStore store = db.store().build()) {
                store.jdbi()
                        .useHandle(h -> h.execute(
                                "UPDATE \"elb_schema_history\" SET \"success\" = FALSE WHERE \"version\" = '3'"));
                assertThatThrownBy(store::migrate)
                        .hasStackTraceContaining("V3")
                        .hasStackTraceContaining("failed before");
            }
        } finally {
            db.drop();
        }
    }

    @Test
    void every_script_in_the_folder_is_registered() throws IOException, URISyntaxException {
        Path folder = Paths.get(MigrationsTest.class
                .getClassLoader()
                .getResource(Migrations.LOCATION)
                .toURI());
        try (Stream<Path> files = Files.list(folder)) {
            assertThat(files.map(p -> p.getFileName().toString()).sorted().toList())
                    .containsExactlyInAnyOrderElementsOf(Migrations.SCRIPTS);
        }
    }

    @Test
    void statements_split_at_semicolons_outside_quotes_and_comments() {
        assertThat(Migrations.statements("-- a; comment\nCREATE TABLE t (x VARCHAR(5) CHECK (x IN ('a;b')));\n\n"
                        + "CREATE INDEX i ON t (x) ; -- trailing; note\n"))
                .containsExactly("CREATE TABLE t (x VARCHAR(5) CHECK (x IN ('a;b')))", "CREATE INDEX i ON t (x)");
        assertThat(Migrations.statements("  \n-- only a comment\n")).isEmpty();
    }
}
