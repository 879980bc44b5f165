package org.elb.warmkeeper.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.elb.warmkeeper.core.version.DeployedVersion;
import org.elb.warmkeeper.core.version.ServiceName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class OpenApiDeployedVersionProbeTest {

    private static final String SPEC =
            "{\"openapi\":\"3.0.3\",\"info\":{\"title\":\"ElasticBLAST\",\"version\":\" v4.9 \"}}";

    @Nested
    class ThroughTheServiceProxy {
        private MockCluster cluster;
        private KubernetesClient client;

        @BeforeEach
        void start() {
            cluster = MockCluster.start();
            client = new KubernetesClientBuilder().withConfig(cluster.config()).build();
        }

        @AfterEach
        void stop() {
            client.close();
            cluster.close();
        }

        private DeployedVersion ask(String service) {
            try (OpenApiDeployedVersionProbe probe = OpenApiDeployedVersionProbe.viaServiceProxy(client, "elb")
                    .timeout(Duration.ofSeconds(5))
                    .maxBytes(4096)
                    .build()) {
                return probe.deployedVersion(ServiceName.of(service));
            }
        }

        @Test
        void reads_info_version_through_the_proxy_path() {
            cluster.expect()
                    .get()
                    .withPath("/api/v1/namespaces/elb/services/elb-openapi:80/proxy/openapi.json")
                    .andReturn(200, SPEC)
                    .always();
            assertThat(ask("elb-openapi")).isEqualTo(DeployedVersion.reported("v4.9"));
        }

        @Test
        void a_404_is_unknown_and_a_503_is_unreachable() {
            cluster.expect()
                    .get()
                    .withPath("/api/v1/namespaces/elb/services/missing:80/proxy/openapi.json")
                    .andReturn(404, "{}")
                    .always();
            cluster.expect()
                    .get()
                    .withPath("/api/v1/namespaces/elb/services/down:80/proxy/openapi.json")
                    .andReturn(503, "no endpoints available")
                    .always();
            assertThat(ask("missing")).isInstanceOf(DeployedVersion.Unknown.class);
            assertThat(ask("down")).isInstanceOf(DeployedVersion.Unreachable.class);
        }

        @Test
        void a_stalled_proxy_is_unreachable_within_the_timeout() {
            cluster.expect()
                    .get()
                    .withPath("/api/v1/namespaces/elb/services/slow:80/proxy/openapi.json")
                    .andReturn(200, SPEC)
                    .always();
            cluster.stall(Duration.ofSeconds(10));
            try (OpenApiDeployedVersionProbe probe = OpenApiDeployedVersionProbe.viaServiceProxy(client, "elb")
                    .timeout(Duration.ofMillis(300))
                    .build()) {
                assertThat(probe.deployedVersion(ServiceName.of("slow")))
                        .isInstanceOf(DeployedVersion.Unreachable.class);
            }
        }
    }

    @Nested
    class FromAPlainUrl {
        private HttpServer server;

        @BeforeEach
        void start() throws IOException {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            route("/good", 200, SPEC);
            route("/malformed", 200, "{\"info\": {\"version\": ");
            route("/no-version", 200, "{\"info\":{\"title\":\"x\"}}");
            route("/blank-version", 200, "{\"info\":{\"version\":\"  \"}}");
            route("/numeric-version", 200, "{\"info\":{\"version\":4.9}}");
            route("/array", 200, "[1,2]");
            route("/missing", 404, "not found");
            route("/error", 500, "boom");
            route("/huge", 200, "{\"info\":{\"version\":\"1.0\"},\"pad\":\"" + "x".repeat(10_000) + "\"}");
            server.createContext("/slow", exchange -> {
                try {
                    Thread.sleep(3_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                exchange.close();
            });
            server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
            server.start();
        }

        @AfterEach
        void stop() {
            server.stop(0);
        }

        private void route(String path, int status, String body) {
            server.createContext(path, exchange -> {
                byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(status, bytes.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
            });
        }

        private DeployedVersion ask(String path) {
            return ask(path, Duration.ofSeconds(5));
        }

        private DeployedVersion ask(String path, Duration timeout) {
            URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
            try (OpenApiDeployedVersionProbe probe = OpenApiDeployedVersionProbe.viaUrl(s -> uri)
                    .timeout(timeout)
                    .maxBytes(4096)
                    .build()) {
                return probe.deployedVersion(ServiceName.of("elb-openapi"));
            }
        }

        @Test
        void a_good_spec_reports_its_trimmed_version() {
            assertThat(ask("/good")).isEqualTo(DeployedVersion.reported("v4.9"));
        }

        @Test
        void malformed_json_or_a_missing_blank_or_non_string_version_is_unknown() {
            assertThat(ask("/malformed")).isEqualTo(DeployedVersion.unknown("malformed JSON"));
            assertThat(ask("/no-version")).isEqualTo(DeployedVersion.unknown("spec has no info.version"));
            assertThat(ask("/blank-version")).isEqualTo(DeployedVersion.unknown("spec has no info.version"));
            assertThat(ask("/numeric-version")).isEqualTo(DeployedVersion.unknown("spec has no info.version"));
            assertThat(ask("/array")).isEqualTo(DeployedVersion.unknown("spec is not a JSON object"));
        }

        @Test
        void http_errors_are_unknown_or_unreachable() {
            assertThat(ask("/missing")).isEqualTo(DeployedVersion.unknown("HTTP 404"));
            assertThat(ask("/error")).isEqualTo(DeployedVersion.unreachable("HTTP 500"));
        }

        @Test
        void a_spec_over_the_size_bound_is_unknown() {
            assertThat(ask("/huge")).isEqualTo(DeployedVersion.unknown("spec larger than 4096 bytes"));
        }

        @Test
        void a_slow_service_is_unreachable_after_the_timeout() {
            long start = System.nanoTime();
            assertThat(ask("/slow", Duration.ofMillis(500))).isInstanceOf(DeployedVersion.Unreachable.class);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(2_500));
        }

        @Test
        void a_refused_connection_is_unreachable() {
            int port = server.getAddress().getPort();
            server.stop(0);
            URI uri = URI.create("http://127.0.0.1:" + port + "/good");
            try (OpenApiDeployedVersionProbe probe =
                    OpenApiDeployedVersionProbe.viaUrl(s -> uri).build()) {
                assertThat(probe.deployedVersion(ServiceName.of("elb-openapi")))
                        .isInstanceOf(DeployedVersion.Unreachable.class);
            }
        }
    }
}
