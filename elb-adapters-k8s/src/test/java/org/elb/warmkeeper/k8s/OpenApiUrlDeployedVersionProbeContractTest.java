package org.elb.warmkeeper.k8s;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.elb.warmkeeper.core.version.DeployedVersionProbe;
import org.elb.warmkeeper.core.version.ServiceName;
import org.elb.warmkeeper.testkit.contract.DeployedVersionProbeContract;
import org.junit.jupiter.api.AfterEach;

/**
 * The testkit's deployed-version contract on the plain-URL transport: one local HTTP server serves
 * each service's spec at {@code /<service>/openapi.json}, scripted per service (a version, no
 * version, or a stall); an unreachable service's URL names a port nothing listens on. A service
 * nothing was scripted for answers 404.
 */
class OpenApiUrlDeployedVersionProbeContractTest extends DeployedVersionProbeContract {

    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    /** What the server answers for one service: HTTP status and body; a negative status stalls. */
    private record Answer(int status, String body) {}

    private final Map<String, Answer> answers = new ConcurrentHashMap<>();
    private final Set<String> refused = ConcurrentHashMap.newKeySet();
    private HttpServer server;
    private ExecutorService pool;
    private OpenApiDeployedVersionProbe probe;

    @Override
    protected DeployedVersionProbe createProbe() {
        answers.clear();
        refused.clear();
        int closedPort = closedPort();
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", this::handle);
        pool = Executors.newCachedThreadPool();
        server.setExecutor(pool);
        server.start();
        String base = "http://127.0.0.1:" + server.getAddress().getPort() + "/";
        String dead = "http://127.0.0.1:" + closedPort + "/";
        probe = OpenApiDeployedVersionProbe.viaUrl(
                        s -> URI.create((refused.contains(s.value()) ? dead : base) + s.value() + "/openapi.json"))
                .timeout(TIMEOUT)
                .build();
        return probe;
    }

    @AfterEach
    void stopServer() {
        probe.close();
        server.stop(0);
        pool.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String service = exchange.getRequestURI().getPath().split("/")[1];
            Answer answer = answers.getOrDefault(service, new Answer(404, "{\"message\":\"no such service\"}"));
            if (answer.status() < 0) {
                try {
                    Thread.sleep(10_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return;
            }
            byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(answer.status(), bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
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
        refused.add(service.value());
    }

    @Override
    protected boolean makeVersionless(ServiceName service) {
        answers.put(service.value(), new Answer(200, "{\"openapi\":\"3.0.3\",\"info\":{\"title\":\"x\"}}"));
        return true;
    }

    @Override
    protected boolean makeUnresponsive(ServiceName service) {
        answers.put(service.value(), new Answer(-1, ""));
        return true;
    }

    private static int closedPort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    protected Duration timeout() {
        return TIMEOUT;
    }
}
