package org.elb.warmkeeper.jdbi.internal;

import org.elb.warmkeeper.jdbi.SqlDialect;
import org.jspecify.annotations.Nullable;

/**
 * Table names (schema-qualified and prefixed) and the SQL fragments that differ between dialects.
 * The schema is quoted (Flyway creates it quoted); table names are unquoted, as the migrations create
 * them, and both are validated lower-case identifiers, so they mean the same on PostgreSQL and H2.
 */
public final class Tables {

    private final SqlDialect dialect;
    private final @Nullable String schema;
    private final String prefix;

    public Tables(SqlDialect dialect, @Nullable String schema, String prefix) {
        this.dialect = dialect;
        this.schema = schema;
        this.prefix = prefix;
    }

    public SqlDialect dialect() {
        return dialect;
    }

    public @Nullable String schema() {
        return schema;
    }

    public String prefix() {
        return prefix;
    }

    private String table(String name) {
        return (schema == null ? "" : "\"" + schema + "\".") + prefix + name;
    }

    public String jobs() {
        return table("job_state");
    }

    public String clusters() {
        return table("autowarm_cluster");
    }

    public String clusterDatabases() {
        return table("autowarm_database");
    }

    public String attempts() {
        return table("warm_attempt");
    }

    public String downloaded() {
        return table("downloaded_database");
    }

    /** The clusters seeded from configuration (seed once). */
    public String seeds() {
        return table("autowarm_seed");
    }

    /** The column type of the payload in the migrations. */
    public static String jsonType(SqlDialect dialect) {
        return dialect == SqlDialect.POSTGRESQL ? "jsonb" : "JSON";
    }

    /** A bound JSON text parameter as a JSON value: {@code CAST(:p AS jsonb)} or {@code :p FORMAT JSON}. */
    public String jsonParam(String name) {
        return dialect == SqlDialect.POSTGRESQL ? "CAST(:" + name + " AS jsonb)" : ":" + name + " FORMAT JSON";
    }

    /** A JSON column read back as its text. */
    public String jsonText(String column) {
        return dialect == SqlDialect.POSTGRESQL ? column + "::text" : column;
    }
}
