package org.elb.warmkeeper.runner.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.elb.warmkeeper.core.provision.ProvisioningService;
import org.elb.warmkeeper.core.version.DeployedVersion;
import org.elb.warmkeeper.core.version.ImageTagSource;
import org.elb.warmkeeper.core.version.ServiceName;
import org.elb.warmkeeper.core.version.Version;
import org.elb.warmkeeper.core.version.VersionGateService;
import org.elb.warmkeeper.core.warm.AutoWarmReconciler;
import org.elb.warmkeeper.core.warm.WarmAttemptHistory;
import org.elb.warmkeeper.k8s.OpenApiDeployedVersionProbe;
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

/** {@code /openapi.json} documents every route the API serves, and states the runner's version. */
class OpenApiTest {

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private HttpApi api;

    @BeforeEach
    void start() throws Exception {
        MutableClock clock = MutableClock.start();
        InMemoryAutoWarmPreferences prefs = new InMemoryAutoWarmPreferences();
        AutoWarmReconciler reconciler = AutoWarmReconciler.builder(
                        prefs,
                        new InMemoryDatabaseInventory(),
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
                .scrape(() -> "")
                .autoWarm(prefs, WarmAttemptHistory.NONE)
                .start();
    }

    @AfterEach
    void stop() {
        api.close();
    }

    private JsonNode document() throws Exception {
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + "/openapi.json"))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("served without an identity").isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
        return json.readTree(r.body());
    }

    @Test
    void every_served_route_is_documented_with_its_parameters_and_responses() throws Exception {
        JsonNode doc = document();
        assertThat(doc.get("openapi").asText()).startsWith("3.");
        JsonNode paths = doc.get("paths");
        List<String> documented = new ArrayList<>();
        paths.fields()
                .forEachRemaining(p -> p.getValue()
                        .fieldNames()
                        .forEachRemaining(
                                m -> documented.add(m.toUpperCase(java.util.Locale.ROOT) + " " + p.getKey())));

        List<String> served = api.routes().stream().map(Route::toString).toList();
        assertThat(served)
                .contains(
                        "GET /healthz",
                        "GET /readyz",
                        "GET /openapi.json",
                        "GET /metrics",
                        "GET /api/tasks/{taskId}",
                        "PUT /api/autowarm/clusters/{cluster}/databases/{db}",
                        "GET /api/autowarm/clusters/{cluster}/databases/{db}/attempts");
        assertThat(documented).containsExactlyInAnyOrderElementsOf(served);

        for (Route route : api.routes()) {
            JsonNode op = paths.get(route.template).get(route.method.toLowerCase(java.util.Locale.ROOT));
            List<String> params = new ArrayList<>();
            op.get("parameters")
                    .forEach(p -> params.add(
                            p.get("in").asText() + ":" + p.get("name").asText()));
            for (String name : route.parameters()) {
                assertThat(params).as(route.toString()).contains("path:" + name);
            }
            for (Route.Param q : route.query) {
                assertThat(params).as(route.toString()).contains("query:" + q.name());
            }
            assertThat(op.get("summary").asText()).as(route.toString()).isNotBlank();
            for (Integer code : route.responses.keySet()) {
                assertThat(op.get("responses").has(String.valueOf(code)))
                        .as(route + " " + code)
                        .isTrue();
            }
            assertThat(op.get("responses").has("401"))
                    .as(route + " documents its 401")
                    .isEqualTo(route.access != Route.Access.PUBLIC);
        }
    }

    @Test
    void info_version_is_the_runner_version_and_the_librarys_own_gate_reads_it() throws Exception {
        String version = document().get("info").get("version").asText();
        assertThat(version).isEqualTo(HttpApi.defaultVersion()).isEqualTo("0.1.0-SNAPSHOT");
        assertThat(Version.parse(version)).isPresent();

        URI spec = URI.create("http://127.0.0.1:" + api.port() + "/openapi.json");
        try (OpenApiDeployedVersionProbe probe =
                OpenApiDeployedVersionProbe.viaUrl(service -> spec).build()) {
            assertThat(probe.deployedVersion(ServiceName.of("elb-runner")))
                    .isEqualTo(new DeployedVersion.Reported("0.1.0-SNAPSHOT"));
        }
    }
}
