package org.elb.warmkeeper.jdbi;

import java.util.Locale;
import java.util.Optional;

/** The databases the store runs on. The migrations are the same; a few SQL fragments differ (JSON). */
public enum SqlDialect {
    /** PostgreSQL 15 or newer: the payload is {@code jsonb}. */
    POSTGRESQL,
    /** H2 2.x, in memory or in a file: the payload is H2's {@code JSON}. */
    H2;

    /** The backend name carried by exceptions: {@code "postgresql"} or {@code "h2"}. */
    public String backendName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The dialect of a JDBC URL ({@code jdbc:postgresql:...}, {@code jdbc:h2:...}), if known. */
    public static Optional<SqlDialect> fromJdbcUrl(String url) {
        String u = url.toLowerCase(Locale.ROOT);
        if (u.startsWith("jdbc:postgresql:")) {
            return Optional.of(POSTGRESQL);
        }
        if (u.startsWith("jdbc:h2:")) {
            return Optional.of(H2);
        }
        return Optional.empty();
    }

    /** The dialect of a JDBC {@code DatabaseMetaData.getDatabaseProductName()}, if known. */
    public static Optional<SqlDialect> fromProductName(String productName) {
        String p = productName.toLowerCase(Locale.ROOT);
        if (p.contains("postgresql")) {
            return Optional.of(POSTGRESQL);
        }
        if (p.equals("h2")) {
            return Optional.of(H2);
        }
        return Optional.empty();
    }
}
