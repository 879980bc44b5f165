package org.elb.warmkeeper.runner.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
import org.elb.warmkeeper.core.provision.ProvisionRequest;
import org.elb.warmkeeper.core.provision.ProvisioningException;
import org.elb.warmkeeper.core.provision.ProvisioningService;
import org.elb.warmkeeper.core.provision.RecentFailedQuery;
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
 *   <li>{@code GET  /healthz}, {@code GET /readyz} (no identity; 200, or 503 when a component is down)
 *   <li>{@code GET  /api/aks/recent-failed-provisions?hours=24&limit=10}
 *   <li>{@code POST /api/aks/provision} (JSON body)
 *   <li>{@code POST /api/aks/provision/{taskId}/cancel?mode=stop|abort_operation|delete_cluster}
 *   <li>{@code GET  /api/tasks/{taskId}} (the caller's own job row)
 *   <li>{@code GET  /api/autowarm/status} (the last tick's report)
 *   <li>{@code POST /api/autowarm/reconcile?force=false} ({@code force=true}: an admin only)
 *   <li>{@code GET  /api/version-gate/{service}}
 *   <li>{@code GET  /metrics} (Prometheus text format, when a scrape supplier is given)
 *   <li>{@code GET  /api/events} (Server-Sent Events, with {@link Builder#events}; see {@link EventStream})
 *   <li>{@code GET  /} the status page (with {@link Builder#statusPage}; see {@link StaticPage})
 * </ul>
 * The caller's identity comes from an {@link Identity} (a gateway's header by default,
 * {@value #DEFAULT_OWNER_HEADER}) and scopes every job query; an {@code /api/} endpoint without it
 * answers 401. Every error is JSON {@code {"error": "..."}}: 400 for bad input (naming the parameter,
 * quoting at most 80 characters of it), 404, 405, 409, 413, a classified provisioning refusal with its
 * category and actions (409 name conflict, 503 when retryable, else 422), 503 for an unavailable backend
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
    private record Reply(int status, Object body, @Nullable String contentType) {
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
        EventStream.Encoder encoder = json::writeValueAsString;
        // the page first (a missing resource throws), the streams' threads once the port is bound
        this.page = b.pageServices == null ? null : new StaticPage(identity, b.ownerHeader, b.pageServices, encoder);
        this.events = b.events == null || b.eventJobs == null
                ? null
                : new EventStream(
                        b.events,
                        b.eventJobs,
                        EventStream.jobView(provisioning),
                        this::latestReport,
                        encoder,
                        b.eventClock,
                        b.eventOptions);
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
            return Reply.json(p.status, p.body());
        }
        if (e instanceof IllegalArgumentException) {
            return Reply.json(400, Map.of("error", HttpProblem.bounded(String.valueOf(e.getMessage()))));
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

    private CompletableFuture<Reply> route(Request r) throws IOException {
        if (r.is("healthz")) {
            r.expect("GET");
            return done(health(liveness, false));
        }
        if (r.is("readyz")) {
            r.expect("GET");
            return done(health(readiness, true));
        }
        if (draining) {
            r.exchange.getResponseHeaders().set("Connection", "close");
            throw new HttpProblem(503, "draining: the runner is stopping");
        }
        if (r.is("metrics") && scrape != null) {
            r.expect("GET");
            return done(new Reply(200, scrape.get(), "text/plain; version=0.0.4; charset=utf-8"));
        }
        StaticPage.Asset asset = page == null ? null : page.at(r.segments);
        if (asset != null) {
            r.expect("GET");
            return done(new Reply(200, asset.body(), asset.contentType()));
        }
        if (r.segments.isEmpty() || !r.segment(0).equals("api")) {
            throw new HttpProblem(404, "no such endpoint: " + HttpProblem.echo(r.path()));
        }
        Optional<OwnerId> caller = identity.caller(r.exchange.getRequestHeaders());
        if (r.is("api", "events") && events != null) {
            r.expect("GET");
            events.open(r.exchange, required(caller));
            return done(Reply.TAKEN_OVER);
        }
        if (r.is("api", "aks", "recent-failed-provisions")) {
            r.expect("GET");
            OwnerId owner = required(caller);
            Integer hours = r.intParam("hours");
            Integer limit = r.intParam("limit");
            RecentFailedQuery query = new RecentFailedQuery(
                    hours == null ? RecentFailedQuery.DEFAULT_HOURS : hours,
                    limit == null ? RecentFailedQuery.DEFAULT_LIMIT : limit);
            return done(Reply.json(200, JsonViews.recentFailed(provisioning.recentFailed(owner, query))));
        }
        if (r.is("api", "aks", "provision")) {
            r.expect("POST");
            OwnerId owner = required(caller);
            ProvisionRequest request = provisionRequest(StrictJson.object(readBody(r.exchange)));
            return done(Reply.json(202, JsonViews.accepted(provisioning.provision(owner, request))));
        }
        if (r.is("api", "aks", "provision", "cancel")
                || r.startsWith(2, "api", "aks", "provision") && r.segment(4).equals("cancel")) {
            r.expect("POST");
            OwnerId owner = required(caller);
            TaskId taskId = taskId(r.segments.size() == 4 ? "" : r.segment(3));
            CancelOutcome outcome = provisioning.cancel(owner, taskId, cancelMode(r.query.get("mode")));
            if (outcome.result() == CancelOutcome.Result.NOT_FOUND) {
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("error", "no task '" + HttpProblem.echo(taskId.value()) + "' of yours");
                body.putAll(JsonViews.cancel(outcome));
                return done(Reply.json(404, body));
            }
            return done(Reply.json(200, JsonViews.cancel(outcome)));
        }
        if (r.is("api", "tasks") || r.startsWith(1, "api", "tasks")) {
            r.expect("GET");
            OwnerId owner = required(caller);
            TaskId taskId = taskId(r.segments.size() == 2 ? "" : r.segment(2));
            return done(provisioning
                    .job(owner, taskId)
                    .map(job -> Reply.json(200, JsonViews.job(job)))
                    .orElseThrow(
                            () -> new HttpProblem(404, "no task '" + HttpProblem.echo(taskId.value()) + "' of yours")));
        }
        if (r.is("api", "autowarm", "status")) {
            r.expect("GET");
            required(caller);
            Optional<TickReport> last = latestReport();
            return done(Reply.json(
                    200,
                    last.<Object>map(JsonViews::tick).orElse(Map.of("status", "no_tick_yet", "clusters", List.of()))));
        }
        if (r.is("api", "autowarm", "reconcile")) {
            r.expect("POST");
            OwnerId owner = required(caller);
            boolean force = r.boolParam("force");
            if (force && !admins.contains(owner)) {
                throw new HttpProblem(
                        403, "force=true bypasses the in-flight lock: it needs an admin identity (elb.http.admins)");
            }
            return onDemand.request(force)
                    .copy()
                    .orTimeout(reconcileWait.toMillis(), TimeUnit.MILLISECONDS)
                    .thenApply(report -> Reply.json(200, JsonViews.tick(report)));
        }
        if (r.startsWith(1, "api", "version-gate")) {
            r.expect("GET");
            ServiceName service = ServiceName.of(r.segment(2));
            return done(Reply.json(200, JsonViews.gate(service.value(), versionGate.check(service))));
        }
        throw new HttpProblem(404, "no such endpoint: " + HttpProblem.echo(r.path()));
    }

    private static CompletableFuture<Reply> done(Reply reply) {
        return CompletableFuture.completedFuture(reply);
    }

    private OwnerId required(Optional<OwnerId> caller) {
        return caller.orElseThrow(
                () -> new HttpProblem(401, "the caller's identity is required (" + identity.describe() + ")"));
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
        private EventStream.Options eventOptions = EventStream.Options.defaults();
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
        public Builder events(JobStateEvents events, JobStateRepository jobs, EventStream.Options options) {
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

        /** Binds and starts serving. */
        public HttpApi start() throws IOException {
            HttpApi api = new HttpApi(this);
            api.server.start();
            log.info("HTTP API listening on {}:{} (identity: {})", host, api.port(), identity.describe());
            return api;
        }
    }
}
