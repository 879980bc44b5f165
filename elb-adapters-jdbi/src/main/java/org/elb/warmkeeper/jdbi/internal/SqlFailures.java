package org.elb.warmkeeper.jdbi.internal;

import java.sql.SQLException;
import java.util.Optional;
import org.elb.warmkeeper.core.BackendUnavailableException;
import org.elb.warmkeeper.core.ElbException;
import org.elb.warmkeeper.core.provision.JobStoreException;
import org.jspecify.annotations.Nullable;

/**
 * Turns whatever the driver, JDBI or the codec threw into the core's typed exceptions, with the original
 * as the cause. The message is the SQL state and the driver's message of the innermost
 * {@link SQLException}: never the JDBC URL or a credential.
 */
public final class SqlFailures {

    /** SQLSTATE of a unique-key violation, on PostgreSQL and H2 alike. */
    public static final String UNIQUE_VIOLATION = "23505";

    private SqlFailures() {}

    public static JobStoreException jobStore(String backend, String operation, RuntimeException e) {
        if (e instanceof JobStoreException j) {
            return j;
        }
        return new JobStoreException(backend, operation, describe(e), e);
    }

    public static BackendUnavailableException backend(String backend, String operation, RuntimeException e) {
        if (e instanceof BackendUnavailableException b) {
            return b;
        }
        return new BackendUnavailableException(backend, operation, describe(e), e);
    }

    /** Whether {@code e} is (or was caused by) a unique-key violation. */
    public static boolean isUniqueViolation(Throwable e) {
        return sqlException(e)
                .map(s -> UNIQUE_VIOLATION.equals(s.getSQLState()))
                .orElse(false);
    }

    static Optional<SQLException> sqlException(Throwable e) {
        SQLException found = null;
        for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
            if (t instanceof SQLException s) {
                found = s;
            }
        }
        return Optional.ofNullable(found);
    }

    static String describe(RuntimeException e) {
        if (e instanceof ElbException) {
            return String.valueOf(e.getMessage());
        }
        return sqlException(e)
                .map(s -> "SQLState " + s.getSQLState() + ": " + firstLine(s.getMessage()))
                .orElseGet(() -> e.getClass().getSimpleName() + ": " + firstLine(e.getMessage()));
    }

    private static String firstLine(@Nullable String message) {
        if (message == null) {
            return "(no message)";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
