package org.elb.warmkeeper.runner.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.elb.warmkeeper.core.ElbException;
import org.elb.warmkeeper.core.cluster.Checks;
import org.elb.warmkeeper.core.cluster.ClusterRef;
import org.elb.warmkeeper.core.cluster.OwnerId;
import org.elb.warmkeeper.core.provision.CancelMode;
import org.elb.warmkeeper.core.provision.CancelOutcome;
import org.elb.warmkeeper.core.provision.ProvisionRequest;
import org.elb.warmkeeper.core.provision.ProvisioningService;
import org.elb.warmkeeper.core.provision.TaskId;
import org.elb.warmkeeper.core.version.ServiceName;
import org.elb.warmkeeper.core.version.VersionGateService;
import org.elb.warmkeeper.core.warm.AutoWarmReconciler;
import org.elb.warmkeeper.core.warm.TickReport;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dashboard's endpoints over the JDK HTTP server:
 * <ul>
 *   <li>{@code GET  /api/aks/recent-failed-provisions?hours=24&limit=10}
 *   <li>{@code POST /api/aks/provision} (JSON body)
 *   <li>{@code POST /api/aks/provision/{taskId}/cancel?mode=stop|abort_operation|delete_cluster}
 *   <li>{@code GET  /api/autowarm/status} (the last tick's report)
 *   <li>{@code POST /api/autowarm/reconcile?force=false}
 *   <li>{@code GET  /api/version-gate/{service}}
 *   <li>{@code GET  /metrics} (Prometheus text format, when a scrape supplier is given)
 * </ul>
 * The caller's identity comes from a header (default {@value #DEFAULT_OWNER_HEADER}) and scopes every job
 * query; without it a job endpoint answers 401. Bad parameters answer 400 with
 * {@code {"error": "..."}} naming the parameter; a store failure 503; anything else 500 without details.
 * This is an example: put it behind your gateway's authentication, which sets the header.
 */
public final class HttpApi implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(HttpApi.class);

    public static final String DEFAULT_OWNER_HEADER = "X-Elb-Owner";
    private static final int MAX_BODY_BYTES = 64 * 1024;

    private final ObjectMapper json = new ObjectMapper();
    private final ProvisioningService provisioning;
    private final AutoWarmReconciler reconciler;
    private final VersionGateService versionGate;
    private final Supplier<Optional<TickReport>> scheduledReport;
    private final @Nullable Supplier<String> scrape;
    private final String ownerHeader;
    private final AtomicReference<@Nullable TickReport> onDemandReport = new AtomicReference<>();
    private final HttpServer server;
    private final ExecutorService executor;

    private HttpApi(Builder b) throws IOException {
        this.provisioning = b.provisioning;
        this.reconciler = b.reconciler;
        this.versionGate = b.versionGate;
        this.scheduledReport = b.lastReport;
        this.scrape = b.scrape;
        this.ownerHeader = b.ownerHeader;
        this.server = HttpServer.create(new InetSocketAddress(b.host, b.port), 0);
        this.executor = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "elb-http");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
    }

    public static Builder builder(ProvisioningService provisioning, AutoWarmReconciler reconciler,
            VersionGateService versionGate) {
        return new Builder(provisioning, reconciler, versionGate);
    }

    /** The bound port (useful with port 0). */
    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String method = ex.getRequestMethod();
            String path = ex.getRequestURI().getPath();
            Map<String, String> query = query(ex.getRequestURI().getRawQuery());
            try {
                route(ex, method, path, query);
            } catch (HttpError e) {
                send(ex, e.status, Map.of("error", e.getMessage()));
            } catch (IllegalArgumentException e) {
                send(ex, 400, Map.of("error", String.valueOf(e.getMessage())));
            } catch (ElbException e) {
                log.warn("{} {} failed: {}", method, path, e.toString());
                send(ex, 503, Map.of("error", "backend unavailable"));
            } catch (RuntimeException e) {
                log.error("{} {} failed", method, path, e);
                send(ex, 500, Map.of("error", "internal error"));
            }
        }
    }

    private void route(HttpExchange ex, String method, String path, Map<String, String> q) throws IOException {
        if (path.equals("/api/aks/recent-failed-provisions")) {
            expect(method, "GET");
            OwnerId owner = owner(ex);
            send(ex, 200, JsonViews.recentFailed(
                    provisioning.recentFailed(owner, intParam(q, "hours"), intParam(q, "limit"))));
        } else if (path.equals("/api/aks/provision")) {
            expect(method, "POST");
            OwnerId owner = owner(ex);
            ProvisionRequest request = provisionRequest(readBody(ex));
            send(ex, 202, JsonViews.accepted(provisioning.provision(owner, request)));
        } else if (path.startsWith("/api/aks/provision/") && path.endsWith("/cancel")) {
            expect(method, "POST");
            OwnerId owner = owner(ex);
            String raw = path.substring("/api/aks/provision/".length(), path.length() - "/cancel".length());
            TaskId taskId = TaskId.of(URLDecoder.decode(raw, StandardCharsets.UTF_8));
            CancelMode mode = cancelMode(q.get("mode"));
            CancelOutcome outcome = provisioning.cancel(owner, taskId, mode);
            int status = outcome.result() == CancelOutcome.Result.NOT_FOUND ? 404 : 200;
            send(ex, status, JsonViews.cancel(outcome));
        } else if (path.equals("/api/autowarm/status")) {
            expect(method, "GET");
            Optional<TickReport> last = latestReport();
            if (last.isEmpty()) {
                send(ex, 200, Map.of("status", "no_tick_yet", "clusters", java.util.List.of()));
            } else {
                sendRaw(ex, 200, last.get().toJson());
            }
        } else if (path.equals("/api/autowarm/reconcile")) {
            expect(method, "POST");
            TickReport report = reconciler.tick(boolParam(q, "force"));
            onDemandReport.set(report);
            sendRaw(ex, 200, report.toJson());
        } else if (path.startsWith("/api/version-gate/")) {
            expect(method, "GET");
            String raw = URLDecoder.decode(path.substring("/api/version-gate/".length()), StandardCharsets.UTF_8);
            ServiceName service = ServiceName.of(raw);
            send(ex, 200, JsonViews.gate(service.value(), versionGate.check(service)));
        } else if (path.equals("/metrics") && scrape != null) {
            expect(method, "GET");
            byte[] body = scrape.get().getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        } else {
            throw new HttpError(404, "no such endpoint: " + path);
        }
    }

    private Optional<TickReport> latestReport() {
        TickReport onDemand = onDemandReport.get();
        Optional<TickReport> scheduled = scheduledReport.get();
        if (onDemand == null) {
            return scheduled;
        }
        if (scheduled.isEmpty() || onDemand.startedAt().isAfter(scheduled.get().startedAt())) {
            return Optional.of(onDemand);
        }
        return scheduled;
    }

    private OwnerId owner(HttpExchange ex) {
        String value = ex.getRequestHeaders().getFirst(ownerHeader);
        if (value == null || value.isBlank()) {
            throw new HttpError(401, "missing '" + ownerHeader + "' header: the caller's identity is required");
        }
        return OwnerId.of(value.strip());
    }

    private static void expect(String method, String allowed) {
        if (!method.equalsIgnoreCase(allowed)) {
            throw new HttpError(405, "method " + method + " not allowed; use " + allowed);
        }
    }

    private static @Nullable Integer intParam(Map<String, String> q, String name) {
        String v = q.get(name);
        if (v == null || v.isEmpty()) {
            return null;
        }
        try {
            return Integer.valueOf(v.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + name + "' must be an integer, but was '" + v + "'");
        }
    }

    private static boolean boolParam(Map<String, String> q, String name) {
        String v = q.get(name);
        if (v == null || v.isEmpty()) {
            return false;
        }
        return switch (v.strip().toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes" -> true;
            case "false", "0", "no" -> false;
            default -> throw new IllegalArgumentException("'" + name + "' must be true or false, but was '" + v + "'");
        };
    }

    private static CancelMode cancelMode(@Nullable String v) {
        if (v == null || v.isEmpty()) {
            return CancelMode.STOP;
        }
        try {
            return CancelMode.valueOf(v.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "'mode' must be one of stop, abort_operation, delete_cluster, but was '" + v + "'");
        }
    }

    private JsonNode readBody(HttpExchange ex) throws IOException {
        try (InputStream in = ex.getRequestBody()) {
            byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
            if (body.length > MAX_BODY_BYTES) {
                throw new HttpError(413, "request body larger than " + MAX_BODY_BYTES + " bytes");
            }
            try {
                JsonNode node = json.readTree(body);
                if (node == null || !node.isObject()) {
                    throw new IllegalArgumentException("the request body must be a JSON object");
                }
                return node;
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalArgumentException("the request body is not valid JSON: " + e.getOriginalMessage());
            }
        }
    }

    private static ProvisionRequest provisionRequest(JsonNode body) {
        JsonNode nodes = body.get(ProvisionRequest.KEY_NODE_COUNT);
        if (nodes == null || !nodes.canConvertToInt()) {
            throw new IllegalArgumentException("'" + ProvisionRequest.KEY_NODE_COUNT + "' must be an integer");
        }
        return new ProvisionRequest(
                new ClusterRef(text(body, ProvisionRequest.KEY_SUBSCRIPTION), text(body, ProvisionRequest.KEY_RESOURCE_GROUP),
                        text(body, ProvisionRequest.KEY_CLUSTER)),
                text(body, ProvisionRequest.KEY_REGION), text(body, ProvisionRequest.KEY_VM_SIZE), nodes.asInt(),
                body.hasNonNull(ProvisionRequest.KEY_KUBERNETES_VERSION)
                        ? body.get(ProvisionRequest.KEY_KUBERNETES_VERSION).asText() : null);
    }

    private static String text(JsonNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null || !v.isTextual()) {
            throw new IllegalArgumentException("'" + field + "' is required and must be a string");
        }
        return v.asText();
    }

    private static Map<String, String> query(@Nullable String raw) {
        Map<String, String> q = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return q;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            q.putIfAbsent(k, v);
        }
        return q;
    }

    private void send(HttpExchange ex, int status, Object body) throws IOException {
        sendRaw(ex, status, json.writeValueAsString(body));
    }

    private static void sendRaw(HttpExchange ex, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static final class HttpError extends RuntimeException {
        final int status;

        HttpError(int status, String message) {
            super(message);
            this.status = status;
        }
    }

    /** Builder of {@link HttpApi}. */
    public static final class Builder {
        private final ProvisioningService provisioning;
        private final AutoWarmReconciler reconciler;
        private final VersionGateService versionGate;
        private Supplier<Optional<TickReport>> lastReport = Optional::empty;
        private @Nullable Supplier<String> scrape;
        private String ownerHeader = DEFAULT_OWNER_HEADER;
        private String host = "127.0.0.1";
        private int port = 8080;

        private Builder(ProvisioningService provisioning, AutoWarmReconciler reconciler, VersionGateService versionGate) {
            this.provisioning = Checks.required(provisioning, "provisioning");
            this.reconciler = Checks.required(reconciler, "reconciler");
            this.versionGate = Checks.required(versionGate, "versionGate");
        }

        /** Where {@code /api/autowarm/status} reads the scheduler's last report (e.g. {@code scheduler::lastReport}). */
        public Builder lastReport(Supplier<Optional<TickReport>> lastReport) {
            this.lastReport = Checks.required(lastReport, "lastReport");
            return this;
        }

        /** Serves {@code /metrics} from this supplier (e.g. {@code prometheusRegistry::scrape}). */
        public Builder scrape(Supplier<String> scrape) {
            this.scrape = Checks.required(scrape, "scrape");
            return this;
        }

        /** The header carrying the caller's identity. Default {@value #DEFAULT_OWNER_HEADER}. */
        public Builder ownerHeader(String ownerHeader) {
            this.ownerHeader = Checks.matches(ownerHeader, "ownerHeader",
                    java.util.regex.Pattern.compile("[A-Za-z0-9-]{1,64}"), "an HTTP header name");
            return this;
        }

        /** Default 127.0.0.1. */
        public Builder host(String host) {
            this.host = Checks.required(host, "host");
            return this;
        }

        /** Default 8080; 0 picks a free port. */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("'port' must be between 0 and 65535, but was " + port);
            }
            this.port = port;
            return this;
        }

        /** Binds and starts serving. */
        public HttpApi start() throws IOException {
            HttpApi api = new HttpApi(this);
            api.server.start();
            log.info("HTTP API listening on {}:{}", host, api.port());
            return api;
        }
    }
}
