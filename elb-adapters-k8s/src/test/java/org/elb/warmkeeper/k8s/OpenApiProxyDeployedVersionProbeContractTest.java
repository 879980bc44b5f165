package org.elb.warmkeeper.k8s;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.utils.ResponseProvider;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.elb.warmkeeper.core.version.DeployedVersionProbe;
import org.elb.warmkeeper.core.version.ServiceName;
import org.elb.warmkeeper.testkit.contract.DeployedVersionProbeContract;
import org.junit.jupiter.api.AfterEach;

/**
 * The testkit's deployed-version contract through the API server's service proxy of a Fabric8 mock
 * cluster: each service's proxy path answers what the test scripted (a spec with a version, one
 * without, the proxy's 503 when no pod serves the service), or 404 as for a Service that does not
 * exist; a stall delays every answer's body.
 */
class OpenApiProxyDeployedVersionProbeContractTest extends DeployedVersionProbeContract {

    private static final String NAMESPACE = "elb";
    /** Longer than the plain-URL run's: the first call of a Fabric8 client on a loaded machine is slow. */
    private static final Duration TIMEOUT = Duration.ofSeconds(3);

    private record Answer(int status, String body) {}

    private final Map<String, Answer> answers = new ConcurrentHashMap<>();
    private MockCluster cluster;
    private KubernetesClient client;
    private OpenApiDeployedVersionProbe probe;

    @Override
    protected DeployedVersionProbe createProbe() {
        answers.clear();
        cluster = MockCluster.start();
        for (ServiceName service : new ServiceName[] {SERVICE, OTHER_SERVICE}) {
            cluster.expect()
                    .get()
                    .withPath("/api/v1/namespaces/" + NAMESPACE + "/services/" + service.value()
                            + ":80/proxy/openapi.json")
                    .andReply(new Scripted(service.value()))
                    .always();
        }
        client = new KubernetesClientBuilder().withConfig(cluster.config()).build();
        probe = OpenApiDeployedVersionProbe.viaServiceProxy(client, NAMESPACE)
                .timeout(TIMEOUT)
                .build();
        return probe;
    }

    @AfterEach
    void stopCluster() {
        probe.close();
        client.close();
        cluster.close();
    }

    /** The answer scripted for one service, read at each request. */
    private final class Scripted implements ResponseProvider<Object> {
        private final String service;
        private Headers headers = Headers.builder().build();

        Scripted(String service) {
            this.service = service;
        }

        private Answer answer() {
            return answers.getOrDefault(
                    service,
                    new Answer(
                            404,
                            "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"reason\":\"NotFound\",\"code\":404}"));
        }

        @Override
        public int getStatusCode(RecordedRequest request) {
            return answer().status();
        }

        @Override
        public Object getBody(RecordedRequest request) {
            return answer().body();
        }

        @Override
        public Headers getHeaders() {
            return headers;
        }

        @Override
        public void setHeaders(Headers headers) {
            this.headers = headers;
        }
    }

    @Override
    protected void report(ServiceName service, String version) {
        answers.put(
                service.value(),
                new Answer(
                        200,
                        "{\"openapi\":\"3.0.3\",\"info\":{\"title\":\"" + service.value() + "\",\"version\":\""
                                + version + "\"}}"));
    }

    @Override
    protected void makeUnreachable(ServiceName service) {
        answers.put(service.value(), new Answer(503, "no endpoints available for service \"" + service.value() + "\""));
    }

    @Override
    protected boolean makeVersionless(ServiceName service) {
        answers.put(service.value(), new Answer(200, "{\"openapi\":\"3.0.3\",\"info\":{\"title\":\"x\"}}"));
        return true;
    }

    @Override
    protected boolean makeUnresponsive(ServiceName service) {
        report(service, "v4.9");
        cluster.stall(Duration.ofSeconds(30));
        return true;
    }

    @Override
    protected Duration timeout() {
        return TIMEOUT;
    }
}
