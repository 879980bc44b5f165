package org.elb.warmkeeper.jdbi.internal;

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

    public static JdbcConnectionPool pool(SqlDialect dialect, String url, @Nullable String user,
            @Nullable String password, int maxConnections) {
        ConnectionPoolDataSource source;
        if (dialect == SqlDialect.POSTGRESQL) {
            PGConnectionPoolDataSource pg = new PGConnectionPoolDataSource();
            pg.setURL(url);
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
