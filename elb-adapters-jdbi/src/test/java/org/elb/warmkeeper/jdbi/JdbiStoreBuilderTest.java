package org.elb.warmkeeper.jdbi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The builder rejects bad settings at once, naming the field and the rule. */
class JdbiStoreBuilderTest {

    @Test
    void a_url_that_is_not_postgresql_or_h2_is_rejected() {
        assertThatThrownBy(() -> JdbiStore.builder("jdbc:mysql://localhost/x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'jdbcUrl'")
                .hasMessageContaining("jdbc:postgresql: or jdbc:h2:");
    }

    @Test
    void a_schema_or_prefix_that_is_not_a_lower_case_identifier_is_rejected() {
        var builder = JdbiStore.builder("jdbc:h2:mem:x");
        assertThatThrownBy(() -> builder.schema("Elb")).hasMessageContaining("'schema'");
        assertThatThrownBy(() -> builder.schema("elb; drop")).hasMessageContaining("'schema'");
        assertThatThrownBy(() -> builder.tablePrefix("x-")).hasMessageContaining("'tablePrefix'");
        assertThatThrownBy(() -> builder.maxConnections(0)).hasMessageContaining("'maxConnections'");
    }

    @Test
    void an_empty_prefix_is_allowed_and_the_dialect_comes_from_the_url() {
        try (JdbiStore store = JdbiStore.builder("jdbc:h2:mem:" + TestDatabase.uniqueName("b"))
                .tablePrefix("")
                .migrate(false)
                .build()) {
            assertThat(store.dialect()).isEqualTo(SqlDialect.H2);
            assertThat(store.jobStateRepository().toString()).contains("job_state");
        }
        assertThat(SqlDialect.fromJdbcUrl("jdbc:postgresql://h/db")).contains(SqlDialect.POSTGRESQL);
        assertThat(SqlDialect.fromProductName("PostgreSQL")).contains(SqlDialect.POSTGRESQL);
        assertThat(SqlDialect.fromProductName("H2")).contains(SqlDialect.H2);
    }
}
