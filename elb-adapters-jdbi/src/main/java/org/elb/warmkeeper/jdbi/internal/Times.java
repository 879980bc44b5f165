package org.elb.warmkeeper.jdbi.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import org.jdbi.v3.core.argument.Argument;

/** Instants in and out of {@code TIMESTAMP WITH TIME ZONE} columns, at the columns' microsecond precision. */
public final class Times {

    private Times() {}

    /** What a column keeps of {@code at}: PostgreSQL and H2 both store microseconds. */
    public static Instant stored(Instant at) {
        return at.truncatedTo(ChronoUnit.MICROS);
    }

    /** Binds as a UTC {@link OffsetDateTime} (JDBC 4.2), independent of the JVM's and the session's zone. */
    public static Argument arg(Instant at) {
        OffsetDateTime value = stored(at).atOffset(ZoneOffset.UTC);
        return (position, statement, ctx) -> statement.setObject(position, value);
    }

    public static Instant read(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        if (value == null) {
            throw new SQLException("column " + column + " is null");
        }
        return value.toInstant();
    }
}
