package org.elb.warmkeeper.runner.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.elb.warmkeeper.core.BackendUnavailableException;
import org.elb.warmkeeper.core.ElbException;
import org.elb.warmkeeper.core.Secrets;
import org.elb.warmkeeper.core.cluster.Checks;
import org.elb.warmkeeper.core.cluster.ClusterRef;
import org.elb.warmkeeper.core.cluster.OwnerId;
import org.elb.warmkeeper.core.provision.CancelMode;
import org.elb.warmkeeper.core.provision.CancelOutcome;
import org.elb.warmkeeper.core.provision.ErrorCategory;
import org.elb.warmkeeper.core.provision.ErrorClassification;
import org.elb.warmkeeper.core.provision.JobStateEvents;
import org.elb.warmkeeper.core.provision.JobStateRepository;
import org.elb.warmkeeper.core.provision.ProvisionRefusedException;
import org.elb.warmkeeper.core.provision.ProvisionRequest;
import org.elb.warmkeeper.core.provision.ProvisioningException;
import org.elb.warmkeeper.core.provision.ProvisioningService;
import org.elb.warmkeeper.core.provision.RecentFailedQuery;
import org.elb.warmkeeper.core.provision.TaskId;
import org.elb.warmkeeper.core.version.ServiceName;
import org.elb.warmkeeper.core.version.VersionGateService;
import org.elb.warmkeeper.core.warm.AutoWarmReconciler;
import org.elb.warmkeeper.core.warm.ManagedAutoWarmPreferences;
import org.elb.warmkeeper.core.warm.TickReport;
import org.elb.warmkeeper.core.warm.WarmAttemptHistory;
import org.elb.warmkeeper.http.EventHub;
import org.elb.warmkeeper.http.HttpProblem;
import org.elb.warmkeeper.http.StrictJson;
import org.elb.warmkeeper.http.TickViews;
import org.elb.warmkeeper.json.ProvisioningJson;
import org.elb.warmkeeper.json.WireJson;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dashboard's endpoints over the JDK HTTP server:
 * <ul>
 *   <li>{@code GET  /healthz}, {@code GET /readyz} (no identity; 200, or 503 when a component is down)
 *   <li>{@code GET  /api/aks/recent-failed-provisions?hours=24&limit=10}
 *   <li>{@code POST /api/aks/provision} (JSON body)
 *   <li>{@code POST /api/aks/provision/{taskId}/cancel?mode=stop|abort_operation|delete_cluster}
 *   <li>{@code GET  /api/tasks/{taskId}} (the caller's own job row)
 *   <li>{@code GET  /api/autowarm/status} (the last tick's report)
 *   <li>{@code POST /api/autowarm/reconcile?force=false} ({@code force=true}: an admin only)
 *   <li>{@code GET  /api/autowarm/clusters}, {@code PUT /api/autowarm/clusters/{cluster}} (an admin),
 *       {@code PUT /api/autowarm/clusters/{cluster}/databases/{db}},
 *       {@code GET /api/autowarm/clusters/{cluster}/databases/{db}/attempts} (with {@link Builder#autoWarm})
 *   <li>{@code GET  /api/version-gate/{service}}
 *   <li>{@code GET  /metrics} (Prometheus text format, when a scrape supplier is given)
 *   <li>{@code GET  /openapi.json} (the OpenAPI 3 document of these routes; no identity)
 *   <li>{@code GET  /api/events} (Server-Sent Events, with {@link Builder#events}; see {@link EventStream})
 *   <li>{@code GET  /} the status page (with {@link Builder#statusPage}; see {@link StaticPage})
 * </ul>
 * The routes are one table ({@link Route}): dispatch and {@code /openapi.json} read the same list.
 * The caller's identity comes from an {@link Identity} (a gateway's header by default,
 * {@value #DEFAULT_OWNER_HEADER}) and scopes every job query; an {@code /api/} endpoint without it
 * answers 401. Every error is JSON {@code {"error": "..."}}: 400 for bad input (naming the parameter,
 * quoting at most 80 characters of it), 404, 405, 409, 413, a classified provisioning refusal with its
 * category and actions (409 name conflict, 503 when retryable, else 422), a provisioning-policy refusal
 * naming its rule and limit (403 a rule, 429 a quota or rate, 503 a full queue), 503 for an unavailable backend
 * or while draining, 500 without details. No message carries a credential ({@link Secrets#mask}).
 */
public final class HttpApi implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(HttpApi.class);

    static {
        // The JDK server writes a response's headers and body in separate segments; with Nagle's algorithm
        // and the client's delayed ACK each answer on a kept-alive connection waits ~40 ms. Read once, when
        // the JDK's server configuration loads: set it before the first server of the process starts.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    public static final String DEFAULT_OWNER_HEADER = "X-Elb-Owner";
    public static final Duration DEFAULT_CHECK_TIMEOUT = Duration.ofSeconds(2);
    public static final Duration DEFAULT_RECONCILE_WAIT = Duration.ofSeconds(60);
    public static final int DEFAULT_THREADS = 8;
    static final int MAX_BODY_BYTES = 64 * 1024;
    private static final long MAX_DISCARD_BYTES = 1024 * 1024;
    private static final int MAX_CHECK_THREADS = 16;

    /** One response: a status and a JSON body, or text with its content type. */
    record Reply(int status, Object body, @Nullable String contentType) {
        /** The exchange was handed over (an event stream answers it on its own thread). */
        static final Reply TAKEN_OVER = new Reply(0, "", "none");

        static Reply json(int status, Object body) {
            return new Reply(status, body, null);
        }
    }

    private final ObjectMapper json = new ObjectMapper();
    private final ProvisioningService provisioning;
    private final VersionGateService versionGate;
    private final Supplier<Optional<TickReport>> scheduledReport;
    private final @Nullable Supplier<String> scrape;
    private final Identity identity;
    private final Set<OwnerId> admins;
    private final Map<String, Health.Check> liveness;
    private final Map<String, Health.Check> readiness;
    private final Duration checkTimeout;
    private final Duration reconcileWait;
    private final OnDemandReconcile onDemand;
    private final String version;
    private final List<Route> routes;
    private volatile @Nullable ObjectNode openApiDocument;
    private final @Nullable EventStream events;
    private final @Nullable StaticPage page;
    private final HttpServer server;
    private final ExecutorService executor;
    private final ExecutorService checks;
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile boolean draining;
    private volatile boolean closed;

    private HttpApi(Builder b) throws IOException {
        this.provisioning = b.provisioning;
        this.versionGate = b.versionGate;
        this.scheduledReport = b.lastReport;
        this.scrape = b.scrape;
        this.identity = b.identity;
        this.admins = Set.copyOf(b.admins);
        this.liveness = new LinkedHashMap<>(b.liveness);
        this.readiness = new LinkedHashMap<>(b.readiness);
        this.checkTimeout = b.checkTimeout;
        this.reconcileWait = b.reconcileWait;
        this.onDemand = new OnDemandReconcile(b.reconciler);
        this.version = b.version;
        // the page first (a missing resource throws), the streams' threads once the port is bound
        this.page = b.pageServices == null ? null : new StaticPage(identity, b.ownerHeader, b.pageServices);
        this.events = b.events == null || b.eventJobs == null
                ? null
                : new EventStream(
                        b.events, b.eventJobs, provisioning, this::latestReport, b.eventClock, b.eventOptions);
        this.routes = routes(b);
        this.server = HttpServer.create(new InetSocketAddress(b.host, b.port), 0);
        this.executor = Executors.newFixedThreadPool(b.threads, daemon("elb-http"));
        // Bounded: a hung dependency holds its check's thread; once all are held, checks answer down at once.
        this.checks = new java.util.concurrent.ThreadPoolExecutor(
                0,
                MAX_CHECK_THREADS,
                30,
                TimeUnit.SECONDS,
                new java.util.concurrent.SynchronousQueue<>(),
                daemon("elb-health-check"));
        server.setExecutor(executor);
        server.createContext("/", this::handle);
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    public static Builder builder(
            ProvisioningService provisioning, AutoWarmReconciler reconciler, VersionGateService versionGate) {
        return new Builder(provisioning, reconciler, versionGate);
    }

    /** The bound port (useful with port 0). */
    public int port() {
        return server.getAddress().getPort();
    }

    /** The event streams ({@code /api/events}), when configured. */
    @Nullable EventStream eventStream() {
        return events;
    }

    /** Requests being answered now (an on-demand reconcile counts until its report is sent). */
    public int inFlight() {
        return inFlight.get();
    }

    /**
     * Graceful stop: new requests answer 503 ({@code /readyz} says draining), requests in flight finish
     * and a running on-demand tick ends, each within {@code bound}; then the server closes.
     *
     * @return whether everything finished within the bound
     */
    public boolean drain(Duration bound) {
        draining = true;
        if (events != null) {
            events.close(); // event streams never finish by themselves: end them first
        }
        long deadline = System.nanoTime() + bound.toNanos();
        boolean done = waitFor(deadline);
        onDemand.drain(Math.max(0, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
        done = waitFor(deadline) && done;
        close();
        return done;
    }

    private boolean waitFor(long deadline) {
        while (inFlight.get() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return inFlight.get() == 0;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        draining = true;
        if (events != null) {
            events.close();
        }
        server.stop(0);
        onDemand.close();
        executor.shutdownNow();
        checks.shutdownNow();
    }

    private void handle(HttpExchange ex) {
        inFlight.incrementAndGet();
        String method = ex.getRequestMethod();
        CompletableFuture<Reply> reply;
        try {
            reply = route(Request.of(ex));
        } catch (IOException | RuntimeException e) {
            reply = CompletableFuture.failedFuture(e);
        }
        reply.whenComplete((r, e) -> finish(ex, method, r, e));
    }

    private void finish(HttpExchange ex, String method, @Nullable Reply reply, @Nullable Throwable error) {
        if (reply == Reply.TAKEN_OVER && error == null) {
            inFlight.decrementAndGet();
            return;
        }
        try (ex) {
            Reply r = error == null && reply != null ? reply : failure(unwrap(error), method, ex);
            discardRequestBody(ex);
            if (r.contentType() != null) {
                send(ex, r.status(), r.contentType(), ((String) r.body()).getBytes(StandardCharsets.UTF_8));
            } else {
                send(ex, r.status(), "application/json", json.writeValueAsBytes(r.body()));
            }
        } catch (IOException | RuntimeException e) {
            log.debug("response to {} not sent: {}", method, e.toString());
        } finally {
            inFlight.decrementAndGet();
        }
    }

    /**
     * Reads what is left of the request body (at most {@value #MAX_DISCARD_BYTES} bytes) before answering:
     * a server that closes a connection with unread input makes the client's TCP stack drop the answer.
     */
    private static void discardRequestBody(HttpExchange ex) {
        try {
            InputStream in = ex.getRequestBody();
            byte[] buffer = new byte[8192];
            long left = MAX_DISCARD_BYTES;
            for (int n; left > 0 && (n = in.read(buffer, 0, (int) Math.min(buffer.length, left))) > 0; ) {
                left -= n;
            }
            if (left <= 0) {
                ex.getResponseHeaders().set("Connection", "close");
            }
        } catch (IOException e) {
            ex.getResponseHeaders().set("Connection", "close");
        }
    }

    private static Throwable unwrap(@Nullable Throwable e) {
        Throwable t = e == null ? new IllegalStateException("no reply") : e;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    private Reply failure(Throwable e, String method, HttpExchange ex) {
        if (e instanceof HttpProblem p) {
            p.headers().forEach((name, value) -> ex.getResponseHeaders().set(name, value));
            return Reply.json(p.status(), p.body());
        }
        if (e instanceof IllegalArgumentException) {
            return Reply.json(400, Map.of("error", HttpProblem.bounded(String.valueOf(e.getMessage()))));
        }
        if (e instanceof ProvisionRefusedException refused) {
            return Reply.json(ProvisioningJson.refusalStatus(refused), ProvisioningJson.refused(refused));
        }
        if (e instanceof ProvisioningException pe && pe.classification().isPresent()) {
            ErrorClassification c = pe.classification().get();
            int status = c.category() == ErrorCategory.NAME_CONFLICT ? 409 : c.retryable() ? 503 : 422;
            return Reply.json(status, JsonViews.classifiedError(c));
        }
        String path = HttpProblem.echo(ex.getRequestURI().getRawPath());
        if (e instanceof ElbException) {
            log.warn("{} {} failed: {}", method, path, e.toString());
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("error", "backend unavailable");
            if (e instanceof BackendUnavailableException b) {
                body.put("backend", b.backend());
            }
            return Reply.json(503, body);
        }
        if (e instanceof TimeoutException) {
            return Reply.json(
                    503,
                    Map.of(
                            "error",
                            "the reconcile is still running after " + reconcileWait
                                    + "; GET /api/autowarm/status shows its report when it is done"));
        }
        if (e instanceof IOException) {
            return Reply.json(400, Map.of("error", "the request could not be read"));
        }
        if (e instanceof RejectedExecutionException) {
            return Reply.json(503, Map.of("error", "draining: the runner is stopping"));
        }
        log.error("{} {} failed: {}", method, path, Secrets.masked(e.toString()));
        log.debug("{} {} failed", method, path, e);
        return Reply.json(500, Map.of("error", "internal error"));
    }

    /** The routes, in the order the document lists them; a new endpoint is one more entry. */
    private List<Route> routes(Builder b) {
        List<Route> all = new ArrayList<>();
        all.add(Route.get("/healthz", Route.Access.PUBLIC, c -> done(health(liveness, false)))
                .probe()
                .summary("Liveness: the process and its components")
                .responds(200, "every component is up", 503, "a component is down"));
        all.add(Route.get("/readyz", Route.Access.PUBLIC, c -> done(health(readiness, true)))
                .probe()
                .summary("Readiness: the store, the lock, the role; down while draining")
                .responds(200, "ready", 503, "a component is down, or the runner is draining"));
        all.add(Route.get("/openapi.json", Route.Access.PUBLIC, c -> done(Reply.json(200, openApi())))
                .summary("This document (OpenAPI 3); info.version is the runner's version")
                .responds(200, "the OpenAPI document"));
        if (scrape != null) {
            Supplier<String> metrics = scrape;
            all.add(Route.get(
                            "/metrics",
                            Route.Access.PUBLIC,
                            c -> done(new Reply(200, metrics.get(), "text/plain; version=0.0.4; charset=utf-8")))
                    .summary("Prometheus text format: the library's meters, JVM and process meters")
                    .responds(200, "the scrape"));
        }
        all.add(Route.get("/api/aks/recent-failed-provisions", Route.Access.CALLER, this::recentFailed)
                .summary("The caller's failed AKS provisionings of the last hours")
                .query(
                        "hours",
                        "integer",
                        "look-back window in hours (default " + RecentFailedQuery.DEFAULT_HOURS + ")")
                .query("limit", "integer", "most rows (default " + RecentFailedQuery.DEFAULT_LIMIT + ")")
                .responds(200, "{jobs, degraded}"));
        all.add(Route.post("/api/aks/provision", Route.Access.CALLER, this::provision)
                .summary("Starts an AKS provisioning for the caller")
                .body(OpenApi.provisionRequest())
                .responds(
                        202,
                        "{task_id, job_id, state_recorded}",
                        403,
                        "refused by a provisioning-policy rule {error, rule, limit, kind}",
                        409,
                        "name conflict",
                        413,
                        "body too large",
                        422,
                        "refused (classified, not retryable)",
                        429,
                        "the owner's provisioning quota or rate {error, rule, limit, kind}",
                        503,
                        "the queue of creates is full, or Azure is retryably unavailable"));
        all.add(Route.post("/api/aks/provision/{taskId}/cancel", Route.Access.CALLER, this::cancel)
                .summary("Cancels one of the caller's provisionings")
                .query("mode", "string", "stop (default), abort_operation or delete_cluster")
                .responds(200, "the cancel's outcome", 404, "no such task of the caller's"));
        all.add(Route.get("/api/tasks/{taskId}", Route.Access.CALLER, this::task)
                .summary("One of the caller's job rows")
                .responds(200, "the job row", 404, "no such task of the caller's"));
        all.add(Route.get("/api/autowarm/status", Route.Access.CALLER, this::status)
                .summary("The last tick's report")
                .responds(200, "the report, or {status: no_tick_yet}"));
        all.add(Route.post("/api/autowarm/reconcile", Route.Access.CALLER, this::reconcile)
                .summary("Runs a tick now (single-flight) and answers its report; force=true needs an admin")
                .query("force", "boolean", "bypass the in-flight lock (admin only)")
                .responds(200, "the tick's report", 403, "force=true without an admin identity"));
        if (b.preferences != null) {
            all.addAll(new AutoWarmEndpoints(b.preferences, b.history).routes());
        }
        all.add(Route.get("/api/version-gate/{service}", Route.Access.PUBLIC, this::versionGate)
                .summary("Whether the service's Update panel offers an update")
                .responds(200, "the gate's decision"));
        if (events != null) {
            EventStream stream = events;
            all.add(Route.get("/api/events", Route.Access.CALLER, c -> {
                        stream.open(c.request.exchange, c.owner());
                        return done(Reply.TAKEN_OVER);
                    })
                    .summary("Server-Sent Events of the caller's job-state changes; Last-Event-ID resumes")
                    .responds(200, "text/event-stream", 503, "too many open streams"));
        }
        if (page != null) {
            StaticPage assets = page;
            for (String path : assets.paths()) {
                all.add(Route.get("/" + path, Route.Access.PUBLIC, c -> {
                            org.elb.warmkeeper.http.StatusPage.Asset a =
                                    Objects.requireNonNull(assets.at(c.request.segments));
                            return done(new Reply(200, a.body(), a.contentType()));
                        })
                        .summary("The status page: " + (path.isEmpty() ? "index.html" : path))
                        .responds(200, "the page's file"));
            }
        }
        all.addAll(b.extraRoutes);
        return List.copyOf(all);
    }

    /** The routes served, as {@code METHOD /template} (for tests and the document). */
    List<Route> routes() {
        return routes;
    }

    private CompletableFuture<Reply> route(Request r) throws IOException {
        Map<Route, Map<String, String>> onPath = new LinkedHashMap<>();
        for (Route route : routes) {
            Map<String, String> params = route.match(r.segments);
            if (params != null) {
                onPath.put(route, params);
            }
        }
        if (onPath.isEmpty()) {
            for (Route route : routes) {
                Map<String, String> params = route.matchMissingOne(r.segments);
                if (params != null) {
                    onPath.put(route, params);
                }
            }
        }
        boolean probe = onPath.keySet().stream().anyMatch(route -> route.probe);
        if (draining && !probe) {
            r.exchange.getResponseHeaders().set("Connection", "close");
            throw new HttpProblem(503, "draining: the runner is stopping");
        }
        // An /api/ request's identity is checked first: a malformed or invalid one is a 400 or 401 anywhere.
        Optional<OwnerId> caller = !r.segments.isEmpty() && r.segment(0).equals("api")
                ? identity.caller(r.exchange.getRequestHeaders())
                : Optional.empty();
        if (onPath.isEmpty()) {
            throw new HttpProblem(404, "no such endpoint: " + HttpProblem.echo(r.path()));
        }
        for (Map.Entry<Route, Map<String, String>> e : onPath.entrySet()) {
            Route route = e.getKey();
            if (route.method.equals(r.method)) {
                Call call = new Call(r, e.getValue(), caller);
                if (route.access == Route.Access.ADMIN) {
                    call.admin(route + " changes fleet-wide behaviour");
                } else if (route.access == Route.Access.CALLER) {
                    call.owner();
                }
                return route.handler.handle(call);
            }
        }
        String allowed = String.join(
                ", ",
                onPath.keySet().stream().map(route -> route.method).distinct().toList());
        r.exchange.getResponseHeaders().set("Allow", allowed);
        throw new HttpProblem(405, "method " + HttpProblem.echo(r.method) + " not allowed here; use " + allowed);
    }

    private CompletableFuture<Reply> recentFailed(Call c) {
        Integer hours = c.request.intParam("hours");
        Integer limit = c.request.intParam("limit");
        RecentFailedQuery query = new RecentFailedQuery(
                hours == null ? RecentFailedQuery.DEFAULT_HOURS : hours,
                limit == null ? RecentFailedQuery.DEFAULT_LIMIT : limit);
        return done(Reply.json(200, JsonViews.recentFailed(provisioning.recentFailed(c.owner(), query))));
    }

    private CompletableFuture<Reply> provision(Call c) throws IOException {
        ProvisionRequest request = provisionRequest(StrictJson.object(readBody(c.request.exchange)));
        return done(Reply.json(202, JsonViews.accepted(provisioning.provision(c.owner(), request))));
    }

    private CompletableFuture<Reply> cancel(Call c) {
        TaskId taskId = taskId(c.param("taskId"));
        CancelOutcome outcome = provisioning.cancel(c.owner(), taskId, cancelMode(c.request.query.get("mode")));
        if (outcome.result() == CancelOutcome.Result.NOT_FOUND) {
            ObjectNode body = WireJson.object();
            body.put("error", "no task '" + HttpProblem.echo(taskId.value()) + "' of yours");
            body.setAll(JsonViews.cancel(outcome));
            return done(Reply.json(404, body));
        }
        return done(Reply.json(200, JsonViews.cancel(outcome)));
    }

    private CompletableFuture<Reply> task(Call c) {
        TaskId taskId = taskId(c.param("taskId"));
        return done(provisioning
                .job(c.owner(), taskId)
                .map(job -> Reply.json(200, JsonViews.job(job)))
                .orElseThrow(
                        () -> new HttpProblem(404, "no task '" + HttpProblem.echo(taskId.value()) + "' of yours")));
    }

    private CompletableFuture<Reply> status(Call c) {
        Optional<TickReport> last = latestReport();
        return done(Reply.json(200, last.<Object>map(TickViews::forEveryone).orElseGet(() -> {
            // Ordered: Map.of's iteration order changes from one JVM to the next.
            ObjectNode none = WireJson.object();
            none.put("status", "no_tick_yet");
            none.putArray("clusters");
            return none;
        })));
    }

    private CompletableFuture<Reply> reconcile(Call c) {
        boolean force = c.request.boolParam("force");
        if (force) {
            c.admin("force=true bypasses the in-flight lock");
        }
        return onDemand.request(force)
                .copy()
                .orTimeout(reconcileWait.toMillis(), TimeUnit.MILLISECONDS)
                .thenApply(report -> Reply.json(200, JsonViews.tick(report)));
    }

    private CompletableFuture<Reply> versionGate(Call c) {
        ServiceName service = ServiceName.of(c.param("service"));
        return done(Reply.json(200, JsonViews.gate(service.value(), versionGate.check(service))));
    }

    private ObjectNode openApi() {
        ObjectNode doc = openApiDocument;
        if (doc == null) {
            doc = OpenApi.document(version, routes);
            openApiDocument = doc;
        }
        return doc;
    }

    /** One matched request: the request, its path parameters and the caller, if any. */
    final class Call {
        final Request request;
        private final Map<String, String> params;
        private final Optional<OwnerId> caller;

        Call(Request request, Map<String, String> params, Optional<OwnerId> caller) {
            this.request = request;
            this.params = params;
            this.caller = caller;
        }

        /** A path parameter ("" when the path left it out). */
        String param(String name) {
            String v = params.get(name);
            if (v == null) {
                throw new IllegalStateException("no path parameter '" + name + "'");
            }
            return v;
        }

        /** The caller, or a 401. */
        OwnerId owner() {
            return caller.orElseThrow(
                    () -> new HttpProblem(401, "the caller's identity is required (" + identity.describe() + ")"));
        }

        /** The caller when an admin, else a 401 (no identity) or a 403 saying why an admin is needed. */
        OwnerId admin(String why) {
            OwnerId owner = owner();
            if (!admins.contains(owner)) {
                throw new HttpProblem(403, why + ": it needs an admin identity (elb.http.admins)");
            }
            return owner;
        }
    }

    private static CompletableFuture<Reply> done(Reply reply) {
        return CompletableFuture.completedFuture(reply);
    }

    private static TaskId taskId(String raw) {
        if (raw.isEmpty()) {
            throw HttpProblem.badRequest(
                    "the task id is missing: use /api/aks/provision/{taskId}/cancel or /api/tasks/{taskId}");
        }
        try {
            return TaskId.of(raw);
        } catch (IllegalArgumentException e) {
            throw HttpProblem.badRequest(
                    "'taskId' must be 1-200 printable ASCII characters without whitespace, but was '"
                            + HttpProblem.echo(raw) + "'");
        }
    }

    private Reply health(Map<String, Health.Check> components, boolean readiness) {
        Map<String, CompletableFuture<Health>> running = new LinkedHashMap<>();
        components.forEach((name, check) -> {
            CompletableFuture<Health> f;
            try {
                f = CompletableFuture.supplyAsync(check::check, checks);
            } catch (RejectedExecutionException e) {
                f = CompletableFuture.completedFuture(
                        Health.down(closed ? "stopping" : "earlier checks still running"));
            }
            running.put(name, f);
        });
        long deadline = System.nanoTime() + checkTimeout.toNanos();
        Map<String, Health> states = new LinkedHashMap<>();
        if (readiness) {
            states.put(
                    "http",
                    draining ? Health.down("draining: the runner is stopping") : Health.up("accepting requests"));
        }
        running.forEach((name, f) -> {
            Health h;
            try {
                h = f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                f.cancel(true);
                h = Health.down("no answer within " + checkTimeout);
            } catch (ExecutionException e) {
                h = Health.down(String.valueOf(e.getCause()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                h = Health.down("interrupted");
            }
            states.put(name, h == null ? Health.down("no state") : h);
        });
        boolean ok = states.values().stream().noneMatch(h -> h.status() == Health.Status.DOWN);
        return Reply.json(ok ? 200 : 503, JsonViews.health(ok, states));
    }

    private Optional<TickReport> latestReport() {
        TickReport onDemandReport = onDemand.last();
        Optional<TickReport> scheduled = scheduledReport.get();
        if (onDemandReport == null) {
            return scheduled;
        }
        if (scheduled.isEmpty()
                || onDemandReport.startedAt().isAfter(scheduled.get().startedAt())) {
            return Optional.of(onDemandReport);
        }
        return scheduled;
    }

    private static CancelMode cancelMode(@Nullable String v) {
        if (v == null || v.isEmpty()) {
            return CancelMode.STOP;
        }
        for (CancelMode m : CancelMode.values()) {
            if (m.name().toLowerCase(Locale.ROOT).equals(v)) {
                return m;
            }
        }
        throw HttpProblem.badRequest(
                "'mode' must be one of stop, abort_operation, delete_cluster, but was '" + HttpProblem.echo(v) + "'");
    }

    private static byte[] readBody(HttpExchange ex) throws IOException {
        try (InputStream in = ex.getRequestBody()) {
            byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
            if (body.length > MAX_BODY_BYTES) {
                throw new HttpProblem(413, "request body larger than " + MAX_BODY_BYTES + " bytes");
            }
            return body;
        }
    }

    private static ProvisionRequest provisionRequest(JsonNode body) {
        return new ProvisionRequest(
                new ClusterRef(
                        StrictJson.string(body, ProvisionRequest.KEY_SUBSCRIPTION),
                        StrictJson.string(body, ProvisionRequest.KEY_RESOURCE_GROUP),
                        StrictJson.string(body, ProvisionRequest.KEY_CLUSTER)),
                StrictJson.string(body, ProvisionRequest.KEY_REGION),
                StrictJson.string(body, ProvisionRequest.KEY_VM_SIZE),
                StrictJson.integer(body, ProvisionRequest.KEY_NODE_COUNT),
                StrictJson.optionalString(body, ProvisionRequest.KEY_KUBERNETES_VERSION));
    }

    private static void send(HttpExchange ex, int status, String contentType, byte[] bytes) throws IOException {
        ex.getResponseHeaders().set("Content-Type", contentType);
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    /**
     * The runner's version: the Implementation-Version of its jar manifest (as {@code --version} prints
     * it), else the version the build wrote into {@code elb-runner.properties}, else {@code 0.0.0}.
     */
    public static String defaultVersion() {
        String v = HttpApi.class.getPackage().getImplementationVersion();
        if (v != null && !v.isBlank()) {
            return v;
        }
        try (InputStream in = HttpApi.class.getResourceAsStream("/org/elb/warmkeeper/runner/elb-runner.properties")) {
            if (in != null) {
                java.util.Properties p = new java.util.Properties();
                p.load(in);
                String built = p.getProperty("version");
                if (built != null && !built.isBlank() && !built.startsWith("$")) {
                    return built.strip();
                }
            }
        } catch (IOException e) {
            log.debug("elb-runner.properties not readable: {}", e.toString());
        }
        return "0.0.0";
    }

    /** Builder of {@link HttpApi}. */
    public static final class Builder {
        private final ProvisioningService provisioning;
        private final AutoWarmReconciler reconciler;
        private final VersionGateService versionGate;
        private Supplier<Optional<TickReport>> lastReport = Optional::empty;
        private @Nullable Supplier<String> scrape;
        private Identity identity = Identity.header(DEFAULT_OWNER_HEADER);
        private String ownerHeader = DEFAULT_OWNER_HEADER;
        private @Nullable JobStateEvents events;
        private @Nullable JobStateRepository eventJobs;
        private EventHub.Options eventOptions = EventHub.Options.defaults();
        private java.time.Clock eventClock = java.time.Clock.systemUTC();
        private @Nullable List<String> pageServices;
        private Set<OwnerId> admins = Set.of();
        private final Map<String, Health.Check> liveness = new LinkedHashMap<>();
        private final Map<String, Health.Check> readiness = new LinkedHashMap<>();
        private Duration checkTimeout = DEFAULT_CHECK_TIMEOUT;
        private Duration reconcileWait = DEFAULT_RECONCILE_WAIT;
        private int threads = DEFAULT_THREADS;
        private String host = "127.0.0.1";
        private int port = 8080;
        private String version = defaultVersion();
        private @Nullable ManagedAutoWarmPreferences preferences;
        private WarmAttemptHistory history = WarmAttemptHistory.NONE;
        private final List<Route> extraRoutes = new ArrayList<>();

        private Builder(
                ProvisioningService provisioning, AutoWarmReconciler reconciler, VersionGateService versionGate) {
            this.provisioning = Checks.required(provisioning, "provisioning");
            this.reconciler = Checks.required(reconciler, "reconciler");
            this.versionGate = Checks.required(versionGate, "versionGate");
            liveness.put("process", () -> Health.up("serving HTTP"));
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

        /** The header carrying the caller's identity, set by a gateway. Default {@value #DEFAULT_OWNER_HEADER}. */
        public Builder ownerHeader(String ownerHeader) {
            this.identity = Identity.header(ownerHeader);
            this.ownerHeader = ownerHeader;
            return this;
        }

        /**
         * Serves {@code GET /api/events} (Server-Sent Events of the caller's job-state changes and of the
         * ticks): live from {@code events}, replayed from {@code jobs} after a reconnect.
         */
        public Builder events(JobStateEvents events, JobStateRepository jobs, EventHub.Options options) {
            this.events = Checks.required(events, "events");
            this.eventJobs = Checks.required(jobs, "jobs");
            this.eventOptions = Checks.required(options, "options");
            return this;
        }

        /** The clock of the events' resume window (default the system's). */
        public Builder eventClock(java.time.Clock clock) {
            this.eventClock = Checks.required(clock, "clock");
            return this;
        }

        /**
         * Serves the status page at {@code /} (and {@code /static/app.js}, {@code /static/app.css},
         * {@code /page-config.json}); its version-gate panel asks these services.
         */
        public Builder statusPage(List<String> gateServices) {
            this.pageServices = List.copyOf(Checks.required(gateServices, "gateServices"));
            return this;
        }

        /** How the caller is identified. Default: the {@value #DEFAULT_OWNER_HEADER} header. */
        public Builder identity(Identity identity) {
            this.identity = Checks.required(identity, "identity");
            return this;
        }

        /** The header name the page sends in header mode (and a JWT identity's gateway header). */
        public Builder pageOwnerHeader(String ownerHeader) {
            this.ownerHeader = Checks.required(ownerHeader, "ownerHeader");
            return this;
        }

        /** The owners allowed {@code force=true} on reconcile. Default none. */
        public Builder admins(Set<OwnerId> admins) {
            this.admins = Set.copyOf(Checks.required(admins, "admins"));
            return this;
        }

        /** A component of {@code /healthz} (the process is always one). */
        public Builder liveness(String name, Health.Check check) {
            liveness.put(Checks.required(name, "name"), Checks.required(check, "check"));
            return this;
        }

        /** A component of {@code /readyz}. */
        public Builder readiness(String name, Health.Check check) {
            readiness.put(Checks.required(name, "name"), Checks.required(check, "check"));
            return this;
        }

        /** How long a health component may take before it counts as down. Default 2 s. */
        public Builder checkTimeout(Duration checkTimeout) {
            this.checkTimeout = positive(checkTimeout, "checkTimeout");
            return this;
        }

        /** How long a reconcile request waits for its tick's report before a 503. Default 60 s. */
        public Builder reconcileWait(Duration reconcileWait) {
            this.reconcileWait = positive(reconcileWait, "reconcileWait");
            return this;
        }

        /** Request threads. Default {@value #DEFAULT_THREADS}. */
        public Builder threads(int threads) {
            if (threads < 1 || threads > 256) {
                throw new IllegalArgumentException("'threads' must be between 1 and 256, but was " + threads);
            }
            this.threads = threads;
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

        private static Duration positive(Duration d, String name) {
            Checks.required(d, name);
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("'" + name + "' must be positive, but was " + d);
            }
            return d;
        }

        /**
         * Serves the auto-warm toggles ({@code /api/autowarm/clusters...}) on these preferences, and the
         * attempt history from {@code history} ({@link WarmAttemptHistory#NONE}: always empty).
         */
        public Builder autoWarm(ManagedAutoWarmPreferences preferences, WarmAttemptHistory history) {
            this.preferences = Checks.required(preferences, "preferences");
            this.history = Checks.required(history, "history");
            return this;
        }

        /**
         * The version {@code /openapi.json} states as {@code info.version}. Default: the
         * Implementation-Version of the runner's jar manifest, else the version the build wrote
         * (e.g. {@code 0.1.0-SNAPSHOT}).
         */
        public Builder version(String version) {
            this.version = Checks.required(version, "version");
            return this;
        }

        /** One more endpoint (served and documented like the built-in ones). */
        Builder route(Route route) {
            extraRoutes.add(Checks.required(route, "route"));
            return this;
        }

        /** Binds and starts serving. */
        public HttpApi start() throws IOException {
            HttpApi api = new HttpApi(this);
            api.server.start();
            log.info("HTTP API listening on {}:{} (identity: {})", host, api.port(), identity.describe());
            return api;
        }
    }
}
