package org.elb.warmkeeper.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.elb.warmkeeper.core.cluster.DatabaseName;
import org.elb.warmkeeper.runner.RunConfig.ConfigException;
import org.junit.jupiter.api.Test;

/** The runner's keys: defaults, clusters, and errors that name the key and the expected form. */
class RunSettingsTest {

    private static final String SUB = OneShotCommandsTest.SUB;

    private static RunSettings settings(String... kv) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return RunSettings.from(RunConfig.of(m));
    }

    private static void rejects(String message, String... kv) {
        assertThatThrownBy(() -> settings(kv))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(message);
    }

    @Test
    void defaults_are_a_single_replica_on_an_h2_file_without_kubernetes() {
        RunSettings s = settings();

        assertThat(s.jdbcUrl).isEqualTo("jdbc:h2:file:./elb-data/warmkeeper");
        assertThat(s.redisUrl).isNull();
        assertThat(s.kubeSource).isEqualTo(RunSettings.KubeSource.NONE);
        assertThat(s.statusSource).isEqualTo(RunSettings.StatusSource.INFORMER);
        assertThat(settings("elb.kube.status-source", "list").statusSource).isEqualTo(RunSettings.StatusSource.LIST);
        assertThat(s.httpPort).isEqualTo(8080);
        assertThat(s.interval).isEqualTo(Duration.ofMinutes(1));
        assertThat(s.lockTtl).isEqualTo(Duration.ofMinutes(15));
        assertThat(s.leaseCluster()).isEmpty();
        assertThat(s.clusters).isEmpty();
    }

    @Test
    void clusters_with_their_databases_downloaded_defaulting_to_the_databases_and_the_context_to_the_name() {
        RunSettings s = settings(
                "elb.clusters",
                "elb-cluster, elb-east",
                "elb.cluster.elb-cluster.subscription",
                SUB,
                "elb.cluster.elb-cluster.resource-group",
                "rg-elb",
                "elb.cluster.elb-cluster.databases",
                "core_nt,swissprot",
                "elb.cluster.elb-east.subscription",
                SUB,
                "elb.cluster.elb-east.resource-group",
                "rg-east",
                "elb.cluster.elb-east.databases",
                "nt,pdbaa",
                "elb.cluster.elb-east.downloaded",
                "nt",
                "elb.cluster.elb-east.kube-context",
                "east-admin",
                "elb.kube.config",
                "/tmp/kubeconfig",
                "elb.leader.lease",
                "elb-warmkeeper");

        assertThat(s.kubeSource).isEqualTo(RunSettings.KubeSource.KUBECONFIG);
        assertThat(s.clusters).hasSize(2);
        assertThat(s.clusters.get(0).downloaded())
                .containsExactly(DatabaseName.of("core_nt"), DatabaseName.of("swissprot"));
        assertThat(s.clusters.get(0).kubeContext()).isEqualTo("elb-cluster");
        assertThat(s.clusters.get(1).downloaded()).containsExactly(DatabaseName.of("nt"));
        assertThat(s.clusters.get(1).kubeContext()).isEqualTo("east-admin");
        assertThat(s.leaseCluster()).get().extracting(RunSettings.Cluster::name).isEqualTo("elb-cluster");
    }

    @Test
    void each_bad_value_names_its_key_and_the_expected_form() {
        rejects("'elb.jdbc.url' must be a jdbc:h2: or jdbc:postgresql: URL", "elb.jdbc.url", "jdbc:mysql://x/db");
        rejects("'elb.redis.url' must be redis://", "elb.redis.url", "localhost:6379");
        rejects("'elb.autowarm.interval' must be an ISO-8601 duration such as PT1M", "elb.autowarm.interval", "60s");
        rejects("'elb.kube.source' must be one of none, kubeconfig, aks, but was 'k3s'", "elb.kube.source", "k3s");
        rejects("'elb.azure.auth' must be one of default, none", "elb.azure.auth", "password");
        rejects(
                "'elb.kube.status-source' must be one of informer, list, but was 'watch'",
                "elb.kube.status-source",
                "watch");
        rejects("'elb.kube.namespace' must be a DNS label", "elb.kube.namespace", "ELB_NS");
        rejects("'elb.azure.readiness' must be true or false", "elb.azure.readiness", "maybe");
        rejects(
                "'elb.cluster.elb-cluster.subscription' is required (or ELB_CLUSTER_ELB_CLUSTER_SUBSCRIPTION)",
                "elb.clusters",
                "elb-cluster");
        rejects(
                "'elb.cluster.elb-cluster.databases' must be a comma-separated list of BLAST database names",
                "elb.clusters",
                "elb-cluster",
                "elb.cluster.elb-cluster.subscription",
                SUB,
                "elb.cluster.elb-cluster.resource-group",
                "rg",
                "elb.cluster.elb-cluster.databases",
                "core nt");
        rejects(
                "'elb.cluster.-bad-.*' must be a valid subscription id, resource group and AKS cluster name",
                "elb.clusters",
                "-bad-",
                "elb.cluster.-bad-.subscription",
                SUB,
                "elb.cluster.-bad-.resource-group",
                "rg");
        rejects("'elb.leader.lease' needs Kubernetes", "elb.leader.lease", "elb-warmkeeper");
        rejects("'elb.openapi.elb-openapi' must be the http(s) URL", "elb.openapi.elb-openapi", "elb-openapi:80");
    }

    @Test
    void every_top_level_key_can_come_from_the_environment_alone() {
        RunSettings s = RunSettings.from(RunConfig.load(
                null,
                Map.of(
                        "ELB_KUBE_SOURCE",
                        "aks",
                        "ELB_LEADER_NAMESPACE",
                        "elb-ops",
                        "ELB_CLUSTERS",
                        "",
                        "ELB_AZURE_POLL_INTERVAL",
                        "PT5S",
                        "ELB_REGISTRY_LOGIN_SERVER",
                        "https://r.azurecr.io")));

        assertThat(s.kubeSource).isEqualTo(RunSettings.KubeSource.AKS);
        assertThat(s.leaderNamespaceSet).isEqualTo("elb-ops");
        assertThat(s.pollInterval).isEqualTo(Duration.ofSeconds(5));
        assertThat(s.registry).isEqualTo("https://r.azurecr.io");
    }

    @Test
    void a_password_in_the_redis_url_is_not_in_the_error() {
        assertThatThrownBy(() -> settings("elb.redis.url", "rediss//:hunter2@redis:6379"))
                .hasMessageContaining("'elb.redis.url'")
                .hasMessageNotContaining("hunter2");
        assertThatThrownBy(() -> settings("elb.jdbc.url", "jdbc:oracle:thin:scott/tiger@host?password=hunter2"))
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void a_malformed_url_setting_names_its_key_and_never_shows_the_password() {
        // a base64 Redis key holds '/' and '+': unencoded, Java's URI sees no host
        assertThatThrownBy(() -> settings("elb.redis.url", "redis://:Zm9v/YmFy+cXV4@cache.example.net:6380"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("'elb.redis.url' must be redis://")
                .hasMessageContaining("%2F")
                .hasMessageNotContaining("Zm9v")
                .hasMessageNotContaining("YmFy");
        assertThatThrownBy(() -> settings("elb.redis.url", "redis://:p@ss@w0rd@cache.example.net"))
                .isInstanceOf(ConfigException.class)
                .hasMessageNotContaining("p@ss")
                .hasMessageNotContaining("w0rd");
        assertThatThrownBy(() -> settings("elb.azure.endpoint", "https://arm:top/secret@arm.example.net"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("'elb.azure.endpoint'")
                .hasMessageNotContaining("top/secret");
        assertThatThrownBy(
                        () -> settings("elb.openapi.elb-openapi", "http://spec host/openapi.json?token=abc123secret"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("'elb.openapi.elb-openapi'")
                .hasMessageNotContaining("abc123secret");
        assertThat(settings("elb.redis.url", "redis://:Zm9v%2FYmFy@cache.example.net:6380").redisUrl)
                .isNotNull();
    }

    @Test
    void http_identity_admins_and_drain_settings_are_validated() {
        RunSettings s = settings("elb.http.admins", "ops-1, ops-2", "elb.http.drain-timeout", "PT3S");
        assertThat(s.admins).extracting(o -> o.value()).containsExactlyInAnyOrder("ops-1", "ops-2");
        assertThat(s.drainTimeout).isEqualTo(Duration.ofSeconds(3));
        assertThat(s.identity).as("no identity is trusted until one is chosen").isNull();
        assertThat(settings("elb.http.identity", "header").identity).isEqualTo(RunSettings.IdentityMode.HEADER);
        assertThat(settings("elb.http.gateway-secret", "0123456789abcdef").gatewaySecret)
                .isEqualTo("0123456789abcdef");
        rejects("'elb.http.gateway-secret' must be at least 16 characters", "elb.http.gateway-secret", "short");

        rejects("'elb.http.identity' must be one of header, jwt", "elb.http.identity", "oauth");
        rejects("needs 'elb.http.jwt.issuer' and 'elb.http.jwt.audience'", "elb.http.identity", "jwt");
        rejects(
                "exactly one of 'elb.http.jwt.jwks-url' and 'elb.http.jwt.jwks-file'",
                "elb.http.identity",
                "jwt",
                "elb.http.jwt.issuer",
                "https://login.example.net/t/v2.0",
                "elb.http.jwt.audience",
                "api://elb");
        rejects(
                "'elb.http.jwt.jwks-url' must be the http(s) URL",
                "elb.http.identity",
                "jwt",
                "elb.http.jwt.issuer",
                "https://login.example.net/t/v2.0",
                "elb.http.jwt.audience",
                "api://elb",
                "elb.http.jwt.jwks-url",
                "file:/etc/keys");
        rejects("'elb.http.owner-header' must be an HTTP header name", "elb.http.owner-header", "X Owner");
        rejects("'elb.http.admins' must be a comma-separated list of owner ids", "elb.http.admins", "ops 1");
    }

    @Test
    void a_dependency_line_masks_the_endpoint_it_names() {
        String line = new Wiring.Check(
                        "azure",
                        true,
                        "ArmConnection[endpoint=https://arm:hunter2/x@arm.example.net/, auth=pipeline]: elb-cluster ready")
                .line();

        assertThat(line).doesNotContain("hunter2").contains("arm.example.net").contains("elb-cluster ready");
    }

    @Test
    void the_printed_configuration_masks_passwords_tokens_and_signatures_in_every_value() {
        String printed = RunConfig.of(Map.of(
                        "elb.azure.endpoint", "https://user:hunter2@arm.example.net",
                        "elb.openapi.elb-openapi", "https://spec.example.net/openapi.json?access_token=tok-123456",
                        "elb.registry.login-server", "https://r.example.net/?sig=c2lnbmF0dXJl",
                        "elb.jdbc.password", "pg-pass-1"))
                .toString();

        assertThat(printed)
                .doesNotContain("hunter2")
                .doesNotContain("tok-123456")
                .doesNotContain("c2lnbmF0dXJl")
                .doesNotContain("pg-pass-1")
                .contains("arm.example.net")
                .contains("spec.example.net/openapi.json");
    }
}
