package org.elb.warmkeeper.runner.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.elb.warmkeeper.core.cluster.ClusterRef;
import org.elb.warmkeeper.core.cluster.DatabaseName;
import org.elb.warmkeeper.core.cluster.OwnerId;
import org.elb.warmkeeper.core.provision.ProvisioningService;
import org.elb.warmkeeper.core.version.ImageTagSource;
import org.elb.warmkeeper.core.version.VersionGateService;
import org.elb.warmkeeper.core.warm.AttemptEvent;
import org.elb.warmkeeper.core.warm.AutoWarmPreference;
import org.elb.warmkeeper.core.warm.AutoWarmReconciler;
import org.elb.warmkeeper.core.warm.ClusterOutcome;
import org.elb.warmkeeper.core.warm.InflightKey;
import org.elb.warmkeeper.core.warm.LockToken;
import org.elb.warmkeeper.core.warm.SkipReason;
import org.elb.warmkeeper.core.warm.TickReport;
import org.elb.warmkeeper.core.warm.WarmAttempt;
import org.elb.warmkeeper.inmemory.InMemoryWarmAttemptHistory;
import org.elb.warmkeeper.testkit.FakeClusterProvisioner;
import org.elb.warmkeeper.testkit.FakeDeployedVersionProbe;
import org.elb.warmkeeper.testkit.FakeImageRegistry;
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

/** The auto-warm toggles and the attempt history over real HTTP, on in-memory preferences and history. */
class AutoWarmEndpointsTest {

    private static final String SUB = "00000000-0000-4000-8000-000000000001";
    private static final String SUB2 = "00000000-0000-4000-8000-000000000002";
    private static final ClusterRef CLUSTER = ClusterRef.of(SUB, "rg-elb", "elb-cluster");
    private static final DatabaseName CORE_NT = DatabaseName.of("core_nt");
    private static final DatabaseName NR = DatabaseName.of("nr");
    private static final String DB_PATH = "/api/autowarm/clusters/elb-cluster/databases/";

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final MutableClock clock = MutableClock.start();
    private final InMemoryAutoWarmPreferences prefs =
            new InMemoryAutoWarmPreferences().put(new AutoWarmPreference(CLUSTER, List.of(CORE_NT), true));
    private final InMemoryDatabaseInventory inventory =
            new InMemoryDatabaseInventory().markDownloaded(CLUSTER, CORE_NT).markDownloaded(CLUSTER, NR);
    private final InMemoryWarmAttemptHistory history = InMemoryWarmAttemptHistory.create();
    private AutoWarmReconciler reconciler;
    private HttpApi api;

    @BeforeEach
    void start() throws Exception {
        reconciler = AutoWarmReconciler.builder(
                        prefs,
                        inventory,
                        new FakeWarmStatusProbe(),
                        new InMemoryInflightLock(clock),
                        new RecordingWarmupDispatcher())
                .clock(clock)
                .build();
        ProvisioningService provisioning = ProvisioningService.builder(
                        new InMemoryJobStateRepository(), new FakeClusterProvisioner())
                .clock(clock)
                .build();
        VersionGateService gate = VersionGateService.builder(
                        ImageTagSource.of(Map.of()), new FakeDeployedVersionProbe(), new FakeImageRegistry())
                .build();
        api = HttpApi.builder(provisioning, reconciler, gate)
                .port(0)
                .admins(Set.of(OwnerId.of("root")))
                .autoWarm(prefs, history)
                .start();
    }

    @AfterEach
    void stop() {
        api.close();
    }

    private HttpResponse<String> call(String method, String path, String owner, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + path))
                .timeout(Duration.ofSeconds(10))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (owner != null) {
            b.header(HttpApi.DEFAULT_OWNER_HEADER, owner);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode ok(HttpResponse<String> r) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return json.readTree(r.body());
    }

    private String error(HttpResponse<String> r, int status) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
        return json.readTree(r.body()).get("error").asText();
    }

    private Set<DatabaseName> pausedOrAll() {
        return prefs.enabledClusters().get(0).pausedOrAll();
    }

    @Test
    void a_database_toggle_enables_pauses_and_disables_and_the_next_tick_follows_it() throws Exception {
        JsonNode on = ok(call("PUT", DB_PATH + "nr", "alice", "{\"enabled\":true}"));
        assertThat(on.get("databases").toString()).isEqualTo("[\"core_nt\",\"nr\"]");
        assertThat(on.get("enabled").asBoolean()).isTrue();
        assertThat(prefs.enabledClusters().get(0).databases()).containsExactly(CORE_NT, NR);

        JsonNode paused = ok(call("PUT", DB_PATH + "core_nt", "alice", "{\"paused\":true}"));
        assertThat(paused.get("paused_databases").toString()).isEqualTo("[\"core_nt\"]");
        assertThat(pausedOrAll()).containsExactly(CORE_NT);
        TickReport report = reconciler.tick();
        ClusterOutcome outcome = report.outcome(CLUSTER).orElseThrow();
        assertThat(outcome.enqueued()).containsExactly(NR);
        assertThat(outcome.skipped()).anySatisfy(s -> {
            assertThat(s.db()).isEqualTo(CORE_NT);
            assertThat(s.reason()).isEqualTo(SkipReason.PAUSED);
        });

        ok(call("PUT", DB_PATH + "core_nt", "alice", "{\"paused\":false}"));
        assertThat(pausedOrAll()).isEmpty();
        JsonNode off = ok(call("PUT", DB_PATH + "nr", "alice", "{\"enabled\":false}"));
        assertThat(off.get("databases").toString()).isEqualTo("[\"core_nt\"]");

        JsonNode list = ok(call("GET", "/api/autowarm/clusters", "alice", null));
        assertThat(list.get("clusters").get(0).get("cluster_name").asText()).isEqualTo("elb-cluster");
        assertThat(list.get("clusters").get(0).get("subscription_id").asText()).isEqualTo(SUB);
    }

    @Test
    void bodies_are_strict_and_every_refusal_is_json_naming_the_field() throws Exception {
        assertThat(error(call("PUT", DB_PATH + "nr", "alice", "{\"enabled\":\"yes\"}"), 400))
                .contains("'enabled' must be true or false");
        assertThat(error(call("PUT", DB_PATH + "nr", "alice", "{\"enabled\":null}"), 400))
                .contains("'enabled'");
        assertThat(error(call("PUT", DB_PATH + "nr", "alice", "{\"enabled\":true,\"enable\":true}"), 400))
                .contains("unknown field 'enable'");
        assertThat(error(call("PUT", DB_PATH + "nr", "alice", "{}"), 400)).contains("'enabled' or 'paused'");
        assertThat(error(call("PUT", DB_PATH + "nr", "alice", "{\"enabled\":true} {}"), 400))
                .contains("not a single valid JSON object");
        assertThat(error(call("PUT", DB_PATH + "nr", "alice", "{\"enabled\":false,\"paused\":true}"), 400))
                .contains("'paused' means nothing");
        assertThat(error(call("PUT", DB_PATH + "nr", "alice", "{\"paused\":true}"), 404))
                .contains("not an auto-warm database");
        assertThat(error(call("PUT", DB_PATH + "Not-A-Db!", "alice", "{\"enabled\":true}"), 400))
                .contains("'db'");
        assertThat(error(call("PUT", "/api/autowarm/clusters/other/databases/nr", "alice", "{\"enabled\":true}"), 404))
                .contains("no auto-warm cluster named 'other'")
                .contains("an admin turns a cluster on");
        assertThat(error(call("PUT", DB_PATH + "nr?subscription_id=" + SUB, "alice", "{\"enabled\":true}"), 400))
                .contains("give both or neither");
        assertThat(error(call("GET", DB_PATH + "nr", "alice", null), 405)).contains("use PUT");
        assertThat(error(call("PUT", DB_PATH + "nr", null, "{\"enabled\":true}"), 401))
                .contains("identity");
        assertThat(prefs.enabledClusters().get(0).databases()).containsExactly(CORE_NT);
    }

    @Test
    void a_name_shared_by_two_clusters_needs_the_subscription_and_resource_group() throws Exception {
        ClusterRef twin = ClusterRef.of(SUB2, "rg-other", "elb-cluster");
        prefs.put(new AutoWarmPreference(twin, List.of(NR), false));

        assertThat(error(call("PUT", DB_PATH + "nr", "alice", "{\"paused\":true}"), 409))
                .contains("2 auto-warm clusters are named 'elb-cluster'");
        JsonNode body = ok(call(
                "PUT",
                DB_PATH + "nr?subscription_id=" + SUB2 + "&resource_group=rg-other",
                "alice",
                "{\"paused\":true}"));
        assertThat(body.get("subscription_id").asText()).isEqualTo(SUB2);
        assertThat(prefs.enabledClusters().stream()
                        .filter(p -> p.cluster().equals(twin))
                        .findFirst()
                        .orElseThrow()
                        .pausedDatabases())
                .containsExactly(NR);
    }

    @Test
    void whole_cluster_changes_need_an_admin() throws Exception {
        String path = "/api/autowarm/clusters/elb-cluster";
        assertThat(error(call("PUT", path, "alice", "{\"paused\":true}"), 403))
                .contains("admin identity (elb.http.admins)");
        assertThat(error(call("PUT", path, null, "{\"paused\":true}"), 401)).contains("identity");
        assertThat(prefs.enabledClusters().get(0).paused()).isFalse();

        JsonNode paused = ok(call("PUT", path, "root", "{\"paused\":true}"));
        assertThat(paused.get("paused").asBoolean()).isTrue();
        assertThat(pausedOrAll()).containsExactly(CORE_NT);

        JsonNode replaced = ok(call("PUT", path, "root", "{\"enabled\":true,\"databases\":[\"nr\",\"core_nt\"]}"));
        assertThat(replaced.get("databases").toString()).isEqualTo("[\"nr\",\"core_nt\"]");
        assertThat(error(call("PUT", path, "root", "{\"enabled\":true}"), 400)).contains("needs 'databases'");
        assertThat(error(call("PUT", path, "root", "{\"enabled\":true,\"databases\":[1]}"), 400))
                .contains("array of strings");

        JsonNode off = ok(call("PUT", path, "root", "{\"enabled\":false}"));
        assertThat(off.toString()).contains("\"enabled\":false");
        assertThat(prefs.enabledClusters()).isEmpty();

        JsonNode back = ok(call(
                "PUT",
                path + "?subscription_id=" + SUB + "&resource_group=rg-elb",
                "root",
                "{\"enabled\":true,\"databases\":[\"core_nt\"]}"));
        assertThat(back.get("databases").toString()).isEqualTo("[\"core_nt\"]");
    }

    @Test
    void attempts_list_the_newest_first_without_the_lock_token() throws Exception {
        InflightKey key = new InflightKey(CLUSTER, CORE_NT);
        Instant t0 = clock.instant();
        history.record(new WarmAttempt(
                CLUSTER, CORE_NT, t0, AttemptEvent.DISPATCHED, null, "warmup-1", LockToken.of("tok-secret-1")));
        history.record(WarmAttempt.observed(key, t0.plusSeconds(60), AttemptEvent.FAILED, "pod OOMKilled"));
        history.record(WarmAttempt.observed(key, t0.plusSeconds(120), AttemptEvent.LOADING, null));

        HttpResponse<String> r = call("GET", DB_PATH + "core_nt/attempts", "alice", null);
        JsonNode body = ok(r);
        assertThat(body.get("db").asText()).isEqualTo("core_nt");
        assertThat(body.get("attempts")).hasSize(3);
        assertThat(body.get("attempts").get(0).get("event").asText()).isEqualTo("loading");
        assertThat(body.get("attempts").get(1).get("reason").asText()).isEqualTo("pod OOMKilled");
        assertThat(body.get("attempts").get(2).get("job_name").asText()).isEqualTo("warmup-1");
        assertThat(r.body()).doesNotContain("tok-secret-1");

        assertThat(ok(call("GET", DB_PATH + "core_nt/attempts?limit=1", "alice", null))
                        .get("attempts"))
                .hasSize(1);
        assertThat(error(call("GET", DB_PATH + "core_nt/attempts?limit=0", "alice", null), 400))
                .contains("'limit' must be between 1 and 100");
        assertThat(error(call("GET", DB_PATH + "core_nt/attempts", null, null), 401))
                .contains("identity");
    }
}
