package org.elb.warmkeeper.jdbi.internal;

import java.time.Duration;
import java.util.regex.Pattern;
import javax.sql.ConnectionPoolDataSource;
import javax.sql.DataSource;
import org.elb.warmkeeper.jdbi.SqlDialect;
import org.h2.jdbcx.JdbcConnectionPool;
import org.h2.jdbcx.JdbcDataSource;
import org.jspecify.annotations.Nullable;
import org.postgresql.ds.PGConnectionPoolDataSource;

/**
 * A small connection pool for a JDBC URL, with no extra dependency: H2's {@link JdbcConnectionPool}
 * over the driver's own {@link ConnectionPoolDataSource} (pgjdbc's or H2's). Services that already run
 * a pool (HikariCP...) pass their {@link DataSource} instead.
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

    public static JdbcConnectionPool pool(
            SqlDialect dialect,
            String url,
            @Nullable String user,
            @Nullable String password,
            int maxConnections,
            Timeouts timeouts) {
        ConnectionPoolDataSource source;
        if (dialect == SqlDialect.POSTGRESQL) {
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
            source = pg;
        } else {
            JdbcDataSource h2 = new JdbcDataSource();
            h2.setURL(url);
            h2.setUser(user == null ? "" : user);
            h2.setPassword(password == null ? "" : password);
            source = h2;
        }
        JdbcConnectionPool pool = JdbcConnectionPool.create(source);
        pool.setMaxConnections(maxConnections);
        pool.setLoginTimeout(seconds(timeouts.connect())); // the wait for a free connection (default 5 min)
        return pool;
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
