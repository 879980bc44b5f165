package org.elb.warmkeeper.core.archfixture;

import java.sql.Connection;
import java.sql.SQLException;

/** A deliberate violation for CoreDependencyRuleTest: a "core" class that talks JDBC. */
public final class LeakyJdbcStore {

    public void close(Connection connection) throws SQLException {
        connection.close();
    }
}
