package org.elb.warmkeeper.runner.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.elb.warmkeeper.core.provision.ProvisioningService;
import org.elb.warmkeeper.core.version.ImageTagSource;
import org.elb.warmkeeper.core.version.VersionGateService;
import org.elb.warmkeeper.core.warm.AutoWarmReconciler;
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
import org.junit.jupiter.api.Test;

/** The status page's files over HTTP (no browser): types, config, methods, and off unless asked for. */
class StaticPageTest {

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private HttpApi api;

    private HttpApi start(boolean page) throws Exception {
        MutableClock clock = MutableClock.start();
        AutoWarmReconciler reconciler = AutoWarmReconciler.builder(
                        new InMemoryAutoWarmPreferences(),
                        new InMemoryDatabaseInventory(),
                        new FakeWarmStatusProbe(),
                        new InMemoryInflightLock(clock),
                        new RecordingWarmupDispatcher())
                .build();
        ProvisioningService provisioning = ProvisioningService.builder(
                        new InMemoryJobStateRepository(), new FakeClusterProvisioner())
                .build();
        VersionGateService gate = VersionGateService.builder(
                        ImageTagSource.of(Map.of()), new FakeDeployedVersionProbe(), new FakeImageRegistry())
                .build();
        HttpApi.Builder b = HttpApi.builder(provisioning, reconciler, gate).port(0);
        if (page) {
            b.statusPage(List.of("elb-openapi")).ownerHeader("X-Team-Owner");
        }
        api = b.start();
        return api;
    }

    @AfterEach
    void stop() {
        api.close();
    }

    private HttpResponse<String> call(String method, String path) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + path))
                        .method(method, HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void the_page_its_script_and_style_are_served_with_their_types_and_the_config_names_the_identity()
            throws Exception {
        start(true);
        HttpResponse<String> html = call("GET", "/");
        assertThat(html.statusCode()).isEqualTo(200);
        assertThat(html.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
        assertThat(html.body()).contains("<title>ELB Warmkeeper</title>", "/static/app.js", "/static/app.css");
        assertThat(call("GET", "/index.html").body()).isEqualTo(html.body());
        assertThat(call("GET", "/static/app.js").headers().firstValue("Content-Type"))
                .hasValue("text/javascript; charset=utf-8");
        assertThat(call("GET", "/static/app.css").headers().firstValue("Content-Type"))
                .hasValue("text/css; charset=utf-8");
        JsonNode config =
                new ObjectMapper().readTree(call("GET", "/page-config.json").body());
        assertThat(config.get("identity").asText()).isEqualTo("header");
        assertThat(config.get("owner_header").asText()).isEqualTo("X-Team-Owner");
        assertThat(config.get("gate_services").get(0).asText()).isEqualTo("elb-openapi");

        assertThat(call("POST", "/").statusCode()).isEqualTo(405);
        assertThat(call("GET", "/static/other.js").statusCode()).isEqualTo(404);
    }

    @Test
    void without_the_page_the_root_is_a_404() throws Exception {
        start(false);
        assertThat(call("GET", "/").statusCode()).isEqualTo(404);
        assertThat(call("GET", "/static/app.js").statusCode()).isEqualTo(404);
    }
}
