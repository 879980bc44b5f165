package org.elb.warmkeeper.jdbi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import org.elb.warmkeeper.jdbi.internal.ConnectionPool;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

/** The store's own pool (it replaced H2's, so that a PostgreSQL store needs no H2): bounded, reusing, closing. */
class ConnectionPoolTest {

    private static JdbcDataSource h2() {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:" + TestDatabase.uniqueName("pool") + ";DB_CLOSE_DELAY=-1");
        return h2;
    }

    @Test
    void a_returned_connection_is_reused_and_no_more_than_max_are_handed_out() throws SQLException {
        try (ConnectionPool pool = new ConnectionPool(h2(), 2, Duration.ofMillis(200))) {
            Connection a = pool.getConnection();
            Connection b = pool.getConnection();
            assertThatThrownBy(pool::getConnection)
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("no free pooled connection within 200 ms");
            a.close();
            assertThat(pool.idleConnections()).isEqualTo(1);
            Connection c = pool.getConnection();
            assertThat(pool.idleConnections()).isZero();
            assertThat(c.isValid(1)).isTrue();
            b.close();
            c.close();
            assertThat(pool.idleConnections()).isEqualTo(2);
        }
    }

    @Test
    void a_closed_pool_refuses_and_closes_what_comes_back() throws SQLException {
        ConnectionPool pool = new ConnectionPool(h2(), 2, Duration.ofMillis(200));
        Connection a = pool.getConnection();
        pool.close();
        assertThatThrownBy(pool::getConnection).hasMessageContaining("closed");
        a.close();
        assertThat(pool.idleConnections()).isZero();
    }
}
