package org.elb.warmkeeper.k8s;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.fabric8.mockwebserver.dsl.MockServerExpectation;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * One simulated cluster: Fabric8's mock server in CRUD mode behind a dispatcher that records every
 * request made by the code under test (the test's own admin client, which seeds Pods and Jobs, is
 * recognised by its user agent and not counted) and can answer 500 or stall on demand.
 */
final class MockCluster implements AutoCloseable {

    static final String ADMIN_AGENT = "elb-test-admin";

    /** The mock server logs every request at INFO through java.util.logging (held: JUL keeps loggers weakly). */
    private static final java.util.logging.Logger MOCK_LOG =
            java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

    static {
        MOCK_LOG.setLevel(java.util.logging.Level.WARNING);
    }

    private final KubernetesMockServer server;
    private final Recorder recorder;
    private final KubernetesClient admin;

    private MockCluster() {
        Map<ServerRequest, Queue<ServerResponse>> expectations = new HashMap<>();
        recorder = new Recorder(new KubernetesMixedDispatcher(expectations));
        server = new KubernetesMockServer(new Context(), new MockWebServer(), expectations, recorder, false);
        server.init();
        admin = new KubernetesClientBuilder()
                .withConfig(
                        new ConfigBuilder(config()).withUserAgent(ADMIN_AGENT).build())
                .build();
    }

    static MockCluster start() {
        return new MockCluster();
    }

    /** Connection settings for the code under test (plain http, namespace "default"). */
    Config config() {
        return new ConfigBuilder(Config.empty())
                .withMasterUrl("http://localhost:" + server.getPort())
                .withNamespace("default")
                .withTrustCerts(true)
                .withRequestRetryBackoffLimit(0)
                .build();
    }

    /** Scripted answers that take precedence over the CRUD store. */
    MockServerExpectation expect() {
        return server.expect();
    }

    /** A client that seeds state; its requests are not counted. */
    KubernetesClient admin() {
        return admin;
    }

    int port() {
        return server.getPort();
    }

    /** Requests made by the code under test, as "METHOD path". */
    List<String> requests() {
        return List.copyOf(recorder.requests);
    }

    /** Bodies (DeleteOptions) of the DELETE requests made by the code under test. */
    List<String> deleteBodies() {
        return List.copyOf(recorder.deleteBodies);
    }

    long count(Predicate<String> request) {
        return recorder.requests.stream().filter(request).count();
    }

    /** Requests that LIST or WATCH a collection (a GET whose path ends in the resource plural). */
    long lists(String plural) {
        return count(r -> r.startsWith("GET ") && pathOf(r).endsWith("/" + plural) && !r.contains("watch=true"));
    }

    long calls() {
        return recorder.requests.size();
    }

    private static String pathOf(String request) {
        String path = request.substring(request.indexOf(' ') + 1);
        int q = path.indexOf('?');
        return q >= 0 ? path.substring(0, q) : path;
    }

    /** Every request of the code under test answers this HTTP status until {@link #heal()}. */
    MockCluster failWith(int status) {
        recorder.failStatus = status;
        return this;
    }

    /** Every request of the code under test waits this long for its body until {@link #heal()}. */
    MockCluster stall(Duration delay) {
        recorder.stall = delay;
        return this;
    }

    /** Requests whose user agent contains {@code agent} answer 503 until {@link #heal()}. */
    MockCluster block(String agent) {
        recorder.blockedAgent = agent;
        return this;
    }

    /** The next {@code n} requests of the code under test answer this HTTP status, then the store answers. */
    MockCluster failNext(int status, int n) {
        recorder.failNextStatus = status;
        recorder.failNext.set(n);
        return this;
    }

    /** Requests of the code under test that carry one of these bearer tokens answer 401 (revoked credentials). */
    MockCluster refuseTokens(String... tokens) {
        recorder.refusedTokens = Set.of(tokens);
        return this;
    }

    MockCluster heal() {
        recorder.blockedAgent = null;
        recorder.failStatus = 0;
        recorder.refusedTokens = Set.of();
        recorder.stall = Duration.ZERO;
        return this;
    }

    @Override
    public void close() {
        admin.close();
        // After a watch was open, the mock server can wait up to 10 s for it on shutdown (and then
        // throw): shut it down in the background so tests do not wait; its threads are daemons.
        Thread stopper = new Thread(
                () -> {
                    try {
                        server.destroy();
                    } catch (IllegalStateException e) {
                        System.err.println("mock server did not shut down cleanly: " + e.getMessage());
                    }
                },
                "mock-server-stopper");
        stopper.setDaemon(true);
        stopper.start();
    }

    private static final class Recorder extends Dispatcher {
        private final Dispatcher delegate;
        final List<String> requests = new CopyOnWriteArrayList<>();
        final List<String> deleteBodies = new CopyOnWriteArrayList<>();
        volatile int failStatus;
        volatile int failNextStatus;
        volatile Set<String> refusedTokens = Set.of();
        final java.util.concurrent.atomic.AtomicInteger failNext = new java.util.concurrent.atomic.AtomicInteger();
        volatile String blockedAgent;
        volatile Duration stall = Duration.ZERO;

        Recorder(Dispatcher delegate) {
            this.delegate = delegate;
        }

        @Override
        public MockResponse dispatch(RecordedRequest request) {
            String agent = request.getHeader("User-Agent");
            boolean adminRequest = agent != null && agent.contains(ADMIN_AGENT);
            if (adminRequest) {
                return delegate.dispatch(request);
            }
            requests.add(request.getMethod() + " " + request.getPath());
            if ("DELETE".equals(request.getMethod())) {
                String body =
                        request.getUtf8Body(); // reading consumes the buffer: read once (the CRUD delete ignores it)
                deleteBodies.add(body == null ? "" : body);
            }
            String blocked = blockedAgent;
            String auth = request.getHeader("Authorization");
            boolean revoked = auth != null
                    && auth.startsWith("Bearer ")
                    && refusedTokens.contains(auth.substring("Bearer ".length()));
            if (revoked || failNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                int status = revoked ? 401 : failNextStatus;
                return new MockResponse()
                        .setResponseCode(status)
                        .setBody("{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"code\":" + status
                                + ",\"message\":\"simulated failure\"}");
            }
            if (failStatus > 0 || (blocked != null && agent != null && agent.contains(blocked))) {
                int status = failStatus > 0 ? failStatus : 503;
                return new MockResponse()
                        .setResponseCode(status)
                        .setBody("{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"code\":" + status
                                + ",\"message\":\"simulated failure\"}");
            }
            MockResponse response = delegate.dispatch(request);
            Duration delay = stall;
            return delay.isZero() ? response : response.setBodyDelay(delay);
        }

        @Override
        public void shutdown() {
            delegate.shutdown();
        }
    }

    static List<MockCluster> start(int n) {
        List<MockCluster> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(start());
        }
        return out;
    }
}
