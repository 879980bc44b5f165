package org.elb.warmkeeper.jdbi.internal;

import java.time.Duration;
import java.util.regex.Pattern;
import javax.sql.ConnectionPoolDataSource;
import javax.sql.DataSource;
import org.elb.warmkeeper.jdbi.SqlDialect;
import org.h2.jdbcx.JdbcDataSource;
import org.jspecify.annotations.Nullable;
import org.postgresql.ds.PGConnectionPoolDataSource;

/**
 * A small connection pool for a JDBC URL, with no extra dependency: the store's {@link ConnectionPool}
 * over the driver's own {@link ConnectionPoolDataSource} (pgjdbc's or H2's; only the one the URL names
 * must be on the class path). Services that already run a pool (HikariCP...) pass their
 * {@link DataSource} instead.
 */
public final class UrlDataSource {

    private UrlDataSource() {}

    /** Connect/login (and pool wait) and socket-read bounds of a URL-built pool. */
    public record Timeouts(Duration connect, Duration socket) {}

    /** Whole seconds, rounded up, at least 1 (the unit of pgjdbc's and H2's pool settings). */
    public static int seconds(Duration d) {
        long millis = d.toMillis();
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, (millis + 999) / 1000));
    }

    private static boolean urlSets(String url, String parameter) {
        return Pattern.compile("[?&;]" + parameter + "=", Pattern.CASE_INSENSITIVE)
                .matcher(url)
                .find();
    }

    public static ConnectionPool pool(
            SqlDialect dialect,
            String url,
            @Nullable String user,
            @Nullable String password,
            int maxConnections,
            Timeouts timeouts) {
        ConnectionPoolDataSource source = dialect == SqlDialect.POSTGRESQL
                ? Postgres.source(url, user, password, timeouts)
                : H2.source(url, user, password);
        // The wait for a free connection is the connect bound too.
        return new ConnectionPool(source, maxConnections, Duration.ofSeconds(seconds(timeouts.connect())));
    }

    /**
     * The driver of a URL must be on the class path: the store brings none (the application adds
     * org.postgresql:postgresql or com.h2database:h2, whichever it uses).
     */
    static void requireDriver(String driverClass, String backend, String artifact) {
        try {
            Class.forName(driverClass, false, UrlDataSource.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            throw new IllegalStateException("a " + backend + " URL needs the " + backend + " JDBC driver on the class"
                    + " path, and it is not there: add " + artifact + " to the application's dependencies");
        }
    }

    /** pgjdbc's pooled source; loaded only for a PostgreSQL URL. */
    private static final class Postgres {
        static ConnectionPoolDataSource source(
                String url, @Nullable String user, @Nullable String password, Timeouts timeouts) {
            requireDriver("org.postgresql.ds.PGConnectionPoolDataSource", "PostgreSQL", "org.postgresql:postgresql");
            PGConnectionPoolDataSource pg = new PGConnectionPoolDataSource();
            pg.setURL(url);
            // pgjdbc waits without bound by default (socketTimeout 0); the URL's own values win.
            if (!urlSets(url, "connectTimeout")) {
                pg.setConnectTimeout(seconds(timeouts.connect()));
            }
            if (!urlSets(url, "loginTimeout")) {
                pg.setLoginTimeout(seconds(timeouts.connect()));
            }
            if (!urlSets(url, "socketTimeout")) {
                pg.setSocketTimeout(seconds(timeouts.socket()));
            }
            if (!urlSets(url, "cancelSignalTimeout")) {
                pg.setCancelSignalTimeout(seconds(timeouts.connect()));
            }
            if (user != null) {
                pg.setUser(user);
            }
            if (password != null) {
                pg.setPassword(password);
            }
            return pg;
        }
    }

    /** H2's pooled source; loaded only for an H2 URL. */
    private static final class H2 {
        static ConnectionPoolDataSource source(String url, @Nullable String user, @Nullable String password) {
            requireDriver("org.h2.jdbcx.JdbcDataSource", "H2", "com.h2database:h2");
            JdbcDataSource h2 = new JdbcDataSource();
            h2.setURL(url);
            h2.setUser(user == null ? "" : user);
            h2.setPassword(password == null ? "" : password);
            return h2;
        }
    }

    /**
     * The URL without credentials or parameters, for logs and {@code toString}: {@code jdbc:postgresql://host:5432/db}
     * or {@code jdbc:h2:file:/var/lib/elb/state}.
     */
    public static String redact(String url) {
        String noParams = url;
        int q = noParams.indexOf('?');
        if (q >= 0) {
            noParams = noParams.substring(0, q);
        }
        int semi = noParams.indexOf(';');
        if (semi >= 0) {
            noParams = noParams.substring(0, semi);
        }
        // user:password@host
        return noParams.replaceAll("//[^/@]*@", "//");
    }
}
