package org.elb.warmkeeper.runner.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.elb.warmkeeper.core.cluster.ClusterRef;
import org.elb.warmkeeper.core.cluster.DatabaseName;
import org.elb.warmkeeper.core.provision.ArmError;
import org.elb.warmkeeper.core.provision.ProvisioningService;
import org.elb.warmkeeper.core.provision.TaskId;
import org.elb.warmkeeper.core.version.DeployedVersion;
import org.elb.warmkeeper.core.version.ImageTag;
import org.elb.warmkeeper.core.version.ImageTagSource;
import org.elb.warmkeeper.core.version.ServiceName;
import org.elb.warmkeeper.core.version.VersionGateService;
import org.elb.warmkeeper.core.warm.AutoWarmPreference;
import org.elb.warmkeeper.core.warm.AutoWarmReconciler;
import org.elb.warmkeeper.http.HttpProblem;
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
 * A bounded fuzz of the HTTP edge over loopback: a few thousand generated requests (methods, paths,
 * escapes, parameters, identity headers, bodies), from a fixed seed so a failure replays. Every answer
 * is below 500; every error is a JSON object with an {@code error} string; no body and no log line
 * holds a planted secret or a stack trace.
 */
class HttpFuzzTest {

    static final long SEED = 20261201L;
    static final int REQUESTS = 3_000;
    static final String SECRET = "FUZZ5ECRET";
    static final String SUB = "00000000-0000-4000-8000-000000000001";
    static final ClusterRef CLUSTER = ClusterRef.of(SUB, "rg-elb", "elb-cluster");
    static final ServiceName OPENAPI = ServiceName.of("elb-openapi");
    static final ServiceName JANITOR = ServiceName.of("elb-janitor");

    final ObjectMapper json = new ObjectMapper();
    final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    final MutableClock clock = MutableClock.start();
    final InMemoryJobStateRepository jobs = new InMemoryJobStateRepository();
    final FakeClusterProvisioner provisioner = new FakeClusterProvisioner();
    final FakeReadinessProbe readiness = new FakeReadinessProbe();
    final Random random = new Random(SEED);
    final List<String> taskIds = new ArrayList<>();
    HttpApi api;

    @BeforeEach
    void start() throws Exception {
        DatabaseName coreNt = DatabaseName.of("core_nt");
        InMemoryAutoWarmPreferences prefs =
                new InMemoryAutoWarmPreferences().put(new AutoWarmPreference(CLUSTER, List.of(coreNt), true));
        AutoWarmReconciler reconciler = AutoWarmReconciler.builder(
                        prefs,
                        new InMemoryDatabaseInventory().markDownloaded(CLUSTER, coreNt),
                        new FakeWarmStatusProbe(),
                        new InMemoryInflightLock(clock),
                        new RecordingWarmupDispatcher())
                .readiness(readiness)
                .clock(clock)
                .build();
        readiness.notReady(CLUSTER, "ARM at https://arm:" + SECRET + "@arm.example.net says Updating");
        ProvisioningService provisioning =
                ProvisioningService.builder(jobs, provisioner).clock(clock).build();
        FakeDeployedVersionProbe deployed = new FakeDeployedVersionProbe();
        deployed.set(
                OPENAPI,
                DeployedVersion.unreachable("GET https://spec.example.net/openapi.json?token=" + SECRET + " refused"));
        deployed.reports(JANITOR, "1.0-" + "x.".repeat(5_000) + "x");
        VersionGateService gate = VersionGateService.builder(
                        ImageTagSource.of(Map.of(OPENAPI, ImageTag.of("v4.9"), JANITOR, ImageTag.of("v1.0"))),
                        deployed,
                        new FakeImageRegistry().push(OPENAPI, ImageTag.of("v4.9")))
                .build();
        api = HttpApi.builder(provisioning, reconciler, gate)
                .port(0)
                .scrape(() -> "# metrics\n")
                .admins(java.util.Set.of(org.elb.warmkeeper.core.cluster.OwnerId.of("root")))
                .readiness("store", () -> Health.up("reachable"))
                .autoWarm(prefs, org.elb.warmkeeper.core.warm.WarmAttemptHistory.NONE)
                .start();
        // a failed provision whose stored error carries a secret
        TaskId failed = TaskId.of(json.readTree(send("POST", "/api/aks/provision", body(validBody()), "alice")
                        .body())
                .get("task_id")
                .asText());
        provisioner.fail(
                failed,
                ArmError.of("InternalServerError", "poll of https://m.example.net/op?sig=" + SECRET + " failed"));
        taskIds.add(failed.value());
    }

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void a_few_thousand_hostile_requests_get_no_5xx_json_errors_and_no_secret_or_stack_trace() throws Exception {
        PrintStream err = System.err;
        ByteArrayOutputStream logs = new ByteArrayOutputStream();
        Map<Integer, Integer> statuses = new TreeMap<>();
        int sent = 0;
        long start = System.nanoTime();
        System.setErr(new PrintStream(logs, true, StandardCharsets.UTF_8));
        try {
            for (int i = 0; i < REQUESTS; i++) {
                String method = pick("GET", "GET", "POST", "POST", "PUT", "DELETE", "PATCH", "OPTIONS");
                String target = path() + query();
                HttpResponse<String> r;
                try {
                    r = send(method, target, bodyFor(method), owners());
                } catch (IllegalArgumentException clientRefused) {
                    continue; // java.net.http refused to build the request (e.g. a header value it will not send)
                } catch (java.io.IOException e) {
                    throw new AssertionError("#" + i + " " + method + " " + target + ": " + e, e);
                }
                sent++;
                statuses.merge(r.statusCode(), 1, Integer::sum);
                String what = "#" + i + " " + method + " " + target + " -> " + r.statusCode() + " " + r.body();
                assertThat(r.statusCode()).as(what).isLessThan(500);
                assertThat(r.body())
                        .as(what)
                        .doesNotContain(SECRET)
                        .doesNotContain("\tat ")
                        .doesNotContain("Exception");
                if (r.statusCode() >= 400) {
                    assertThat(r.headers().firstValue("Content-Type")).as(what).hasValue("application/json");
                    JsonNode body = json.readTree(r.body());
                    assertThat(body.isObject() && body.path("error").isTextual())
                            .as(what)
                            .isTrue();
                    assertThat(body.get("error").asText().length())
                            .as(what)
                            .isLessThanOrEqualTo(HttpProblem.MAX_MESSAGE + 1);
                }
            }
        } finally {
            System.setErr(err);
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        String logged = logs.toString(StandardCharsets.UTF_8);
        assertThat(logged).doesNotContain(SECRET).doesNotContain("\tat ");
        assertThat(sent).isGreaterThan(REQUESTS * 9 / 10);
        assertThat(statuses).containsKeys(200, 202, 400, 401, 404, 405);
        System.out.println("fuzz: " + sent + " requests in " + millis + " ms, statuses " + statuses);
    }

    // ---- generators -------------------------------------------------------------------------------

    private String pick(String... options) {
        return options[random.nextInt(options.length)];
    }

    private String path() {
        String task =
                taskIds.isEmpty() || random.nextBoolean() ? segment() : taskIds.get(random.nextInt(taskIds.size()));
        return switch (random.nextInt(15)) {
            case 0 -> "/api/aks/recent-failed-provisions";
            case 1 -> "/api/aks/provision";
            case 2 -> "/api/aks/provision/" + task + "/cancel";
            case 3 -> "/api/aks/provision/" + pick("", "/", "//") + "cancel";
            case 4 -> "/api/tasks/" + task;
            case 5 -> "/api/tasks" + pick("", "/", "//", "/a/b");
            case 6 -> "/api/autowarm/status";
            case 7 -> "/api/autowarm/reconcile";
            case 8 -> "/api/version-gate/" + pick("elb-openapi", "elb-janitor", "unknown", segment());
            case 9 -> pick("/healthz", "/readyz", "/metrics", "/openapi.json", "/", "/api", "/api/");
            case 10 -> "/api/" + segment() + "/" + segment();
            case 11 -> "/" + segment();
            case 12 -> "/api/aks/" + pick("%2e%2e", "%252e%252e%252f", "..", ".") + "/tasks/" + segment();
            case 13 ->
                "/api/autowarm/clusters" + pick("", "/", "/" + CLUSTER.clusterName(), "/" + segment())
                        + pick(
                                "",
                                "/databases/" + pick("core_nt", "nr", segment())
                                        + pick("", "/attempts", "/" + segment()));
            default -> "/api/aks/provision/" + task + "/" + segment();
        };
    }

    private String segment() {
        return switch (random.nextInt(12)) {
            case 0 -> "";
            case 1 -> "task-" + random.nextInt(5);
            case 2 ->
                pick(
                        "%2F",
                        "%25", "%2B", "+", "%20", "%252e", "%C3%28", "%FF", "%00", "%E2%80%AE", "%F0%9F%92%A5", "%7F");
            case 3 -> "x".repeat(1 + random.nextInt(3_000));
            case 4 -> "%41".repeat(1 + random.nextInt(200));
            case 5 -> "redis:%2F%2F:" + SECRET + "@h";
            case 6 -> "password=" + SECRET;
            case 7 -> Integer.toString(random.nextInt());
            case 8 -> pick("..", ".", "~", "-", "_", "a.b", "A_B", "%2e%2e%2f");
            default -> randomAscii(1 + random.nextInt(12));
        };
    }

    /** Printable ASCII that java.net.URI accepts in a path: letters, digits and a few marks. */
    private String randomAscii(int n) {
        String chars = "abcXYZ019-._~!$&'()*+,;=:@";
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < n; i++) {
            s.append(chars.charAt(random.nextInt(chars.length())));
        }
        return s.toString();
    }

    private String query() {
        if (random.nextInt(3) == 0) {
            return "";
        }
        StringBuilder q = new StringBuilder("?");
        int n = 1 + random.nextInt(4);
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                q.append(pick("&", "&", "&&"));
            }
            q.append(pick("hours", "limit", "force", "mode", "hours", "x", "%68ours", ""))
                    .append(pick("=", "=", ""));
            q.append(
                    switch (random.nextInt(12)) {
                        case 0 -> Integer.toString(random.nextInt(400) - 100);
                        case 1 -> pick("true", "false", "1", "yes", "maybe", "TRUE");
                        case 2 -> pick("stop", "abort_operation", "delete_cluster", "nuke", "STOP");
                        case 3 -> pick("%D9%A3", "%EF%BC%93", "%E0%A5%A9", "1e3", "3.9", "0x10", "+5", "-0");
                        case 4 -> "9".repeat(1 + random.nextInt(40));
                        case 5 -> "token%3D" + SECRET;
                        case 6 -> "x".repeat(random.nextInt(5_000));
                        case 7 -> pick("%FF", "%C3%28", "%00", "%0A", "%25");
                        default -> "";
                    });
        }
        return q.toString();
    }

    private String[] owners() {
        return switch (random.nextInt(8)) {
            case 0 -> new String[0];
            case 1 -> new String[] {"alice", "bob"};
            case 2 -> new String[] {"alice, bob"};
            case 3 -> new String[] {"x".repeat(200)};
            case 4 -> new String[] {"root"};
            case 5 -> new String[] {" "};
            default -> new String[] {"alice"};
        };
    }

    private HttpRequest.BodyPublisher bodyFor(String method) {
        if (!method.equals("POST") && random.nextInt(4) != 0) {
            return HttpRequest.BodyPublishers.noBody();
        }
        return switch (random.nextInt(12)) {
            case 0 -> HttpRequest.BodyPublishers.noBody();
            case 1 -> body(validBody());
            case 2 ->
                body(validBody()
                        .replace(
                                "\"node_count\":3",
                                "\"node_count\":"
                                        + pick("3.9", "1e3", "\"3\"", "null", "[]", "-1", "0", "99999999999", "3.0")));
            case 3 ->
                body(validBody()
                        .replace(
                                "}",
                                ",\"kubernetes_version\":"
                                        + pick("1.30", "\"1.30\"", "{}", "null", "\"" + "9".repeat(300) + "\"") + "}"));
            case 4 -> body(validBody() + pick(" x", "{}", validBody(), "]", "\u0000"));
            case 5 -> body(validBody().replace("{", "{\"cluster_name\":\"dup\","));
            case 6 -> body("[".repeat(1 + random.nextInt(3_000)) + "]".repeat(random.nextInt(3)));
            case 7 ->
                body(validBody()
                        .replace("elb-fuzz", pick("-bad-", "", "x".repeat(100), "password=" + SECRET, "a\\u0000b")));
            case 8 -> HttpRequest.BodyPublishers.ofByteArray(randomBytes(random.nextInt(2_000)));
            case 9 -> body("{\"subscription_id\":" + pick("1", "null", "{}", "\"not-a-guid\"") + "}");
            case 10 -> body("\"" + "a".repeat(70_000) + "\"");
            default ->
                body("{" + "\"k\":1,".repeat(random.nextInt(100)) + "\"z\":"
                        + pick("NaN", "Infinity", "01", "'a'", "true") + "}");
        };
    }

    private byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    private static HttpRequest.BodyPublisher body(String s) {
        return HttpRequest.BodyPublishers.ofString(s);
    }

    private static String validBody() {
        return "{\"subscription_id\":\"" + SUB + "\",\"resource_group\":\"rg-elb\",\"cluster_name\":\"elb-fuzz\","
                + "\"region\":\"koreacentral\",\"vm_size\":\"Standard_E32s_v5\",\"node_count\":3}";
    }

    private HttpResponse<String> send(String method, String target, HttpRequest.BodyPublisher body, String... owners)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + target))
                .timeout(Duration.ofSeconds(20))
                .method(method, body);
        for (String owner : owners) {
            b.header(HttpApi.DEFAULT_OWNER_HEADER, owner);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
