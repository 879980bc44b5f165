package org.elb.warmkeeper.runner;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.elb.warmkeeper.testservers.LocalArm;
import org.elb.warmkeeper.testservers.TestPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runner on PostgreSQL ({@code ELB_TEST_JDBC_URL}, else embedded) in a schema of its own: a
 * provision refused by ARM is recorded there and {@code recent-failures}, a separate invocation, reads it
 * back; {@code run}'s dependency check reports PostgreSQL without the password.
 */
class RunOnPostgresTest {

    @TempDir
    Path dir;

    private final String schema = TestPostgres.schema();
    private LocalArm arm;
    private Path config;

    @BeforeEach
    void start() throws Exception {
        arm = new LocalArm();
        config = Cli.properties(
                dir,
                "elb.jdbc.url=" + TestPostgres.url(),
                "elb.jdbc.schema=" + schema,
                "elb.azure.auth=none",
                "elb.azure.endpoint=" + arm.base(),
                // no cluster is configured: the operator allows the scope the test provisions into
                "elb.provision.allowed-scopes=" + OneShotCommandsTest.SUB + "/rg-elb",
                "elb.owner=alice",
                "elb.http.identity=header");
    }

    @AfterEach
    void stop() throws Exception {
        arm.close();
        TestPostgres.drop(schema);
    }

    @Test
    void provision_and_recent_failures_share_the_postgres_store() {
        Cli.Result provision = Cli.run(
                Map.of(),
                "provision",
                "--config",
                config.toString(),
                "--cluster",
                "quota-west",
                "--subscription",
                OneShotCommandsTest.SUB,
                "--resource-group",
                "rg-elb",
                "--region",
                "westeurope");
        assertThat(provision.exit()).as(provision.err()).isEqualTo(1);
        assertThat(provision.json().get("job").get("error").get("category").asText())
                .isEqualTo("quota_exceeded");

        Cli.Result recent = Cli.run(Map.of(), "recent-failures", "--config", config.toString());
        assertThat(recent.exit()).as(recent.err()).isZero();
        assertThat(recent.json().get("jobs"))
                .singleElement()
                .satisfies(j -> assertThat(j.get("region").asText()).isEqualTo("westeurope"));
    }

    @Test
    void run_reports_postgres_in_its_checks_and_a_bad_port_stops_it_with_the_reason() throws Exception {
        Cli.Result r =
                Cli.run(Map.of("ELB_HTTP_PORT", String.valueOf(arm.port())), "run", "--config", config.toString());

        assertThat(r.out()).containsPattern("database\\s+ok\\s+postgresql jdbc:postgresql://");
        assertThat(r.exit()).as("the HTTP port is taken").isEqualTo(1);
        assertThat(r.err()).contains("cannot start: cannot listen on 127.0.0.1:" + arm.port());
    }
}
