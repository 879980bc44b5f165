package org.elb.warmkeeper.it.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import org.elb.warmkeeper.core.warm.AutoWarmPreferences;
import org.elb.warmkeeper.testservers.TestPostgres;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.util.ClassUtils;

/**
 * A service with its own PostgreSQL schema adds elb-spring-boot-starter and the README's lines: it starts,
 * its table and rows are untouched, the store's tables (and their history) live in {@code elb.jdbc.schema}.
 * With {@code -Dhost.flyway=true} (profile host-flyway) the service runs Flyway for its own table, and both
 * histories coexist.
 */
class HostSchemaTest {

    /** The host service: Boot's auto-configuration and nothing of its own but the database. */
    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class HostService {}

    private static final boolean HOST_FLYWAY = Boolean.getBoolean("host.flyway");

    @Test
    void the_starter_leaves_the_hosts_schema_and_rows_alone() throws SQLException {
        String host = TestPostgres.schema();
        String elb = TestPostgres.schema();
        try (Connection c = DriverManager.getConnection(TestPostgres.url());
                Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA \"" + host + "\"");
            if (!HOST_FLYWAY) {
                s.execute("CREATE TABLE \"" + host + "\".host_orders (id INT PRIMARY KEY, item VARCHAR(40) NOT NULL)");
                s.execute("INSERT INTO \"" + host + "\".host_orders (id, item) VALUES (1, 'first'), (2, 'second'),"
                        + " (3, 'third')");
            }
        }
        String base = TestPostgres.url();
        String hostUrl = base + (base.contains("?") ? "&" : "?") + "currentSchema=" + host;
        List<String> properties = new ArrayList<>(List.of(
                "spring.datasource.url=" + hostUrl,
                "spring.main.web-application-type=none",
                // The README's lines:
                "elb.clusters=elb-cluster",
                "elb.cluster.elb-cluster.subscription=00000000-0000-4000-8000-000000000001",
                "elb.cluster.elb-cluster.resource-group=rg-elb",
                "elb.cluster.elb-cluster.databases=core_nt,swissprot",
                "elb.jdbc.schema=" + elb,
                // no Kubernetes here: the loop must not tick against a cluster that is not there
                "elb.autowarm.enabled=false"));
        if (HOST_FLYWAY) {
            properties.add("spring.flyway.locations=classpath:host-flyway/db/migration");
        }
        try (ConfigurableApplicationContext ctx = new SpringApplicationBuilder(HostService.class)
                .properties(properties.toArray(String[]::new))
                .run()) {
            // The store is built on first use: use it.
            assertThat(ctx.getBean(AutoWarmPreferences.class).enabledClusters()).hasSize(1);

            assertThat(rows(host, "SELECT id, item FROM host_orders ORDER BY id"))
                    .containsExactly(Map.of("id", "1", "item", "first"), Map.of("id", "2", "item", "second"),
                            Map.of("id", "3", "item", "third"));
            assertThat(tables(host))
                    .containsExactlyInAnyOrderElementsOf(
                            HOST_FLYWAY ? List.of("host_orders", "flyway_schema_history") : List.of("host_orders"));
            assertThat(tables(elb))
                    .contains("elb_job_state", "elb_autowarm_cluster", "elb_schema_history")
                    .noneMatch(t -> t.startsWith("host_") || t.startsWith("flyway"));
            assertThat(rows(elb, "SELECT version FROM elb_schema_history WHERE success ORDER BY installed_rank"))
                    .extracting(r -> r.get("version"))
                    .containsExactly("1", "2", "3", "4", "5", "6");
            if (HOST_FLYWAY) {
                assertThat(rows(host, "SELECT version, script FROM flyway_schema_history ORDER BY installed_rank"))
                        .containsExactly(Map.of("version", "1", "script", "V1__host_orders.sql"));
            } else {
                // Nothing of ours made Boot's Flyway (or an embedded H2) a part of this service.
                assertThat(ClassUtils.isPresent("org.flywaydb.core.Flyway", null)).isFalse();
            }
            assertThat(ClassUtils.isPresent("org.h2.Driver", null)).isFalse();
            assertThat(ctx.getBeanNamesForType(Clock.class)).isEmpty();
            assertThat(ctx.getBeanNamesForType(Executor.class)).noneMatch(n -> n.startsWith("elb")); // Boot has its own
        } finally {
            TestPostgres.drop(host);
            TestPostgres.drop(elb);
        }
    }

    private static List<String> tables(String schema) throws SQLException {
        List<String> out = new ArrayList<>();
        for (Map<String, String> r : rows(
                "information_schema",
                "SELECT table_name FROM information_schema.tables WHERE table_schema = '" + schema + "'")) {
            out.add(r.get("table_name"));
        }
        return out;
    }

    private static List<Map<String, String>> rows(String schema, String sql) throws SQLException {
        List<Map<String, String>> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(TestPostgres.url());
                Statement s = c.createStatement()) {
            s.execute("SET search_path TO \"" + schema + "\"");
            try (ResultSet rs = s.executeQuery(sql)) {
                int n = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    Map<String, String> row = new LinkedHashMap<>();
                    for (int i = 1; i <= n; i++) {
                        row.put(rs.getMetaData().getColumnLabel(i), rs.getString(i));
                    }
                    out.add(row);
                }
            }
        }
        return out;
    }
}
