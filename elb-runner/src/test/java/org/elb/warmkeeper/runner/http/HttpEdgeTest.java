package org.elb.warmkeeper.runner.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.elb.warmkeeper.core.cluster.ClusterRef;
import org.elb.warmkeeper.core.cluster.DatabaseName;
import org.elb.warmkeeper.core.cluster.OwnerId;
import org.elb.warmkeeper.core.provision.ArmError;
import org.elb.warmkeeper.core.provision.ClusterProvisioner;
import org.elb.warmkeeper.core.provision.ErrorClassifier;
import org.elb.warmkeeper.core.provision.ProvisionListener;
import org.elb.warmkeeper.core.provision.ProvisionRequest;
import org.elb.warmkeeper.core.provision.ProvisioningException;
import org.elb.warmkeeper.core.provision.ProvisioningService;
import org.elb.warmkeeper.core.provision.TaskId;
import org.elb.warmkeeper.core.version.DeployedVersion;
import org.elb.warmkeeper.core.version.ImageTag;
import org.elb.warmkeeper.core.version.ImageTagSource;
import org.elb.warmkeeper.core.version.ServiceName;
import org.elb.warmkeeper.core.version.VersionGateService;
import org.elb.warmkeeper.core.warm.AutoWarmPreference;
import org.elb.warmkeeper.core.warm.AutoWarmReconciler;
import org.elb.warmkeeper.testkit.FakeClusterProvisioner;
import org.elb.warmkeeper.testkit.FakeDeployedVersionProbe;
import org.elb.warmkeeper.testkit.FakeImageRegistry;
import org.elb.warmkeeper.testkit.FakeReadinessProbe;
import org.elb.warmkeeper.testkit.FakeWarmStatusProbe;
import org.elb.warmkeeper.testkit.InMemoryAutoWarmPreferences;
import org.elb.warmkeeper.testkit.InMemoryDatabaseInventory;
import org.elb.warmkeeper.testkit.InMemoryInflightLock;
import org.elb.warmkeeper.testkit.InMemoryJobStateRepository;
import org.elb.warmkeeper.testkit.MutableClock;
import org.elb.warmkeeper.testkit.RecordingWarmupDispatcher;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The HTTP edge under hostile or careless input, over real loopback HTTP: identity, paths decoded
 * once, strict bodies and parameters, errors that are JSON, bounded and masked, classified refusals,
 * the task endpoint, single-flight reconciles that never starve reads, health and drain.
 */
class HttpEdgeTest {

    static final String SUB = "00000000-0000-4000-8000-000000000001";
    static final ClusterRef CLUSTER = ClusterRef.of(SUB, "rg-elb", "elb-cluster");
    static final ServiceName OPENAPI = ServiceName.of("elb-openapi");
    static final String OWNER = HttpApi.DEFAULT_OWNER_HEADER;

    final ObjectMapper json = new ObjectMapper();
    final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    final MutableClock clock = MutableClock.start();
    final InMemoryJobStateRepository jobs = new InMemoryJobStateRepository();
    final FakeClusterProvisioner fake = new FakeClusterProvisioner();
    final OddProvisioner provisioner = new OddProvisioner(fake);
    final FakeDeployedVersionProbe deployed = new FakeDeployedVersionProbe();
    final FakeWarmStatusProbe statuses = new FakeWarmStatusProbe();
    final FakeReadinessProbe readiness = new FakeReadinessProbe();
    final AtomicInteger storeState = new AtomicInteger(); // 0 up, 1 down, 2 hangs
    HttpApi api;

    /** Task ids with '+', '%' and '/', and a classified refusal for clusters named quota-*. */
    static final class OddProvisioner implements ClusterProvisioner {
        final FakeClusterProvisioner fake;
        volatile String nextId = "";

        OddProvisioner(FakeClusterProvisioner fake) {
            this.fake = fake;
        }

        @Override
        public TaskId begin(ProvisionRequest request, ProvisionListener listener) {
            if (request.cluster().clusterName().startsWith("quota-")) {
                throw new ProvisioningException(
                        "ARM refused the create",
                        ErrorClassifier.classify(
                                ArmError.of(
                                        "QuotaExceeded",
                                        "exceeding approved Total Regional Cores quota; see https://ops:pa55/w0rd@quota.example.net")),
                        null);
            }
            TaskId fakeId = fake.begin(request, listener);
            return nextId.isEmpty() ? fakeId : TaskId.of(nextId);
        }

        @Override
        public boolean stop(TaskId taskId) {
            return fake.stop(taskId);
        }

        @Override
        public void abortOperation(ClusterRef cluster) {
            fake.abortOperation(cluster);
        }

        @Override
        public void deleteCluster(ClusterRef cluster) {
            fake.deleteCluster(cluster);
        }
    }

    @BeforeEach
    void start() throws Exception {
        DatabaseName coreNt = DatabaseName.of("core_nt");
        InMemoryAutoWarmPreferences prefs =
                new InMemoryAutoWarmPreferences().put(new AutoWarmPreference(CLUSTER, List.of(coreNt), true));
        AutoWarmReconciler reconciler = AutoWarmReconciler.builder(
                        prefs,
                        new InMemoryDatabaseInventory().markDownloaded(CLUSTER, coreNt),
                        statuses,
                        new InMemoryInflightLock(clock),
                        new RecordingWarmupDispatcher())
                .readiness(readiness)
                .clock(clock)
                .build();
        ProvisioningService provisioning =
                ProvisioningService.builder(jobs, provisioner).clock(clock).build();
        VersionGateService gate = VersionGateService.builder(
                        ImageTagSource.of(Map.of(OPENAPI, ImageTag.of("v4.9"))),
                        deployed,
                        new FakeImageRegistry().push(OPENAPI, ImageTag.of("v4.9")))
                .build();
        api = HttpApi.builder(provisioning, reconciler, gate)
                .port(0)
                .admins(Set.of(OwnerId.of("root")))
                .scrape(() -> "# nothing\n")
                .liveness("scheduler", () -> Health.up("ticking"))
                .readiness("store", () -> switch (storeState.get()) {
                    case 0 -> Health.up("reachable");
                    case 1 -> Health.down("unreachable: jdbc:postgresql://db:5432/elb?password=hunter2");
                    default -> {
                        sleep(10_000);
                        yield Health.up("late");
                    }
                })
                .readiness("lock", () -> Health.degraded("redis unreachable: failing open"))
                .checkTimeout(Duration.ofMillis(500))
                .start();
    }

    @AfterEach
    void stop() {
        api.close();
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    HttpResponse<String> call(String method, String rawPath, String body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + rawPath))
                .timeout(Duration.ofSeconds(20))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> as(String owner, String method, String rawPath, String body) throws Exception {
        return call(method, rawPath, body, OWNER, owner);
    }

    JsonNode error(HttpResponse<String> r, int status) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
        JsonNode body = json.readTree(r.body());
        assertThat(body.get("error").isTextual()).as(r.body()).isTrue();
        return body;
    }

    static String provisionBody(String cluster, String nodeCount) {
        return "{\"subscription_id\":\"" + SUB + "\",\"resource_group\":\"rg-elb\",\"cluster_name\":\"" + cluster
                + "\",\"region\":\"koreacentral\",\"vm_size\":\"Standard_E32s_v5\",\"node_count\":" + nodeCount + "}";
    }

    // ---- identity -------------------------------------------------------------------------------

    @Test
    void a_duplicated_owner_header_is_a_400_whether_two_lines_or_one_joined_list() throws Exception {
        assertThat(error(call("GET", "/api/aks/recent-failed-provisions", null, OWNER, "alice", OWNER, "bob"), 400)
                        .get("error")
                        .asText())
                .contains("'" + OWNER + "' header must be sent once");
        assertThat(error(as("alice, bob", "GET", "/api/aks/recent-failed-provisions", null), 400)
                        .get("error")
                        .asText())
                .contains("one owner id");
        // even where no identity is needed: the request is refused, not run as alice
        error(call("GET", "/api/version-gate/elb-openapi", null, OWNER, "alice", OWNER, "bob"), 400);
        assertThat(as("alice", "GET", "/api/aks/recent-failed-provisions", null).statusCode())
                .isEqualTo(200);
    }

    // ---- paths and parameters ---------------------------------------------------------------------

    @Test
    void the_empty_task_id_on_cancel_and_on_tasks_is_a_400_not_a_500() throws Exception {
        assertThat(error(as("alice", "POST", "/api/aks/provision//cancel", null), 400)
                        .get("error")
                        .asText())
                .contains("task id is missing");
        error(as("alice", "POST", "/api/aks/provision/cancel", null), 400);
        error(as("alice", "GET", "/api/tasks/", null), 400);
        error(as("alice", "GET", "/api/tasks", null), 400);
    }

    @Test
    void paths_are_decoded_once_so_odd_task_ids_are_addressable_and_double_escapes_stay_escaped() throws Exception {
        provisioner.nextId = "op+1%/x";
        String taskId = json.readTree(as("alice", "POST", "/api/aks/provision", provisionBody("elb-odd", "3"))
                        .body())
                .get("task_id")
                .asText();
        assertThat(taskId).isEqualTo("op+1%/x");

        JsonNode job =
                json.readTree(as("alice", "GET", "/api/tasks/op+1%25%2Fx", null).body());
        assertThat(job.get("task_id").asText()).isEqualTo("op+1%/x");
        assertThat(job.get("status").asText()).isEqualTo("queued");

        // %252e%252e%252f is the task id "%2e%2e%2f", never "../"
        assertThat(error(as("alice", "GET", "/api/tasks/%252e%252e%252f", null), 404)
                        .get("error")
                        .asText())
                .contains("'%2e%2e%2f'");
        error(as("alice", "GET", "/api/aks/%2e%2e/tasks/x", null), 404);
    }

    @Test
    void a_malformed_escape_that_reaches_the_api_is_a_json_400() throws Exception {
        assertThat(error(as("alice", "GET", "/api/tasks/%C3%28", null), 400)
                        .get("error")
                        .asText())
                .contains("not UTF-8");
        error(as("alice", "GET", "/api/aks/recent-failed-provisions?hours=%FF", null), 400);
        error(as("alice", "GET", "/api/tasks/a%00b", null), 400);
        // a non-ASCII task id is decoded whole (not an ASCII owner id, so the answer names the rule)
        assertThat(error(as("alice", "GET", "/api/tasks/%F0%9F%92%A5", null), 400)
                        .get("error")
                        .asText())
                .contains("'taskId'")
                .contains("\uD83D\uDCA5");
    }

    @Test
    void an_escape_the_jdk_server_refuses_itself_is_still_a_400_without_a_stack_trace() throws Exception {
        try (Socket s = new Socket("127.0.0.1", api.port())) {
            s.setSoTimeout(5_000);
            OutputStream out = s.getOutputStream();
            out.write(("GET /api/aks/recent-failed-provisions?hours=%zz HTTP/1.1\r\nHost: x\r\n" + OWNER
                            + ": alice\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            String response = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            assertThat(response)
                    .startsWith("HTTP/1.1 400")
                    .doesNotContain("Exception:")
                    .doesNotContain("\tat ");
        }
    }

    /**
     * The limit, pinned: a target that is not URI syntax ({@code %zz}, a lone {@code %}) is refused by
     * the JDK server while it parses the request line, before any handler or filter runs, with its own
     * HTML 400 (sun.net.httpserver.ServerImpl: {@code new URI(target)} fails and the exchange is
     * rejected). The runner cannot answer JSON there; its README says so. If a JDK ever hands these to
     * the handler, this test fails and the JSON 400 of {@code Request} answers instead.
     */
    @Test
    void a_target_that_is_not_uri_syntax_gets_the_jdk_servers_own_400_before_any_handler() throws Exception {
        for (String target : List.of("/api/tasks/%zz", "/api/autowarm/status?x=%", "/healthz%2")) {
            try (Socket s = new Socket("127.0.0.1", api.port())) {
                s.setSoTimeout(5_000);
                OutputStream out = s.getOutputStream();
                out.write(
                        ("GET " + target + " HTTP/1.1\r\nHost: x\r\n" + OWNER + ": alice\r\nConnection: close\r\n\r\n")
                                .getBytes(StandardCharsets.US_ASCII));
                out.flush();
                String response = new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
                assertThat(response)
                        .as(target)
                        .startsWith("HTTP/1.1 400")
                        .contains("Content-Type: text/html")
                        .endsWith("<h1>400 Bad Request</h1>URISyntaxException thrown");
            }
        }
        assertThat(api.inFlight()).isZero();
        // the same bytes escaped once more are URI syntax: they reach the API, which answers JSON
        assertThat(error(as("alice", "GET", "/api/tasks/%25zz", null), 404)
                        .get("error")
                        .asText())
                .contains("no task '%zz'");
    }

    @Test
    void parameters_take_ascii_digits_only_and_a_huge_bad_value_is_echoed_cut_to_80_characters() throws Exception {
        assertThat(error(as("alice", "GET", "/api/aks/recent-failed-provisions?hours=%D9%A3", null), 400)
                        .get("error")
                        .asText())
                .contains("ASCII digits");
        error(as("alice", "GET", "/api/aks/recent-failed-provisions?hours=%EF%BC%93", null), 400);
        error(as("alice", "GET", "/api/aks/recent-failed-provisions?hours=1&hours=500", null), 400);

        String huge = "9x".repeat(4_000);
        HttpResponse<String> r = as("alice", "GET", "/api/aks/recent-failed-provisions?limit=" + huge, null);
        String message = error(r, 400).get("error").asText();
        assertThat(message).contains("'limit'").contains("9x9x").contains("…");
        assertThat(r.body().length()).isLessThan(300);
    }

    @Test
    void hours_over_168_or_limit_over_20_is_a_400_naming_the_bound_and_absent_values_take_the_defaults()
            throws Exception {
        assertThat(error(as("alice", "GET", "/api/aks/recent-failed-provisions?hours=169", null), 400)
                        .get("error")
                        .asText())
                .contains("'hours' must be between 1 and 168, but was 169");
        assertThat(error(as("alice", "GET", "/api/aks/recent-failed-provisions?limit=21", null), 400)
                        .get("error")
                        .asText())
                .contains("'limit' must be between 1 and 20");
        error(as("alice", "GET", "/api/aks/recent-failed-provisions?hours=0", null), 400);
        assertThat(as("alice", "GET", "/api/aks/recent-failed-provisions?hours=168&limit=20", null)
                        .statusCode())
                .isEqualTo(200);
        assertThat(as("alice", "GET", "/api/aks/recent-failed-provisions?hours=&limit=", null)
                        .statusCode())
                .isEqualTo(200);
    }

    // ---- bodies -------------------------------------------------------------------------------------

    @Test
    void bodies_are_strict_integers_strings_one_object_and_no_key_twice() throws Exception {
        Map<String, String> refused = new java.util.LinkedHashMap<>();
        refused.put(provisionBody("elb-a", "3.9"), "'node_count'");
        refused.put(provisionBody("elb-a", "1e3"), "'node_count'");
        refused.put(provisionBody("elb-a", "3.0"), "'node_count'");
        refused.put(provisionBody("elb-a", "\"3\""), "'node_count'");
        refused.put(provisionBody("elb-a", "99999999999"), "'node_count'");
        refused.put(provisionBody("elb-a", "3").replace("}", ",\"kubernetes_version\":1.30}"), "'kubernetes_version'");
        refused.put(provisionBody("elb-a", "3") + " trailing", "not a single valid JSON object");
        refused.put(provisionBody("elb-a", "3") + provisionBody("elb-b", "3"), "not a single valid JSON object");
        refused.put(provisionBody("elb-a", "3").replace("{", "{\"node_count\":2,"), "Duplicate field");
        refused.put("[" + provisionBody("elb-a", "3") + "]", "must be a JSON object");
        refused.put("", "was empty");
        for (Map.Entry<String, String> e : refused.entrySet()) {
            HttpResponse<String> r = as("alice", "POST", "/api/aks/provision", e.getKey());
            assertThat(error(r, 400).get("error").asText()).as(e.getKey()).contains(e.getValue());
        }
        assertThat(jobs.size()).as("nothing was provisioned").isZero();

        assertThat(as(
                                "alice",
                                "POST",
                                "/api/aks/provision",
                                provisionBody("elb-a", "3").replace("}", ",\"kubernetes_version\":\"1.30\"}"))
                        .statusCode())
                .isEqualTo(202);
    }

    @Test
    void a_classified_refusal_keeps_its_category_and_actions_and_no_secret() throws Exception {
        HttpResponse<String> r = as("alice", "POST", "/api/aks/provision", provisionBody("quota-east", "3"));

        JsonNode body = error(r, 422);
        assertThat(body.get("category").asText()).isEqualTo("quota_exceeded");
        assertThat(body.get("code").asText()).isEqualTo("QuotaExceeded");
        assertThat(body.get("retryable").asBoolean()).isFalse();
        assertThat(body.get("suggested_actions")).isNotEmpty();
        assertThat(r.body()).doesNotContain("pa55").doesNotContain("w0rd");

        JsonNode failed = json.readTree(
                as("alice", "GET", "/api/aks/recent-failed-provisions", null).body());
        assertThat(failed.get("jobs").get(0).get("error").get("category").asText())
                .isEqualTo("quota_exceeded");
        assertThat(failed.toString()).doesNotContain("pa55").doesNotContain("w0rd");
    }

    @Test
    void a_stored_failure_message_with_a_token_or_signature_is_served_masked() throws Exception {
        String taskId = json.readTree(as("alice", "POST", "/api/aks/provision", provisionBody("elb-s", "3"))
                        .body())
                .get("task_id")
                .asText();
        fake.fail(
                TaskId.of(taskId),
                ArmError.of(
                        "InternalServerError",
                        "polling https://management.example.net/op?api-version=1&sig=c2VjcmV0LXNpZw%3D%3D&token=tok-5ecret failed"));

        String body =
                as("alice", "GET", "/api/aks/recent-failed-provisions", null).body();
        assertThat(body)
                .contains("management.example.net")
                .doesNotContain("c2VjcmV0LXNpZw")
                .doesNotContain("tok-5ecret");
        assertThat(as("alice", "GET", "/api/tasks/" + taskId, null).body()).doesNotContain("tok-5ecret");
    }

    // ---- the task endpoint --------------------------------------------------------------------------

    @Test
    void a_task_is_served_to_its_owner_only_and_is_a_404_for_anyone_else() throws Exception {
        String taskId = json.readTree(as("alice", "POST", "/api/aks/provision", provisionBody("elb-t", "3"))
                        .body())
                .get("task_id")
                .asText();
        fake.publishState(TaskId.of(taskId), "Creating");

        HttpResponse<String> mine = as("alice", "GET", "/api/tasks/" + taskId, null);
        assertThat(mine.statusCode()).isEqualTo(200);
        JsonNode job = json.readTree(mine.body());
        assertThat(job.get("type").asText()).isEqualTo("aks_provision");
        assertThat(job.get("task_id").asText()).isEqualTo(taskId);
        assertThat(job.get("cluster_state").asText()).isEqualTo("Creating");
        assertThat(job.get("payload").get("cluster_name").asText()).isEqualTo("elb-t");

        JsonNode other = error(as("mallory", "GET", "/api/tasks/" + taskId, null), 404);
        JsonNode unknown = error(as("mallory", "GET", "/api/tasks/task-999", null), 404);
        assertThat(other.get("error").asText().replace(taskId, "ID"))
                .isEqualTo(unknown.get("error").asText().replace("task-999", "ID"));
        error(call("GET", "/api/tasks/" + taskId, null), 401);
        error(as("alice", "DELETE", "/api/tasks/" + taskId, null), 405);
    }

    // ---- versions -----------------------------------------------------------------------------------

    @Test
    void a_huge_info_version_is_deployed_version_unknown_and_the_request_answers() throws Exception {
        deployed.set(OPENAPI, DeployedVersion.reported("4.9-" + "x.".repeat(20_000) + "x"));

        HttpResponse<String> r = call("GET", "/api/version-gate/elb-openapi", null);

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(json.readTree(r.body()).get("decision").asText()).isEqualTo("deployed_version_unknown");
        assertThat(r.body().length()).isLessThan(500);
    }

    // ---- reconcile on demand ------------------------------------------------------------------------

    @Test
    void concurrent_reconciles_share_one_tick_and_reads_and_health_answer_meanwhile() throws Exception {
        readiness.faults().slow(Duration.ofMillis(1_500));
        List<CompletableFuture<HttpResponse<String>>> reconciles = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            reconciles.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return as("alice", "POST", "/api/autowarm/reconcile", null);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        sleep(200);
        List<String> paths = List.of(
                "/healthz",
                "/readyz",
                "/metrics",
                "/api/aks/recent-failed-provisions",
                "/api/autowarm/status",
                "/api/version-gate/elb-openapi");
        List<Long> micros = new ArrayList<>();
        long until = System.nanoTime() + Duration.ofMillis(800).toNanos();
        for (int i = 0; System.nanoTime() < until; i++) {
            String path = paths.get(i % paths.size());
            long start = System.nanoTime();
            HttpResponse<String> r = as("alice", "GET", path, null);
            micros.add((System.nanoTime() - start) / 1_000);
            assertThat(r.statusCode()).as(path + " " + r.body()).isIn(200, 503);
        }
        assertThat(reconciles).allSatisfy(f -> assertThat(f).isNotDone());
        java.util.Collections.sort(micros);
        long p50 = micros.get(micros.size() / 2);
        long p99 = micros.get(micros.size() * 99 / 100);
        long max = micros.get(micros.size() - 1);
        System.out.printf(
                "reads while 6 reconciles wait: %d reads, p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
                micros.size(), p50 / 1000.0, p99 / 1000.0, max / 1000.0);
        assertThat(max / 1000).as("slowest read while 6 reconciles wait, ms").isLessThan(1_000);

        List<String> startedAt = new ArrayList<>();
        for (CompletableFuture<HttpResponse<String>> f : reconciles) {
            HttpResponse<String> r = f.get();
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            startedAt.add(json.readTree(r.body()).get("started_at").asText());
        }
        assertThat(startedAt).as("one tick for all").containsOnly(startedAt.get(0));
        assertThat(readiness.faults().calls()).isEqualTo(1);
    }

    @Test
    void force_needs_an_admin_and_a_different_force_while_a_tick_runs_is_a_409() throws Exception {
        assertThat(error(as("alice", "POST", "/api/autowarm/reconcile?force=true", null), 403)
                        .get("error")
                        .asText())
                .contains("admin");

        readiness.faults().slow(Duration.ofMillis(1_000));
        CompletableFuture<HttpResponse<String>> running = CompletableFuture.supplyAsync(() -> {
            try {
                return as("alice", "POST", "/api/autowarm/reconcile", null);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        sleep(300);
        error(as("root", "POST", "/api/autowarm/reconcile?force=true", null), 409);
        assertThat(running.get().statusCode()).isEqualTo(200);
        readiness.faults().heal();
        HttpResponse<String> forced = as("root", "POST", "/api/autowarm/reconcile?force=true", null);
        assertThat(forced.statusCode()).as(forced.body()).isEqualTo(200);
        assertThat(json.readTree(forced.body()).get("force").asBoolean()).isTrue();
    }

    // ---- health and drain ---------------------------------------------------------------------------

    @Test
    void healthz_and_readyz_report_each_component_and_a_down_or_hung_component_is_a_503() throws Exception {
        HttpResponse<String> live = call("GET", "/healthz", null);
        assertThat(live.statusCode()).isEqualTo(200);
        assertThat(json.readTree(live.body())
                        .get("components")
                        .get("scheduler")
                        .get("status")
                        .asText())
                .isEqualTo("up");

        HttpResponse<String> ready = call("GET", "/readyz", null);
        assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
        JsonNode components = json.readTree(ready.body()).get("components");
        assertThat(components.get("store").get("status").asText()).isEqualTo("up");
        assertThat(components.get("lock").get("status").asText()).isEqualTo("degraded");

        storeState.set(1);
        HttpResponse<String> down = call("GET", "/readyz", null);
        assertThat(down.statusCode()).isEqualTo(503);
        assertThat(json.readTree(down.body()).get("status").asText()).isEqualTo("down");
        assertThat(down.body()).doesNotContain("hunter2");

        storeState.set(2);
        long start = System.nanoTime();
        HttpResponse<String> hung = call("GET", "/readyz", null);
        assertThat(hung.statusCode()).isEqualTo(503);
        assertThat(json.readTree(hung.body())
                        .get("components")
                        .get("store")
                        .get("detail")
                        .asText())
                .contains("no answer within");
        assertThat((System.nanoTime() - start) / 1_000_000).as("ms").isLessThan(5_000);

        // a hung store holds one thread per check: past the bound, checks answer down at once instead of piling up
        for (int i = 0; i < 20; i++) {
            assertThat(call("GET", "/readyz", null).statusCode()).isEqualTo(503);
        }
        assertThat(Thread.getAllStackTraces().keySet().stream()
                        .filter(t -> t.getName().equals("elb-health-check"))
                        .count())
                .isLessThanOrEqualTo(16);
    }

    @Test
    void drain_finishes_the_request_in_flight_and_refuses_new_ones() throws Exception {
        readiness.faults().slow(Duration.ofMillis(1_000));
        CompletableFuture<HttpResponse<String>> inFlight = CompletableFuture.supplyAsync(() -> {
            try {
                return as("alice", "POST", "/api/autowarm/reconcile", null);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        sleep(300);
        assertThat(api.inFlight()).isEqualTo(1);

        CompletableFuture<Boolean> drained = CompletableFuture.supplyAsync(() -> api.drain(Duration.ofSeconds(10)));
        sleep(100);
        HttpResponse<String> late = call("GET", "/readyz", null);
        assertThat(late.statusCode()).isEqualTo(503);
        assertThat(json.readTree(late.body())
                        .get("components")
                        .get("http")
                        .get("detail")
                        .asText())
                .contains("draining");
        error(as("alice", "GET", "/api/aks/recent-failed-provisions", null), 503);

        assertThat(inFlight.get().statusCode()).isEqualTo(200);
        assertThat(drained.get()).isTrue();
        assertThat(api.inFlight()).isZero();
    }
}
