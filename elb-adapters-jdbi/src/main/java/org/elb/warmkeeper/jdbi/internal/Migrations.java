package org.elb.warmkeeper.jdbi.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.zip.CRC32;
import javax.sql.DataSource;
import org.elb.warmkeeper.jdbi.SqlDialect;
import org.jspecify.annotations.Nullable;

/**
 * Runs the store's versioned migrations ({@code org/elb/warmkeeper/jdbi/migration/V*.sql}) with a small
 * migrator of its own, so that the store puts no migration tool on the application's class path (Spring
 * Boot, for one, starts its own Flyway migration of the application's database when it finds Flyway).
 *
 * <p>The history table {@code <prefix>schema_history} has the layout, the checksums (CRC32 of the script's
 * lines, as Flyway computes them) and the version rows that Flyway wrote for the store before: a database
 * migrated by an earlier version (with Flyway) is recognised as it is, and Flyway itself could still read a
 * history written here. The same files run on PostgreSQL and H2: the table prefix and the JSON column type
 * are placeholders. Per version, the script and its history row commit in one transaction (PostgreSQL's DDL
 * is transactional); concurrent starters are serialised (a PostgreSQL advisory lock, a JVM lock for H2).
 * A script whose checksum no longer matches its applied row, or a failed row, stops the migration; versions
 * newer than this library knows (a newer replica ran first) are left alone.
 */
public final class Migrations {

    /** Where the scripts are, on the class path. */
    public static final String LOCATION = "org/elb/warmkeeper/jdbi/migration/";

    /** Every script, in version order: a new script is added here (a test checks the folder against it). */
    public static final List<String> SCRIPTS = List.of(
            "V1__job_state.sql",
            "V2__auto_warm.sql",
            "V3__job_heartbeat_and_retention.sql",
            "V4__warm_loop.sql",
            "V5__autowarm_seed.sql",
            "V6__job_cancel_fence.sql");

    private static final ReentrantLock H2_LOCK = new ReentrantLock();

    /** One script: its version, Flyway's description and checksum, and its text. */
    public record Script(int version, String name, String description, int checksum, String text) {}

    private Migrations() {}

    /** The scripts, read and checksummed. */
    public static List<Script> scripts() {
        List<Script> out = new ArrayList<>();
        for (String name : SCRIPTS) {
            String text = read(name);
            int sep = name.indexOf("__");
            int version = Integer.parseInt(name.substring(1, sep));
            String description =
                    name.substring(sep + 2, name.length() - ".sql".length()).replace('_', ' ');
            out.add(new Script(version, name, description, checksum(text), text));
        }
        return out;
    }

    /** Migrates to the latest version; returns the number of migrations applied. */
    public static int migrate(DataSource dataSource, Tables tables) {
        try (Connection c = dataSource.getConnection()) {
            return migrate(c, tables);
        } catch (SQLException e) {
            throw new IllegalStateException("migration failed: SQLState " + e.getSQLState() + ": " + e.getMessage(), e);
        }
    }

    private static int migrate(Connection c, Tables tables) throws SQLException {
        boolean postgres = tables.dialect() == SqlDialect.POSTGRESQL;
        String history = history(tables);
        long lockKey = 0x454c42L << 32 | (history.hashCode() & 0xffffffffL);
        boolean autoCommit = c.getAutoCommit();
        @Nullable String schemaBefore = c.getSchema();
        if (postgres) {
            try (PreparedStatement s = c.prepareStatement("SELECT pg_advisory_lock(?)")) {
                s.setLong(1, lockKey);
                s.execute();
            }
        } else {
            H2_LOCK.lock();
        }
        try {
            c.setAutoCommit(true);
            @Nullable String schema = tables.schema();
            if (schema != null) {
                try (Statement s = c.createStatement()) {
                    s.execute("CREATE SCHEMA IF NOT EXISTS \"" + schema + "\"");
                }
                c.setSchema(schema);
            }
            createHistory(c, tables, history);
            Map<Integer, Applied> applied = applied(c, history);
            int rank = applied.values().stream().mapToInt(Applied::rank).max().orElse(0);
            int done = 0;
            for (Script script : scripts()) {
                Applied row = applied.get(script.version());
                if (row != null) {
                    if (!row.success()) {
                        throw new IllegalStateException("migration V" + script.version() + " (" + script.name()
                                + ") failed before; repair the schema and delete its row from " + history);
                    }
                    if (row.checksum() != null && row.checksum() != script.checksum()) {
                        throw new IllegalStateException("migration V" + script.version() + " (" + script.name()
                                + ") changed since it was applied: checksum " + row.checksum() + " in " + history
                                + ", " + script.checksum() + " in the library");
                    }
                    continue;
                }
                if (applied.keySet().stream().anyMatch(v -> v > script.version())) {
                    continue; // below a baseline (or an applied later version): not run, as Flyway does
                }
                apply(c, tables, history, script, ++rank, postgres);
                done++;
            }
            return done;
        } finally {
            try {
                if (tables.schema() != null && schemaBefore != null) {
                    c.setSchema(schemaBefore);
                }
                c.setAutoCommit(autoCommit);
            } finally {
                if (postgres) {
                    try (PreparedStatement s = c.prepareStatement("SELECT pg_advisory_unlock(?)")) {
                        s.setLong(1, lockKey);
                        s.execute();
                    }
                } else {
                    H2_LOCK.unlock();
                }
            }
        }
    }

    private record Applied(int rank, @Nullable Integer checksum, boolean success) {}

    /** The history table, quoted as Flyway quotes it (and schema-qualified when the store has a schema). */
    static String history(Tables tables) {
        return (tables.schema() == null ? "" : "\"" + tables.schema() + "\".") + "\"" + tables.prefix()
                + "schema_history\"";
    }

    private static void createHistory(Connection c, Tables tables, String history) throws SQLException {
        String name = tables.prefix() + "schema_history";
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS " + history + " ("
                    + "\"installed_rank\" INT NOT NULL,"
                    + " \"version\" VARCHAR(50),"
                    + " \"description\" VARCHAR(200) NOT NULL,"
                    + " \"type\" VARCHAR(20) NOT NULL,"
                    + " \"script\" VARCHAR(1000) NOT NULL,"
                    + " \"checksum\" INT,"
                    + " \"installed_by\" VARCHAR(100) NOT NULL,"
                    + " \"installed_on\" TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL,"
                    + " \"execution_time\" INT NOT NULL,"
                    + " \"success\" BOOLEAN NOT NULL,"
                    + " CONSTRAINT \"" + name + "_pk\" PRIMARY KEY (\"installed_rank\"))");
            s.execute("CREATE INDEX IF NOT EXISTS \"" + name + "_s_idx\" ON " + history + " (\"success\")");
        }
    }

    /** The applied versions (Flyway's baseline row counts as version 0; its schema-creation row is skipped). */
    private static Map<Integer, Applied> applied(Connection c, String history) throws SQLException {
        Map<Integer, Applied> out = new TreeMap<>();
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT \"installed_rank\", \"version\", \"checksum\", \"success\" FROM "
                        + history + " ORDER BY \"installed_rank\"")) {
            while (rs.next()) {
                String version = rs.getString(2);
                if (version == null) {
                    continue;
                }
                int checksum = rs.getInt(3);
                Integer sum = rs.wasNull() ? null : checksum;
                try {
                    out.put(Integer.valueOf(version.strip()), new Applied(rs.getInt(1), sum, rs.getBoolean(4)));
                } catch (NumberFormatException e) {
                    throw new IllegalStateException(
                            history + " holds version '" + version + "', which is not one of this store's", e);
                }
            }
        }
        return out;
    }

    private static void apply(Connection c, Tables tables, String history, Script script, int rank, boolean postgres)
            throws SQLException {
        String sql = script.text()
                .replace("${prefix}", tables.prefix())
                .replace("${json_type}", Tables.jsonType(tables.dialect()))
                .replace(
                        "${payload_text}",
                        tables.dialect() == SqlDialect.POSTGRESQL ? "payload::text" : "CAST(payload AS VARCHAR)");
        long started = System.nanoTime();
        c.setAutoCommit(!postgres); // one transaction per script where DDL is transactional
        try {
            try (Statement s = c.createStatement()) {
                for (String statement : statements(sql)) {
                    s.execute(statement);
                }
            }
            String user = c.getMetaData().getUserName();
            try (PreparedStatement p = c.prepareStatement("INSERT INTO " + history
                    + " (\"installed_rank\", \"version\", \"description\", \"type\", \"script\", \"checksum\","
                    + " \"installed_by\", \"execution_time\", \"success\") VALUES (?, ?, ?, 'SQL', ?, ?, ?, ?, ?)")) {
                p.setInt(1, rank);
                p.setString(2, String.valueOf(script.version()));
                p.setString(3, script.description());
                p.setString(4, script.name());
                p.setInt(5, script.checksum());
                p.setString(6, user == null || user.isEmpty() ? "elb" : user);
                p.setInt(7, (int) ((System.nanoTime() - started) / 1_000_000));
                p.setBoolean(8, true);
                p.executeUpdate();
            }
            if (postgres) {
                c.commit();
            }
        } catch (SQLException | RuntimeException e) {
            if (postgres) {
                c.rollback();
            }
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
    }

    /**
     * The statements of a script: split at {@code ;} outside quotes, {@code --} comments dropped, blank
     * statements skipped. Enough for the store's own scripts (no procedural blocks).
     */
    public static List<String> statements(String sql) {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean quoted = false;
        boolean doubleQuoted = false;
        for (int i = 0; i < sql.length(); i++) {
            char ch = sql.charAt(i);
            if (!quoted && !doubleQuoted && ch == '-' && i + 1 < sql.length() && sql.charAt(i + 1) == '-') {
                while (i < sql.length() && sql.charAt(i) != '\n') {
                    i++;
                }
                current.append('\n');
                continue;
            }
            if (ch == '\'' && !doubleQuoted) {
                quoted = !quoted;
            } else if (ch == '"' && !quoted) {
                doubleQuoted = !doubleQuoted;
            }
            if (ch == ';' && !quoted && !doubleQuoted) {
                add(out, current);
                current.setLength(0);
            } else {
                current.append(ch);
            }
        }
        add(out, current);
        return out;
    }

    private static void add(List<String> out, StringBuilder statement) {
        String s = statement.toString().strip();
        if (!s.isEmpty()) {
            out.add(s);
        }
    }

    /** Flyway's checksum of a script: CRC32 over its lines' UTF-8 bytes, line breaks and a leading BOM left out. */
    public static int checksum(String text) {
        CRC32 crc = new CRC32();
        try (BufferedReader r = new BufferedReader(new StringReader(text))) {
            String line = r.readLine();
            if (line != null && !line.isEmpty() && line.charAt(0) == '\uFEFF') {
                line = line.substring(1);
            }
            while (line != null) {
                crc.update(line.getBytes(StandardCharsets.UTF_8));
                line = r.readLine();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return (int) crc.getValue();
    }

    private static String read(String name) {
        try (InputStream in = Migrations.class.getClassLoader().getResourceAsStream(LOCATION + name)) {
            if (in == null) {
                throw new IllegalStateException("migration " + LOCATION + name + " is missing from the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
