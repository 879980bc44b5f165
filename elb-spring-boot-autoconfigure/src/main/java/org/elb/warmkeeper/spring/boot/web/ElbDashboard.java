package org.elb.warmkeeper.spring.boot.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.elb.warmkeeper.core.BackendUnavailableException;
import org.elb.warmkeeper.core.ElbException;
import org.elb.warmkeeper.core.Secrets;
import org.elb.warmkeeper.core.cluster.ClusterRef;
import org.elb.warmkeeper.core.cluster.OwnerId;
import org.elb.warmkeeper.core.provision.CancelMode;
import org.elb.warmkeeper.core.provision.CancelOutcome;
import org.elb.warmkeeper.core.provision.ErrorCategory;
import org.elb.warmkeeper.core.provision.ErrorClassification;
import org.elb.warmkeeper.core.provision.ProvisionRefusedException;
import org.elb.warmkeeper.core.provision.ProvisionRequest;
import org.elb.warmkeeper.core.provision.ProvisioningException;
import org.elb.warmkeeper.core.provision.ProvisioningService;
import org.elb.warmkeeper.core.provision.RecentFailedQuery;
import org.elb.warmkeeper.core.provision.TaskId;
import org.elb.warmkeeper.core.version.ServiceName;
import org.elb.warmkeeper.core.version.VersionGateService;
import org.elb.warmkeeper.core.warm.AutoWarmReconciler;
import org.elb.warmkeeper.core.warm.TickReport;
import org.elb.warmkeeper.http.HttpProblem;
import org.elb.warmkeeper.http.QueryString;
import org.elb.warmkeeper.http.StrictJson;
import org.elb.warmkeeper.http.TickViews;
import org.elb.warmkeeper.json.ProvisioningJson;
import org.elb.warmkeeper.json.TickReportJson;
import org.elb.warmkeeper.json.VersionGateJson;
import org.elb.warmkeeper.json.WireJson;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runner's dashboard endpoints without a web framework: each call takes the caller, the decoded
 * parameters and the body, and answers a status and a JSON tree in the library's wire format
 * ({@code elb-json}), with the runner's status codes and error words. {@link ElbDashboardController}
 * puts it on Spring MVC. Reconciles run one at a time on a thread of their own, as in the runner.
 */
public final class ElbDashboard implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ElbDashboard.class);

    /** The largest request body read, as the runner's. */
    public static final int MAX_BODY_BYTES = 64 * 1024;

    /** How long a reconcile request waits for its tick's report before a 503, as the runner's. */
    public static final Duration DEFAULT_RECONCILE_WAIT = Duration.ofSeconds(60);

    /** One answer: the status and the JSON body. */
    public record Reply(int status, JsonNode body) {}

    private final Supplier<ProvisioningService> provisioning;
    private final Supplier<VersionGateService> versionGate;
    private final Supplier<AutoWarmReconciler> reconciler;
    private final Supplier<Optional<TickReport>> scheduledReport;
    private final Set<OwnerId> admins;
    private final Duration reconcileWait;
    private final ExecutorService onDemand = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "elb-reconcile-on-demand");
        t.setDaemon(true);
        return t;
    });
    private @Nullable CompletableFuture<TickReport> running;
    private boolean runningForce;
    private volatile @Nullable TickReport lastOnDemand;

    /**
     * The services are looked up on the first request that needs them (a context that enables the web
     * layer builds no adapter at start for it).
     */
    public ElbDashboard(
            Supplier<ProvisioningService> provisioning,
            Supplier<VersionGateService> versionGate,
            Supplier<AutoWarmReconciler> reconciler,
            Supplier<Optional<TickReport>> scheduledReport,
            Set<OwnerId> admins,
            Duration reconcileWait) {
        this.provisioning = provisioning;
        this.versionGate = versionGate;
        this.reconciler = reconciler;
        this.scheduledReport = scheduledReport;
        this.admins = Set.copyOf(admins);
        this.reconcileWait = reconcileWait;
    }

    /** {@code GET /api/aks/recent-failed-provisions?hours=24&limit=10}. */
    public Reply recentFailed(OwnerId owner, Map<String, String> query) {
        Integer hours = QueryString.intParam(query, "hours");
        Integer limit = QueryString.intParam(query, "limit");
        RecentFailedQuery q = new RecentFailedQuery(
                hours == null ? RecentFailedQuery.DEFAULT_HOURS : hours,
                limit == null ? RecentFailedQuery.DEFAULT_LIMIT : limit);
        return new Reply(200, ProvisioningJson.recentFailed(provisioning.get().recentFailed(owner, q)));
    }

    /** {@code POST /api/aks/provision}: 202 with the task id. */
    public Reply provision(OwnerId owner, byte[] body) {
        JsonNode json = StrictJson.object(body);
        ProvisionRequest request = new ProvisionRequest(
                new ClusterRef(
                        StrictJson.string(json, ProvisionRequest.KEY_SUBSCRIPTION),
                        StrictJson.string(json, ProvisionRequest.KEY_RESOURCE_GROUP),
                        StrictJson.string(json, ProvisionRequest.KEY_CLUSTER)),
                StrictJson.string(json, ProvisionRequest.KEY_REGION),
                StrictJson.string(json, ProvisionRequest.KEY_VM_SIZE),
                StrictJson.integer(json, ProvisionRequest.KEY_NODE_COUNT),
                StrictJson.optionalString(json, ProvisionRequest.KEY_KUBERNETES_VERSION));
        return new Reply(202, ProvisioningJson.accepted(provisioning.get().provision(owner, request)));
    }

    /** {@code POST /api/aks/provision/{taskId}/cancel?mode=stop|abort_operation|delete_cluster}. */
    public Reply cancel(OwnerId owner, String rawTaskId, Map<String, String> query) {
        TaskId taskId = taskId(rawTaskId);
        CancelOutcome outcome = provisioning.get().cancel(owner, taskId, cancelMode(query.get("mode")));
        if (outcome.result() == CancelOutcome.Result.NOT_FOUND) {
            ObjectNode body = WireJson.object();
            body.put("error", "no task '" + HttpProblem.echo(taskId.value()) + "' of yours");
            body.setAll(ProvisioningJson.cancel(outcome));
            return new Reply(404, body);
        }
        return new Reply(200, ProvisioningJson.cancel(outcome));
    }

    /** {@code GET /api/tasks/{taskId}}: the caller's own job row. */
    public Reply task(OwnerId owner, String rawTaskId) {
        TaskId taskId = taskId(rawTaskId);
        return provisioning
                .get()
                .job(owner, taskId)
                .map(job -> new Reply(200, ProvisioningJson.job(job)))
                .orElseThrow(() -> new HttpProblem(404, "no task '" + HttpProblem.echo(taskId.value()) + "' of yours"));
    }

    /** {@code GET /api/autowarm/status}: the newer tick report, without raw error text ({@link TickViews}). */
    public Reply status() {
        Optional<TickReport> last = latestReport();
        if (last.isPresent()) {
            return new Reply(200, TickViews.forEveryone(last.get()));
        }
        ObjectNode none = WireJson.object();
        none.put("status", "no_tick_yet");
        none.putArray("clusters");
        return new Reply(200, none);
    }

    /** {@code POST /api/autowarm/reconcile?force=false}: one tick now, single-flight; {@code force} needs an admin. */
    public Reply reconcile(OwnerId owner, Map<String, String> query) throws TimeoutException {
        boolean force = QueryString.boolParam(query, "force");
        if (force && !admins.contains(owner)) {
            throw new HttpProblem(
                    403, "force=true bypasses the in-flight lock: it needs an admin identity (elb.http.admins)");
        }
        CompletableFuture<TickReport> tick = request(force);
        try {
            return new Reply(200, TickReportJson.encode(tick.get(reconcileWait.toMillis(), TimeUnit.MILLISECONDS)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HttpProblem(503, "interrupted while the reconcile ran");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(cause);
        }
    }

    /** {@code GET /api/version-gate/{service}}. */
    public Reply versionGate(String service) {
        ServiceName name = ServiceName.of(service);
        return new Reply(
                200, VersionGateJson.gate(name.value(), versionGate.get().check(name)));
    }

    /** The answer to a failed call, as the runner gives it (no secret, no stack). */
    public Reply failure(Throwable e, String method, String path) {
        if (e instanceof HttpProblem p) {
            return new Reply(p.status(), p.json());
        }
        if (e instanceof IllegalArgumentException) {
            return error(400, HttpProblem.bounded(String.valueOf(e.getMessage())));
        }
        if (e instanceof ProvisionRefusedException refused) {
            return new Reply(ProvisioningJson.refusalStatus(refused), ProvisioningJson.refused(refused));
        }
        if (e instanceof ProvisioningException pe && pe.classification().isPresent()) {
            ErrorClassification c = pe.classification().get();
            int status = c.category() == ErrorCategory.NAME_CONFLICT ? 409 : c.retryable() ? 503 : 422;
            return new Reply(status, ProvisioningJson.classifiedError(c));
        }
        String shown = HttpProblem.echo(path);
        if (e instanceof ElbException) {
            log.warn("{} {} failed: {}", method, shown, e.toString());
            ObjectNode body = WireJson.object();
            body.put("error", "backend unavailable");
            if (e instanceof BackendUnavailableException b) {
                body.put("backend", b.backend());
            }
            return new Reply(503, body);
        }
        if (e instanceof TimeoutException) {
            return error(
                    503,
                    "the reconcile is still running after " + reconcileWait
                            + "; GET /api/autowarm/status shows its report when it is done");
        }
        if (e instanceof java.io.IOException || e instanceof JsonProcessingException) {
            return error(400, "the request could not be read");
        }
        log.error("{} {} failed: {}", method, shown, Secrets.masked(e.toString()));
        log.debug("{} {} failed", method, shown, e);
        return error(500, "internal error");
    }

    private static Reply error(int status, String message) {
        ObjectNode body = WireJson.object();
        body.put("error", message);
        return new Reply(status, body);
    }

    private synchronized CompletableFuture<TickReport> request(boolean force) {
        CompletableFuture<TickReport> now = running;
        if (now != null && !now.isDone()) {
            if (runningForce != force) {
                throw new HttpProblem(
                        409, "a reconcile with force=" + runningForce + " is running; retry when it is done");
            }
            return now;
        }
        CompletableFuture<TickReport> tick = CompletableFuture.supplyAsync(
                () -> {
                    TickReport r = reconciler.get().tick(force);
                    lastOnDemand = r;
                    return r;
                },
                onDemand);
        running = tick;
        runningForce = force;
        return tick;
    }

    /** The newer of the scheduled and the on-demand tick's report (the event streams' ticks). */
    Optional<TickReport> latestReport() {
        TickReport onDemandReport = lastOnDemand;
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

    static TaskId taskId(String raw) {
        if (raw.isEmpty()) {
            throw HttpProblem.badRequest(
                    "the task id is missing: use /api/aks/provision/{taskId}/cancel or /api/tasks/{taskId}");
        }
        try {
            return TaskId.of(raw);
        } catch (IllegalArgumentException e) {
            throw HttpProblem.badRequest("'taskId' must be 1-200 printable ASCII characters without whitespace, but"
                    + " was '" + HttpProblem.echo(raw) + "'");
        }
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

    /** Stops the on-demand thread (a running tick is interrupted). */
    @Override
    public void close() {
        onDemand.shutdownNow();
    }
}
