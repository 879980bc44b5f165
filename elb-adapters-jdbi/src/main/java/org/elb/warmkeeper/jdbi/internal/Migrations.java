package org.elb.warmkeeper.jdbi.internal;

import java.util.Map;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.core.api.output.MigrateResult;
import org.jspecify.annotations.Nullable;

/**
 * Runs the store's versioned migrations ({@code org/elb/warmkeeper/jdbi/migration/V*.sql}) with Flyway.
 * The same files run on PostgreSQL and H2: the table prefix and the JSON column type are placeholders.
 * The history table is {@code <prefix>schema_history}, so several stores (prefixes) can share a schema,
 * also with the host service's own tables.
 */
public final class Migrations {

    public static final String LOCATION = "classpath:org/elb/warmkeeper/jdbi/migration";

    private Migrations() {}

    /** Migrates to the latest version; returns the number of migrations applied. */
    public static int migrate(DataSource dataSource, Tables tables) {
        FluentConfiguration config = Flyway.configure(Migrations.class.getClassLoader())
                .dataSource(dataSource)
                .locations(LOCATION)
                .table(tables.prefix() + "schema_history")
                .placeholders(Map.of(
                        "prefix",
                        tables.prefix(),
                        "json_type",
                        Tables.jsonType(tables.dialect()),
                        "payload_text",
                        tables.dialect() == org.elb.warmkeeper.jdbi.SqlDialect.POSTGRESQL
                                ? "payload::text"
                                : "CAST(payload AS VARCHAR)"))
                // The schema may hold other tables (the host service's, another prefix's): start the
                // history at version 0 there, so that V1 and up still run.
                .baselineOnMigrate(true)
                .baselineVersion("0")
                .cleanDisabled(true);
        @Nullable String schema = tables.schema();
        if (schema != null) {
            config = config.schemas(schema).defaultSchema(schema).createSchemas(true);
        }
        MigrateResult result = config.load().migrate();
        return result.migrationsExecuted;
    }
}
