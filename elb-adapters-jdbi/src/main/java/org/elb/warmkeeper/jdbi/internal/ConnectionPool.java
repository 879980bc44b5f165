package org.elb.warmkeeper.jdbi.internal;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import javax.sql.ConnectionEvent;
import javax.sql.ConnectionEventListener;
import javax.sql.ConnectionPoolDataSource;
import javax.sql.DataSource;
import javax.sql.PooledConnection;
import org.jspecify.annotations.Nullable;

/**
 * The small connection pool of a URL-built store, over the driver's own {@link ConnectionPoolDataSource}
 * (pgjdbc's or H2's): at most {@code max} physical connections, idle ones reused, a connection the driver
 * reports broken closed instead of reused, and a bounded wait for a free one. It needs no library beyond
 * the driver, so the store brings neither a pool nor H2 to an application that uses PostgreSQL.
 */
public final class ConnectionPool implements DataSource, ConnectionEventListener, AutoCloseable {

    private final ConnectionPoolDataSource source;
    private final Semaphore permits;
    private final Duration wait;
    private final Deque<PooledConnection> idle = new ArrayDeque<>();
    private boolean closed;

    public ConnectionPool(ConnectionPoolDataSource source, int max, Duration wait) {
        this.source = source;
        this.permits = new Semaphore(max, true);
        this.wait = wait;
    }

    @Override
    public Connection getConnection() throws SQLException {
        boolean acquired;
        try {
            acquired = permits.tryAcquire(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted while waiting for a pooled connection", "08001", e);
        }
        if (!acquired) {
            throw new SQLException("no free pooled connection within " + wait.toMillis() + " ms", "08001");
        }
        try {
            PooledConnection pc = take();
            if (pc == null) {
                pc = source.getPooledConnection();
                pc.addConnectionEventListener(this);
            }
            return pc.getConnection();
        } catch (SQLException | RuntimeException e) {
            permits.release();
            throw e;
        }
    }

    private synchronized @Nullable PooledConnection take() throws SQLException {
        if (closed) {
            throw new SQLException("the store's connection pool is closed", "08003");
        }
        return idle.pollFirst();
    }

    @Override
    public void connectionClosed(ConnectionEvent event) {
        PooledConnection pc = (PooledConnection) event.getSource();
        boolean keep;
        synchronized (this) {
            keep = !closed;
            if (keep) {
                idle.addFirst(pc);
            }
        }
        if (!keep) {
            closeQuietly(pc);
        }
        permits.release();
    }

    @Override
    public void connectionErrorOccurred(ConnectionEvent event) {
        PooledConnection pc = (PooledConnection) event.getSource();
        pc.removeConnectionEventListener(this);
        closeQuietly(pc);
        // The handle that saw the error is closed by its user, which would also return it: it is not
        // listened to any more, so the permit is released here.
        permits.release();
    }

    /** Closes the idle connections; the ones in use are closed when they come back. */
    @Override
    public void close() {
        Deque<PooledConnection> toClose;
        synchronized (this) {
            closed = true;
            toClose = new ArrayDeque<>(idle);
            idle.clear();
        }
        toClose.forEach(ConnectionPool::closeQuietly);
    }

    /** Idle physical connections (for tests). */
    public synchronized int idleConnections() {
        return idle.size();
    }

    private static void closeQuietly(PooledConnection pc) {
        try {
            pc.close();
        } catch (SQLException e) {
            // already broken: nothing to release
        }
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        throw new SQLFeatureNotSupportedException("the store's pool has its credentials");
    }

    @Override
    public @Nullable PrintWriter getLogWriter() {
        return null;
    }

    @Override
    public void setLogWriter(@Nullable PrintWriter out) {}

    @Override
    public void setLoginTimeout(int seconds) {}

    @Override
    public int getLoginTimeout() {
        return (int) wait.toSeconds();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException();
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        if (type.isInstance(this)) {
            return type.cast(this);
        }
        throw new SQLException("not a wrapper of " + type.getName());
    }

    @Override
    public boolean isWrapperFor(Class<?> type) {
        return type.isInstance(this);
    }
}
