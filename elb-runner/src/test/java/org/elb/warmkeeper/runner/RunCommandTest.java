package org.elb.warmkeeper.runner;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.elb.warmkeeper.core.cluster.ClusterRef;
import org.elb.warmkeeper.core.cluster.DatabaseName;
import org.elb.warmkeeper.jdbi.JdbiStore;
import org.elb.warmkeeper.runner.http.SseClient;
import org.elb.warmkeeper.testservers.LocalArm;
import org.elb.warmkeeper.testservers.TestRedis;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code run} end to end: the real command in process, on a free port, with an H2 file store, the real
 * Redis ({@code ELB_TEST_REDIS_URL}, else embedded) and a local Resource Manager; the HTTP endpoints
 * reach the real adapters; interrupting the command stops it cleanly (the H2 file is released).
 */
class RunCommandTest {

    static final String SUB = OneShotCommandsTest.SUB;

    @TempDir
    Path dir;

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private LocalArm arm;
    private Thread thread;
    private final AtomicInteger exit = new AtomicInteger(-1);
    private Cli cli;

    @BeforeEach
    void startArm() throws Exception {
        arm = new LocalArm().existing("elb-cluster");
    }

    @AfterEach
    void stop() throws Exception {
        if (thread != null && thread.isAlive()) {
            thread.interrupt();
            thread.join(30_000);
        }
        arm.close();
    }

    private String jdbcUrl() {
        return "jdbc:h2:file:" + dir.resolve("store").toAbsolutePath();
    }

    private Path config(String... extra) throws Exception {
        String[] base = {
            "elb.jdbc.url=" + jdbcUrl(),
            "elb.redis.url=" + TestRedis.url(),
            "elb.http.port=0",
            "elb.http.identity=header",
            "elb.autowarm.interval=PT1H",
            "elb.azure.auth=none",
            "elb.azure.endpoint=" + arm.base(),
            "elb.azure.poll-interval=PT0.05S",
            "elb.clusters=elb-cluster",
            "elb.cluster.elb-cluster.subscription=" + SUB,
            "elb.cluster.elb-cluster.resource-group=rg-elb",
            "elb.cluster.elb-cluster.databases=core_nt,swissprot",
            "elb.image.elb-openapi=v4.9"
        };
        String[] all = new String[base.length + extra.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(extra, 0, all, base.length, extra.length);
        return Cli.properties(dir, all);
    }

    /** Starts {@code run} on its own thread and returns the port it printed. */
    private int startRun(Path config) throws Exception {
        cli = new Cli();
        var commandLine = cli.commandLine();
        thread = new Thread(() -> exit.set(commandLine.execute("run", "--config", config.toString())), "run-command");
        thread.start();
        Pattern listening = Pattern.compile("listening on http://127\\.0\\.0\\.1:(\\d+)");
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            Matcher m = listening.matcher(cli.out.toString());
            if (m.find()) {
                return Integer.parseInt(m.group(1));
            }
            if (!thread.isAlive()) {
                break;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("run did not start: exit " + exit.get() + "\nout: " + cli.out + "\nerr: " + cli.err);
    }

    private HttpResponse<String> call(int port, String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(20))
                .header("X-Elb-Owner", "alice")
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private int stopRun() throws Exception {
        thread.interrupt();
        thread.join(30_000);
        assertThat(thread.isAlive()).as("run stops when interrupted").isFalse();
        return exit.get();
    }

    @Test
    void run_checks_its_dependencies_serves_the_endpoints_on_the_real_adapters_and_stops_cleanly() throws Exception {
        int port = startRun(config());

        String out = cli.out.toString();
        assertThat(out).containsPattern("database\\s+ok\\s+h2 jdbc:h2:file:");

        // health of the real wiring
        HttpResponse<String> live = call(port, "GET", "/healthz", null);
        assertThat(live.statusCode()).as(live.body()).isEqualTo(200);
        assertThat(json.readTree(live.body())
                        .get("components")
                        .get("scheduler")
                        .get("status")
                        .asText())
                .isEqualTo("up");
        JsonNode ready =
                json.readTree(call(port, "GET", "/readyz", null).body()).get("components");
        assertThat(ready.get("store").get("detail").asText()).startsWith("h2 reachable");
        assertThat(ready.get("lock").get("detail").asText()).isEqualTo("redis reachable");
        assertThat(ready.get("role").get("detail").asText()).isEqualTo("leader (single replica)");
        assertThat(out).containsPattern("redis\\s+ok\\s+redis://");
        assertThat(out).containsPattern("azure\\s+ok\\s+.*elb-cluster ready");

        // provisioning through the AKS adapter: refused by ARM, listed with its category
        HttpResponse<String> accepted = call(
                port,
                "POST",
                "/api/aks/provision",
                "{\"subscription_id\":\"" + SUB + "\",\"resource_group\":\"rg-elb\",\"cluster_name\":\"quota-east\","
                        + "\"region\":\"koreacentral\",\"vm_size\":\"Standard_E32s_v5\",\"node_count\":3}");
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        JsonNode failed = null;
        for (int i = 0; i < 200 && (failed == null || failed.get("jobs").isEmpty()); i++) {
            Thread.sleep(25);
            failed = json.readTree(call(port, "GET", "/api/aks/recent-failed-provisions?hours=24&limit=10", null)
                    .body());
        }
        assertThat(failed.get("jobs")).hasSize(1);
        assertThat(failed.get("jobs").get(0).get("error").get("category").asText())
                .isEqualTo("quota_exceeded");

        // the version gate over the configured pinned tag
        JsonNode gate = json.readTree(
                call(port, "GET", "/api/version-gate/elb-openapi", null).body());
        assertThat(gate.get("decision").asText()).isEqualTo("service_unreachable");

        // metrics of the real services on the Prometheus registry
        String metrics = call(port, "GET", "/metrics", null).body();
        assertThat(metrics).contains("elb_provision_outcomes_total").contains("category=\"quota_exceeded\"");
        assertThat(metrics).contains("elb_autowarm_ticks");
        // JVM and process meters on the same registry
        assertThat(metrics)
                .contains("jvm_memory_used_bytes{")
                .contains("process_uptime_seconds ")
                .contains("jvm_gc_")
                .contains("jvm_threads_live_threads ")
                .contains("jvm_classes_loaded_classes ")
                .contains("system_cpu_count ");

        assertThat(stopRun()).isZero();
        assertThat(cli.out.toString()).contains("stopped");

        // the store was closed (the H2 file is free) and holds the seeded preferences
        try (JdbiStore store = JdbiStore.builder(jdbcUrl()).build()) {
            assertThat(store.autoWarmPreferences().enabledClusters())
                    .singleElement()
                    .satisfies(p -> {
                        assertThat(p.cluster()).isEqualTo(ClusterRef.of(SUB, "rg-elb", "elb-cluster"));
                        assertThat(p.databases())
                                .containsExactly(DatabaseName.of("core_nt"), DatabaseName.of("swissprot"));
                    });
        }
    }

    @Test
    void a_single_replica_without_redis_serves_the_status_page_and_streams_its_own_job_changes() throws Exception {
        int port = startRun(config("elb.redis.url="));
        HttpResponse<String> page = call(port, "GET", "/", null);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("<title>ELB Warmkeeper</title>");
        assertThat(json.readTree(call(port, "GET", "/page-config.json", null).body())
                        .get("gate_services")
                        .get(0)
                        .asText())
                .isEqualTo("elb-openapi");

        try (SseClient events = SseClient.open(port, "alice", null)) {
            events.await(e -> e.type().equals("ready"), Duration.ofSeconds(10));
            HttpResponse<String> accepted = call(
                    port,
                    "POST",
                    "/api/aks/provision",
                    "{\"subscription_id\":\"" + SUB
                            + "\",\"resource_group\":\"rg-elb\",\"cluster_name\":\"quota-west\","
                            + "\"region\":\"koreacentral\",\"vm_size\":\"Standard_E32s_v5\",\"node_count\":3}");
            assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
            SseClient.Event failed = events.await(
                    e -> e.type().equals("job")
                            && e.json().get("status").asText().equals("failed"),
                    Duration.ofSeconds(20));
            assertThat(failed.json().get("error").get("category").asText()).isEqualTo("quota_exceeded");
        }
        assertThat(stopRun()).isZero();
    }

    @Test
    void with_redis_down_the_runner_is_ready_and_says_the_lock_fails_open() throws Exception {
        int port = startRun(config("elb.redis.url=redis://:s3cret@127.0.0.1:" + TestRedis.freePort()));

        HttpResponse<String> ready = call(port, "GET", "/readyz", null);

        assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
        JsonNode lock = json.readTree(ready.body()).get("components").get("lock");
        assertThat(lock.get("status").asText()).isEqualTo("degraded");
        assertThat(lock.get("detail").asText()).contains("fails open");
        assertThat(ready.body() + cli.out + cli.err).doesNotContain("s3cret");
        assertThat(stopRun()).isZero();
    }

    @Test
    void a_configuration_error_names_the_key_and_the_form_and_exits_2() throws Exception {
        Cli.Result r = Cli.run(java.util.Map.of("ELB_HTTP_PORT", "eighty"), "run", "--config", config().toString());

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("'elb.http.port' must be an integer between 0 and 65535, but was 'eighty'");
    }

    @Test
    void an_unreachable_database_is_reported_with_its_reason_without_the_password_and_run_exits_1() throws Exception {
        int closed = TestRedis.freePort();
        Cli.Result r = Cli.run(
                java.util.Map.of(
                        "ELB_JDBC_URL",
                        "jdbc:postgresql://127.0.0.1:" + closed + "/elb",
                        "ELB_JDBC_USER",
                        "elb",
                        "ELB_JDBC_PASSWORD",
                        "s3cret-pw"),
                "run",
                "--config",
                config().toString());

        assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(1);
        assertThat(r.out()).containsPattern("database\\s+UNAVAILABLE");
        assertThat(r.err()).contains("the database is required at start");
        assertThat(r.out() + r.err()).doesNotContain("s3cret-pw");
    }

    @Test
    void a_redis_password_with_a_slash_exits_2_naming_the_key_without_the_password_or_a_stack_trace() throws Exception {
        Cli.Result r = Cli.run(
                java.util.Map.of("ELB_REDIS_URL", "redis://:s3cr/et+key@127.0.0.1:6379"),
                "run",
                "--config",
                config().toString());

        assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(2);
        assertThat(r.err()).contains("'elb.redis.url' must be redis://");
        assertThat(r.out() + r.err())
                .doesNotContain("s3cr")
                .doesNotContain("et+key")
                .doesNotContain("\tat ");
    }

    @Test
    void run_without_an_identity_mode_exits_2_naming_the_key() throws Exception {
        Path config = config();
        java.nio.file.Files.writeString(
                config, java.nio.file.Files.readString(config).replace("elb.http.identity=header", ""));

        Cli.Result r = Cli.run(java.util.Map.of(), "run", "--config", config.toString());

        assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(2);
        assertThat(r.err()).contains("'elb.http.identity' must be set");
    }

    @Test
    void header_identity_off_loopback_without_a_gateway_secret_refuses_to_start() throws Exception {
        Cli.Result r = Cli.run(java.util.Map.of("ELB_HTTP_HOST", "0.0.0.0"), "run", "--config", config().toString());

        assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(2);
        assertThat(r.err()).contains("'elb.http.gateway-secret' is required").contains("0.0.0.0");
    }

    @Test
    void with_a_gateway_secret_an_api_request_without_it_is_401_whatever_owner_it_names() throws Exception {
        String secret = "gw-" + "0123456789abcdef";
        int port = startRun(config("elb.http.gateway-secret=" + secret));

        HttpResponse<String> without = call(port, "GET", "/api/aks/recent-failed-provisions", null);
        assertThat(without.statusCode()).as(without.body()).isEqualTo(401);
        assertThat(without.body()).contains("X-Elb-Gateway-Secret").doesNotContain(secret);

        HttpResponse<String> wrong = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/aks/recent-failed-provisions"))
                        .timeout(Duration.ofSeconds(20))
                        .header("X-Elb-Owner", "alice")
                        .header("X-Elb-Gateway-Secret", secret + "x")
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(wrong.statusCode()).as(wrong.body()).isEqualTo(401);

        HttpResponse<String> with = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/aks/recent-failed-provisions"))
                        .timeout(Duration.ofSeconds(20))
                        .header("X-Elb-Owner", "alice")
                        .header("X-Elb-Gateway-Secret", secret)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(with.statusCode()).as(with.body()).isEqualTo(200);

        assertThat(call(port, "GET", "/healthz", null).statusCode())
                .as("the kubelet's probes carry no secret")
                .isEqualTo(200);
        assertThat(cli.out.toString() + cli.err.toString()).doesNotContain(secret);
        assertThat(stopRun()).isZero();
    }

    @Test
    void loopback_means_an_address_only_this_machine_reaches() {
        assertThat(RunningApp.loopback("127.0.0.1")).isTrue();
        assertThat(RunningApp.loopback("127.8.0.1")).isTrue();
        assertThat(RunningApp.loopback("localhost")).isTrue();
        assertThat(RunningApp.loopback("::1")).isTrue();
        assertThat(RunningApp.loopback("0.0.0.0")).isFalse();
        assertThat(RunningApp.loopback("10.0.0.4")).isFalse();
        assertThat(RunningApp.loopback("runner.internal")).isFalse();
    }
}
