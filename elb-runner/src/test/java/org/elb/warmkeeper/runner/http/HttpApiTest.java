package org.elb.warmkeeper.runner.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.elb.warmkeeper.core.cluster.ClusterRef;
import org.elb.warmkeeper.core.cluster.DatabaseName;
import org.elb.warmkeeper.core.provision.ArmError;
import org.elb.warmkeeper.core.provision.ProvisioningService;
import org.elb.warmkeeper.core.provision.TaskId;
import org.elb.warmkeeper.core.version.ImageTag;
import org.elb.warmkeeper.core.version.ImageTagSource;
import org.elb.warmkeeper.core.version.ServiceName;
import org.elb.warmkeeper.core.version.VersionGateService;
import org.elb.warmkeeper.core.warm.AutoWarmPreference;
import org.elb.warmkeeper.core.warm.AutoWarmReconciler;
import org.elb.warmkeeper.micrometer.MicrometerObserver;
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

/** The dashboard endpoints end to end over real HTTP, on in-memory adapters. */
class HttpApiTest {

    private static final String SUB = "00000000-0000-4000-8000-000000000001";
    private static final ClusterRef CLUSTER = ClusterRef.of(SUB, "rg-elb", "elb-cluster");
    private static final ServiceName OPENAPI = ServiceName.of("elb-openapi");

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final MutableClock clock = MutableClock.start();
    private final InMemoryJobStateRepository jobs = new InMemoryJobStateRepository();
    private final FakeClusterProvisioner provisioner = new FakeClusterProvisioner();
    private final FakeDeployedVersionProbe deployed = new FakeDeployedVersionProbe();
    private final PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private HttpApi api;

    @BeforeEach
    void start() throws Exception {
        MicrometerObserver metrics = MicrometerObserver.of(prometheus);
        DatabaseName coreNt = DatabaseName.of("core_nt");
        InMemoryAutoWarmPreferences prefs =
                new InMemoryAutoWarmPreferences().put(new AutoWarmPreference(CLUSTER, List.of(coreNt), true));
        AutoWarmReconciler reconciler = AutoWarmReconciler.builder(
                        prefs,
                        new InMemoryDatabaseInventory().markDownloaded(CLUSTER, coreNt),
                        new FakeWarmStatusProbe(),
                        new InMemoryInflightLock(clock),
                        new RecordingWarmupDispatcher())
                .clock(clock)
                .observer(metrics)
                .build();
        ProvisioningService provisioning = ProvisioningService.builder(jobs, provisioner)
                .clock(clock)
                .observer(metrics)
                .tenant("contoso.onmicrosoft.com")
                .build();
        VersionGateService gate = VersionGateService.builder(
                        ImageTagSource.of(Map.of(OPENAPI, ImageTag.of("v4.9"))),
                        deployed,
                        new FakeImageRegistry().push(OPENAPI, ImageTag.of("v4.9")))
                .build();
        api = HttpApi.builder(provisioning, reconciler, gate)
                .port(0)
                .scrape(prometheus::scrape)
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

    private JsonNode body(HttpResponse<String> r) throws Exception {
        return json.readTree(r.body());
    }

    private static String provisionBody(String cluster) {
        return "{\"subscription_id\":\"" + SUB + "\",\"resource_group\":\"rg-elb\",\"cluster_name\":\"" + cluster
                + "\",\"region\":\"koreacentral\",\"vm_size\":\"Standard_E32s_v5\",\"node_count\":3}";
    }

    @Test
    void provision_then_failure_shows_in_recent_failed_for_its_owner_only_with_region_and_category() throws Exception {
        HttpResponse<String> accepted = call("POST", "/api/aks/provision", "alice", provisionBody("elb-a"));
        assertThat(accepted.statusCode()).isEqualTo(202);
        String taskId = body(accepted).get("task_id").asText();
        assertThat(body(accepted).get("state_recorded").asBoolean()).isTrue();

        clock.advance(Duration.ofMinutes(1));
        provisioner.fail(
                TaskId.of(taskId),
                ArmError.of(
                        "InvalidTemplateDeployment",
                        "deployment failed",
                        ArmError.of("QuotaExceeded", "exceeding approved Total Regional Cores quota")));

        JsonNode alice = body(call("GET", "/api/aks/recent-failed-provisions?hours=24&limit=10", "alice", null));
        assertThat(alice.get("degraded").asBoolean()).isFalse();
        assertThat(alice.get("jobs")).hasSize(1);
        JsonNode job = alice.get("jobs").get(0);
        assertThat(job.get("task_id").asText()).isEqualTo(taskId);
        assertThat(job.get("region").asText()).isEqualTo("koreacentral");
        assertThat(job.get("error").get("category").asText()).isEqualTo("quota_exceeded");
        assertThat(job.get("error").get("suggested_actions")).isNotEmpty();

        JsonNode bob = body(call("GET", "/api/aks/recent-failed-provisions", "bob", null));
        assertThat(bob.get("jobs")).isEmpty();
    }

    @Test
    void recent_failed_degrades_when_the_store_is_down() throws Exception {
        jobs.faults().unavailable();

        HttpResponse<String> r = call("GET", "/api/aks/recent-failed-provisions", "alice", null);

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(body(r).get("degraded").asBoolean()).isTrue();
        assertThat(body(r).get("jobs")).isEmpty();
    }

    @Test
    void bad_parameters_answer_400_naming_the_parameter_and_a_missing_identity_401() throws Exception {
        HttpResponse<String> zero = call("GET", "/api/aks/recent-failed-provisions?hours=0", "alice", null);
        assertThat(zero.statusCode()).isEqualTo(400);
        assertThat(body(zero).get("error").asText()).contains("'hours'");

        HttpResponse<String> nan = call("GET", "/api/aks/recent-failed-provisions?limit=ten", "alice", null);
        assertThat(nan.statusCode()).isEqualTo(400);
        assertThat(body(nan).get("error").asText()).contains("'limit' must be an integer");

        HttpResponse<String> badName = call("POST", "/api/aks/provision", "alice", provisionBody("-bad-"));
        assertThat(badName.statusCode()).isEqualTo(400);
        assertThat(body(badName).get("error").asText()).contains("'clusterName'");

        HttpResponse<String> badJson = call("POST", "/api/aks/provision", "alice", "{not json");
        assertThat(badJson.statusCode()).isEqualTo(400);

        HttpResponse<String> badMode = call("POST", "/api/aks/provision/task-1/cancel?mode=nuke", "alice", null);
        assertThat(badMode.statusCode()).isEqualTo(400);
        assertThat(body(badMode).get("error").asText()).contains("'mode'");

        assertThat(call("GET", "/api/aks/recent-failed-provisions", null, null).statusCode())
                .isEqualTo(401);
        assertThat(call("GET", "/api/nothing-here", "alice", null).statusCode()).isEqualTo(404);
        assertThat(call("GET", "/api/aks/provision", "alice", null).statusCode())
                .isEqualTo(405);
    }

    @Test
    void cancel_after_cluster_state_links_the_partial_cluster_and_another_owner_gets_404() throws Exception {
        String taskId = body(call("POST", "/api/aks/provision", "alice", provisionBody("elb-b")))
                .get("task_id")
                .asText();
        provisioner.created(TaskId.of(taskId));
        provisioner.publishState(TaskId.of(taskId), "Creating");

        HttpResponse<String> other = call("POST", "/api/aks/provision/" + taskId + "/cancel", "mallory", null);
        assertThat(other.statusCode()).isEqualTo(404);

        HttpResponse<String> mine =
                call("POST", "/api/aks/provision/" + taskId + "/cancel?mode=abort_operation", "alice", null);
        assertThat(mine.statusCode()).isEqualTo(200);
        JsonNode c = body(mine);
        assertThat(c.get("result").asText()).isEqualTo("cancelled");
        assertThat(c.get("status").asText()).isEqualTo("cancelled");
        assertThat(c.get("partial_resource_likely").asBoolean()).isTrue();
        assertThat(c.get("portal_url").asText())
                .isEqualTo("https://portal.azure.com/#@contoso.onmicrosoft.com/resource" + "/subscriptions/" + SUB
                        + "/resourceGroups/rg-elb/providers/Microsoft.ContainerService/managedClusters/elb-b/overview");
        assertThat(provisioner.aborted()).hasSize(1);
    }

    @Test
    void reconcile_runs_a_tick_and_status_returns_the_last_report_both_for_an_identified_caller_only()
            throws Exception {
        assertThat(call("GET", "/api/autowarm/status", null, null).statusCode()).isEqualTo(401);
        assertThat(call("POST", "/api/autowarm/reconcile", null, null).statusCode())
                .isEqualTo(401);

        JsonNode before = body(call("GET", "/api/autowarm/status", "alice", null));
        assertThat(before.get("status").asText()).isEqualTo("no_tick_yet");

        JsonNode tick = body(call("POST", "/api/autowarm/reconcile?force=false", "alice", null));
        assertThat(tick.get("status").asText()).isEqualTo("completed");
        assertThat(tick.get("clusters").get(0).get("status").asText()).isEqualTo("triggered");
        assertThat(tick.get("clusters").get(0).get("enqueued").get(0).asText()).isEqualTo("core_nt");

        JsonNode status = body(call("GET", "/api/autowarm/status", "alice", null));
        assertThat(status.get("clusters").get(0).get("status").asText()).isEqualTo("triggered");

        assertThat(call("POST", "/api/autowarm/reconcile?force=maybe", "alice", null)
                        .statusCode())
                .isEqualTo(400);
    }

    @Test
    void version_gate_hides_the_update_when_deployed_matches_pinned_and_offers_it_otherwise() throws Exception {
        deployed.reports(OPENAPI, "4.9");
        JsonNode same = body(call("GET", "/api/version-gate/elb-openapi", null, null));
        assertThat(same.get("decision").asText()).isEqualTo("up_to_date");
        assertThat(same.get("offer_update").asBoolean()).isFalse();

        deployed.reports(OPENAPI, "4.8.1");
        JsonNode older = body(call("GET", "/api/version-gate/elb-openapi", null, null));
        assertThat(older.get("decision").asText()).isEqualTo("update_available");
        assertThat(older.get("to").asText()).isEqualTo("v4.9");
        assertThat(older.get("direction").asText()).isEqualTo("upgrade");

        assertThat(call("GET", "/api/version-gate/Not_A_Service", null, null).statusCode())
                .isEqualTo(400);
    }

    @Test
    void metrics_are_scraped_in_prometheus_format() throws Exception {
        call("POST", "/api/autowarm/reconcile", "alice", null);

        HttpResponse<String> r = call("GET", "/metrics", null, null);

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("elb_autowarm_ticks_seconds_count").contains("elb_autowarm_enqueued_total");
    }
}
