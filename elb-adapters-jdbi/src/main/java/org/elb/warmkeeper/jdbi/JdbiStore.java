package org.elb.warmkeeper.jdbi;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.elb.warmkeeper.core.BackendUnavailableException;
import org.elb.warmkeeper.core.cluster.Checks;
import org.elb.warmkeeper.core.cluster.ClusterRef;
import org.elb.warmkeeper.core.cluster.DatabaseName;
import org.elb.warmkeeper.core.warm.WarmAttemptHistory;
import org.elb.warmkeeper.jdbi.internal.ConnectionPool;
import org.elb.warmkeeper.jdbi.internal.Migrations;
import org.elb.warmkeeper.jdbi.internal.SqlFailures;
import org.elb.warmkeeper.jdbi.internal.Tables;
import org.elb.warmkeeper.jdbi.internal.UrlDataSource;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.SqlStatements;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JDBI store: one {@link DataSource} (PostgreSQL 15+ or H2), its migrations, and the three ports on
 * it. Build it once and share it:
 *
 * <pre>{@code
 * JdbiStore store = JdbiStore.builder("jdbc:h2:file:/var/lib/elb/warmkeeper").build();   // migrates
 * JobStateRepository jobs = store.jobStateRepository();
 * AutoWarmPreferences prefs = store.autoWarmPreferences();
 * DatabaseInventory inventory = store.databaseInventory();
 * }</pre>
 *
 * Built from a URL, the store owns a small connection pool and {@link #close()} disposes it; built from a
 * {@link DataSource}, the caller's pool is used and left open. Nothing here logs or prints the URL's
 * credentials.
 *
 * <p><b>No unbounded wait.</b> Every statement has a query timeout ({@link Builder#statementTimeout},
 * default 10 s) and {@code recentFailed} a tighter network timeout ({@link Builder#recentFailedTimeout},
 * default 1.5 s, so that a frozen database answers {@code degraded} within about 2 s). A URL-built
 * PostgreSQL store also bounds connecting and logging in ({@link Builder#connectTimeout}, default 2 s),
 * every socket read ({@link Builder#socketTimeout}, default 30 s; pgjdbc's own default is none) and the
 * wait for a free pooled connection (the connect timeout). A parameter the URL itself sets
 * ({@code connectTimeout}, {@code loginTimeout}, {@code socketTimeout}) wins over the builder's default.
 * A caller's {@link DataSource} keeps its own connect and socket settings: set them there.
 */
public final class JdbiStore implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(JdbiStore.class);

    /** Default table prefix: tables are {@code elb_job_state}, {@code elb_autowarm_cluster}, ... */
    public static final String DEFAULT_TABLE_PREFIX = "elb_";
    /** Default: run the migrations when the store is built. */
    public static final boolean DEFAULT_MIGRATE = true;
    /** Default size of the pool the store opens when built from a URL. */
    public static final int DEFAULT_MAX_CONNECTIONS = 10;
    /** Default bound on connecting and logging in (and on waiting for a pooled connection), URL-built stores. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(2);
    /** Default bound on any one socket read, URL-built PostgreSQL stores; above the statement timeout. */
    public static final Duration DEFAULT_SOCKET_TIMEOUT = Duration.ofSeconds(30);
    /** Default query timeout of every statement the store runs through Jdbi. */
    public static final Duration DEFAULT_STATEMENT_TIMEOUT = Duration.ofSeconds(10);
    /** Default network timeout of the {@code recentFailed} read. */
    public static final Duration DEFAULT_RECENT_FAILED_TIMEOUT = Duration.ofMillis(1500);

    static final Pattern IDENTIFIER = Pattern.compile("[a-z][a-z0-9_]{0,39}");
    static final Pattern PREFIX = Pattern.compile("([a-z][a-z0-9_]{0,19})?");

    private final DataSource dataSource;
    private final @Nullable ConnectionPool ownedPool;
    private final Jdbi jdbi;
    private final Tables tables;
    private final Clock clock;
    private final JdbiWarmAttemptHistory attempts;
    private final String description;
    private final JdbiJobStateRepository jobs;
    private final JdbiAutoWarmPreferences preferences;
    private final JdbiDatabaseInventory inventory;

    private JdbiStore(Builder b, DataSource dataSource, @Nullable ConnectionPool ownedPool, SqlDialect dialect) {
        this.dataSource = dataSource;
        this.ownedPool = ownedPool;
        this.jdbi = Jdbi.create(dataSource);
        jdbi.getConfig(SqlStatements.class).setQueryTimeout(UrlDataSource.seconds(b.statementTimeout));
        b.jdbiCustomizer.accept(jdbi);
        this.tables = new Tables(dialect, b.schema, b.tablePrefix);
        this.clock = b.clock;
        this.description = "JdbiStore[" + dialect.backendName()
                + (b.url != null ? " " + UrlDataSource.redact(b.url) : "")
                + (b.schema != null ? ", schema=" + b.schema : "") + ", prefix=" + b.tablePrefix + "]";
        this.jobs = new JdbiJobStateRepository(jdbi, tables, b.recentFailedTimeout);
        this.preferences = new JdbiAutoWarmPreferences(jdbi, tables, clock);
        this.inventory = new JdbiDatabaseInventory(jdbi, tables, clock);
        this.attempts = new JdbiWarmAttemptHistory(jdbi, tables, WarmAttemptHistory.DEFAULT_KEEP);
    }

    /** A store on the caller's {@link DataSource} (preferably pooled); the dialect is read from it unless set. */
    public static Builder builder(DataSource dataSource) {
        return new Builder(Checks.required(dataSource, "dataSource"), null);
    }

    /**
     * A store on a JDBC URL ({@code jdbc:postgresql://...} or {@code jdbc:h2:...}); the store opens a pool
     * of {@link Builder#maxConnections} connections and closes it in {@link #close()}.
     */
    public static Builder builder(String jdbcUrl) {
        Checks.matches(
                jdbcUrl,
                "jdbcUrl",
                Pattern.compile("(?i)jdbc:(postgresql|h2):.+"),
                "a jdbc:postgresql: or jdbc:h2: URL");
        return new Builder(null, jdbcUrl);
    }

    /** Applies the migrations that are not applied yet; returns how many ran. */
    public int migrate() {
        try {
            int applied = Migrations.migrate(dataSource, tables);
            log.info("{}: {} migration(s) applied", description, applied);
            return applied;
        } catch (RuntimeException e) {
            throw SqlFailures.backend(tables.dialect().backendName(), "migrate", e);
        }
    }

    public JdbiJobStateRepository jobStateRepository() {
        return jobs;
    }

    public JdbiAutoWarmPreferences autoWarmPreferences() {
        return preferences;
    }

    /** The attempt history (backoff, early release, "why is this database cold"): 20 entries per database. */
    public JdbiWarmAttemptHistory warmAttemptHistory() {
        return attempts;
    }

    public JdbiDatabaseInventory databaseInventory() {
        return inventory;
    }

    /**
     * Seeds one configured cluster: its auto-warm preferences once ({@link JdbiAutoWarmPreferences#seed};
     * {@code reseed} writes them again) and its downloaded databases (every time: they are facts about the
     * cluster, not user choices). The runner and the Spring Boot starter both seed through here.
     *
     * @return whether the cluster's preferences were written
     */
    public boolean seedCluster(
            ClusterRef cluster, List<DatabaseName> databases, Collection<DatabaseName> downloaded, boolean reseed) {
        boolean written = !databases.isEmpty() && preferences.seed(cluster, databases, reseed);
        for (DatabaseName db : downloaded) {
            inventory.markDownloaded(cluster, db);
        }
        return written;
    }

    public SqlDialect dialect() {
        return tables.dialect();
    }

    /** The {@link Jdbi} the store uses, e.g. for a health check. */
    public Jdbi jdbi() {
        return jdbi;
    }

    /** Disposes the pool the store opened (built from a URL); a caller's {@link DataSource} is left alone. */
    @Override
    public void close() {
        if (ownedPool != null) {
            ownedPool.close();
        }
    }

    @Override
    public String toString() {
        return description;
    }

    /** Builder of {@link JdbiStore}; every setter validates at once and names the field and the rule. */
    public static final class Builder {
        private final @Nullable DataSource dataSource;
        private final @Nullable String url;
        private @Nullable String user;
        private @Nullable String password;
        private @Nullable SqlDialect dialect;
        private @Nullable String schema;
        private String tablePrefix = DEFAULT_TABLE_PREFIX;
        private boolean migrate = DEFAULT_MIGRATE;
        private int maxConnections = DEFAULT_MAX_CONNECTIONS;
        private Clock clock = Clock.systemUTC();
        private Consumer<Jdbi> jdbiCustomizer = j -> {};
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private Duration socketTimeout = DEFAULT_SOCKET_TIMEOUT;
        private Duration statementTimeout = DEFAULT_STATEMENT_TIMEOUT;
        private Duration recentFailedTimeout = DEFAULT_RECENT_FAILED_TIMEOUT;

        private Builder(@Nullable DataSource dataSource, @Nullable String url) {
            this.dataSource = dataSource;
            this.url = url;
        }

        /** User and password for a URL-built store (they may also be in the URL); never logged. */
        public Builder credentials(String user, @Nullable String password) {
            this.user = Checks.required(user, "user");
            this.password = password;
            return this;
        }

        /** The dialect; by default from the URL or from the DataSource's metadata (which needs a connection). */
        public Builder dialect(SqlDialect dialect) {
            this.dialect = Checks.required(dialect, "dialect");
            return this;
        }

        /**
         * A schema of its own for the tables (created by the migrations when missing); default none: the
         * connection's current schema. Rule: lower-case letter, then up to 39 lower-case letters, digits, '_'.
         */
        public Builder schema(String schema) {
            this.schema = Checks.matches(
                    schema,
                    "schema",
                    IDENTIFIER,
                    "a lower-case letter followed by up to 39 lower-case letters, digits or '_'");
            return this;
        }

        /** Prefix of every table name, default {@value #DEFAULT_TABLE_PREFIX}; may be empty. */
        public Builder tablePrefix(String tablePrefix) {
            this.tablePrefix = Checks.matches(
                    tablePrefix,
                    "tablePrefix",
                    PREFIX,
                    "empty, or a lower-case letter followed by up to 19 lower-case letters, digits or '_'");
            return this;
        }

        /** Run the migrations in {@link #build()}, default {@value #DEFAULT_MIGRATE}. */
        public Builder migrate(boolean migrate) {
            this.migrate = migrate;
            return this;
        }

        /** Pool size of a URL-built store, default {@value #DEFAULT_MAX_CONNECTIONS}. */
        public Builder maxConnections(int maxConnections) {
            this.maxConnections = Checks.positive(maxConnections, "maxConnections");
            return this;
        }

        /** The clock of the preference and inventory timestamps (job rows take the caller's times). */
        public Builder clock(Clock clock) {
            this.clock = Checks.required(clock, "clock");
            return this;
        }

        /** Configures the {@link Jdbi} before use (plugins, an SQL logger). */
        public Builder configureJdbi(Consumer<Jdbi> customizer) {
            this.jdbiCustomizer = Checks.required(customizer, "customizer");
            return this;
        }

        /**
         * Bound on opening a connection (TCP connect and login) and on waiting for a free pooled one, for a
         * URL-built store. Default {@link #DEFAULT_CONNECT_TIMEOUT} (2 s); whole seconds (rounded up).
         */
        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = Checks.positive(connectTimeout, "connectTimeout");
            return this;
        }

        /**
         * Bound on any one socket read of a URL-built PostgreSQL store: a frozen server or a stalled path
         * fails the call instead of hanging it. Default {@link #DEFAULT_SOCKET_TIMEOUT} (30 s); keep it
         * above the statement timeout. Whole seconds (rounded up).
         */
        public Builder socketTimeout(Duration socketTimeout) {
            this.socketTimeout = Checks.positive(socketTimeout, "socketTimeout");
            return this;
        }

        /**
         * Query timeout of every statement run through Jdbi (the driver cancels it on the server). Default
         * {@link #DEFAULT_STATEMENT_TIMEOUT} (10 s); whole seconds (rounded up).
         */
        public Builder statementTimeout(Duration statementTimeout) {
            this.statementTimeout = Checks.positive(statementTimeout, "statementTimeout");
            return this;
        }

        /**
         * Network timeout of the {@code recentFailed} read (a dashboard call that must answer
         * {@code degraded} fast when the database is frozen). Default
         * {@link #DEFAULT_RECENT_FAILED_TIMEOUT} (1.5 s); applies where the driver supports
         * {@link Connection#setNetworkTimeout} (pgjdbc does).
         */
        public Builder recentFailedTimeout(Duration recentFailedTimeout) {
            this.recentFailedTimeout = Checks.positive(recentFailedTimeout, "recentFailedTimeout");
            return this;
        }

        /**
         * Builds the store and, unless {@code migrate(false)}, migrates it.
         *
         * @throws BackendUnavailableException when the dialect must be read from the database, or the
         *     migrations run, and the database cannot be reached
         */
        public JdbiStore build() {
            ConnectionPool owned = null;
            DataSource ds = dataSource;
            SqlDialect d = dialect;
            if (url != null) {
                if (d == null) {
                    d = SqlDialect.fromJdbcUrl(url).orElseThrow();
                }
                owned = UrlDataSource.pool(
                        d,
                        url,
                        user,
                        password,
                        maxConnections,
                        new UrlDataSource.Timeouts(connectTimeout, socketTimeout));
                ds = owned;
            }
            if (ds == null) {
                throw new IllegalStateException("no data source");
            }
            if (d == null) {
                d = detect(ds);
            }
            JdbiStore store = new JdbiStore(this, ds, owned, d);
            if (migrate) {
                try {
                    store.migrate();
                } catch (RuntimeException e) {
                    store.close();
                    throw e;
                }
            }
            return store;
        }

        private static SqlDialect detect(DataSource ds) {
            try (Connection c = ds.getConnection()) {
                String product = c.getMetaData().getDatabaseProductName();
                return SqlDialect.fromProductName(product)
                        .orElseThrow(() -> new IllegalArgumentException(
                                "'dataSource' must be PostgreSQL or H2, but is " + product));
            } catch (SQLException e) {
                throw new BackendUnavailableException(
                        "jdbc", "connect", "cannot read the database product: SQLState " + e.getSQLState(), e);
            }
        }
    }
}
