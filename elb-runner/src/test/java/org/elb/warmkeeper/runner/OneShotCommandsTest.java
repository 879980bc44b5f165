package org.elb.warmkeeper.runner;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Map;
import org.elb.warmkeeper.testservers.LocalArm;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code provision}, {@code cancel}, {@code recent-failures} and {@code version-gate} against an H2 file
 * store and a local Resource Manager ({@link LocalArm}): separate processes' worth of commands sharing
 * one configuration, as an operator would run them.
 */
class OneShotCommandsTest {

    static final String SUB = "00000000-0000-4000-8000-000000000001";

    @TempDir
    Path dir;

    private LocalArm arm;
    private Path config;

    @BeforeEach
    void start() throws Exception {
        arm = new LocalArm();
        config = Cli.properties(
                dir,
                "elb.jdbc.url=jdbc:h2:file:" + dir.resolve("store").toAbsolutePath(),
                "elb.azure.auth=none",
                "elb.azure.endpoint=" + arm.base(),
                "elb.azure.tenant=contoso.onmicrosoft.com",
                "elb.azure.poll-interval=PT0.05S",
                "elb.clusters=elb-cluster",
                "elb.cluster.elb-cluster.subscription=" + SUB,
                "elb.cluster.elb-cluster.resource-group=rg-elb",
                "elb.cluster.elb-cluster.databases=core_nt",
                "elb.image.elb-openapi=v4.9");
    }

    @AfterEach
    void stop() {
        arm.close();
    }

    private Cli.Result cli(String... args) {
        String[] all = new String[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--config";
        all[args.length + 1] = config.toString();
        return Cli.run(Map.of("ELB_OWNER", "alice"), all);
    }

    @Test
    void a_refused_create_is_printed_failed_with_its_category_and_then_listed_by_recent_failures_for_its_owner_only() {
        Cli.Result provision = cli(
                "provision",
                "--cluster",
                "quota-east",
                "--subscription",
                SUB,
                "--resource-group",
                "rg-elb",
                "--region",
                "koreacentral",
                "--node-count",
                "3");

        assertThat(provision.exit()).as(provision.err()).isEqualTo(1);
        JsonNode job = provision.json().get("job");
        assertThat(job.get("status").asText()).isEqualTo("failed");
        assertThat(job.get("error").get("category").asText()).isEqualTo("quota_exceeded");
        assertThat(job.get("payload").get("region").asText()).isEqualTo("koreacentral");

        Cli.Result recent = cli("recent-failures", "--hours", "24", "--limit", "10");
        assertThat(recent.exit()).as(recent.err()).isZero();
        assertThat(recent.json().get("degraded").asBoolean()).isFalse();
        assertThat(recent.json().get("jobs")).hasSize(1);
        assertThat(recent.json().get("jobs").get(0).get("cluster_name").asText())
                .isEqualTo("quota-east");
        assertThat(recent.json().get("jobs").get(0).get("task_id").asText())
                .isEqualTo(provision.json().get("task_id").asText());

        Cli.Result bob = cli("recent-failures", "--owner", "bob");
        assertThat(bob.json().get("jobs")).isEmpty();
    }

    @Test
    void an_accepted_create_is_running_with_its_checkpoint_and_cancel_by_its_owner_aborts_it_in_arm() {
        Cli.Result provision = cli("provision", "--cluster", "elb-cluster", "--region", "koreacentral");

        assertThat(provision.exit()).as(provision.err()).isZero();
        String taskId = provision.json().get("task_id").asText();
        assertThat(provision.json().get("job").get("status").asText()).isEqualTo("running");
        assertThat(provision.json().get("job").get("payload").has("aks_polling_url"))
                .as("the polling URL carries ARM's signature: never printed")
                .isFalse();
        assertThat(arm.count("PUT /subscriptions/" + SUB)).isEqualTo(1);

        Cli.Result notHers = cli("cancel", taskId, "--owner", "mallory");
        assertThat(notHers.exit()).isEqualTo(3);
        assertThat(notHers.json().get("result").asText()).isEqualTo("not_found");

        Cli.Result cancel = cli("cancel", taskId, "--mode", "abort_operation");
        assertThat(cancel.exit()).as(cancel.err()).isZero();
        assertThat(cancel.json().get("action_error").isNull()).as(cancel.out()).isTrue();
        assertThat(cancel.json().get("status").asText()).isEqualTo("cancelled");
        assertThat(cancel.json().get("partial_resource_likely").asBoolean()).isTrue();
        assertThat(cancel.json().get("portal_url").asText())
                .contains("#@contoso.onmicrosoft.com/resource/subscriptions/" + SUB);
        assertThat(arm.requests())
                .as(arm.requests().toString())
                .filteredOn(r -> r.startsWith("POST ")
                        && r.toLowerCase(java.util.Locale.ROOT).endsWith("/managedclusters/elb-cluster/abort"))
                .hasSize(1);
    }

    @Test
    void recent_failures_rejects_out_of_range_parameters_naming_them() {
        Cli.Result r = cli("recent-failures", "--hours", "0");

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("hours");
    }

    @Test
    void version_gate_prints_the_decision_and_hides_the_button_when_the_service_cannot_be_asked() {
        Cli.Result gate = cli("version-gate", "elb-openapi");

        assertThat(gate.exit()).as(gate.err()).isZero();
        assertThat(gate.json().get("service").asText()).isEqualTo("elb-openapi");
        assertThat(gate.json().get("decision").asText()).isEqualTo("service_unreachable");
        assertThat(gate.json().get("offer_update").asBoolean()).isFalse();
    }

    @Test
    void a_missing_owner_is_a_configuration_error_naming_the_option_and_the_key() {
        Cli.Result r = Cli.run(Map.of(), "recent-failures", "--config", config.toString());

        assertThat(r.exit()).isEqualTo(Runner.EXIT_CONFIG);
        assertThat(r.err()).contains("'--owner'").contains("ELB_OWNER");
    }
}
