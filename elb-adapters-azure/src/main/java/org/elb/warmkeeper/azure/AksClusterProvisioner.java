package org.elb.warmkeeper.azure;

import com.azure.core.http.HttpMethod;
import com.azure.core.http.HttpRequest;
import com.azure.core.http.HttpResponse;
import com.azure.core.http.rest.Response;
import com.azure.core.management.exception.ManagementException;
import com.azure.core.util.Context;
import com.azure.core.util.FluxUtil;
import com.azure.resourcemanager.containerservice.fluent.ManagedClustersClient;
import com.azure.resourcemanager.containerservice.fluent.models.ManagedClusterInner;
import com.azure.resourcemanager.containerservice.models.AgentPoolMode;
import com.azure.resourcemanager.containerservice.models.ManagedClusterAgentPoolProfile;
import com.azure.resourcemanager.containerservice.models.ManagedClusterIdentity;
import com.azure.resourcemanager.containerservice.models.OSType;
import com.azure.resourcemanager.containerservice.models.ResourceIdentityType;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
import org.elb.warmkeeper.azure.internal.ArmErrors;
import org.elb.warmkeeper.azure.internal.ArmJson;
import org.elb.warmkeeper.core.cluster.Checks;
import org.elb.warmkeeper.core.cluster.ClusterRef;
import org.elb.warmkeeper.core.provision.ActionFollowingProvisioner;
import org.elb.warmkeeper.core.provision.ArmError;
import org.elb.warmkeeper.core.provision.CancelMode;
import org.elb.warmkeeper.core.provision.ErrorClassifier;
import org.elb.warmkeeper.core.provision.JobId;
import org.elb.warmkeeper.core.provision.JobOrigin;
import org.elb.warmkeeper.core.provision.JobState;
import org.elb.warmkeeper.core.provision.ProvisionListener;
import org.elb.warmkeeper.core.provision.ProvisionRequest;
import org.elb.warmkeeper.core.provision.ProvisioningException;
import org.elb.warmkeeper.core.provision.ResumableClusterProvisioner;
import org.elb.warmkeeper.core.provision.TaggedCluster;
import org.elb.warmkeeper.core.provision.TaggingClusterProvisioner;
import org.elb.warmkeeper.core.provision.TaskId;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;

/**
 * Creates AKS managed clusters through Azure Resource Manager.
 *
 * <p><b>Create-only.</b> A create never modifies a cluster that exists: it first reads the cluster (an
 * existing one ends the task failed with {@value #CODE_EXISTS}, {@code name_conflict}, and no PUT is
 * sent), and the PUT carries {@code If-None-Match: *}, so that ARM refuses (412, again
 * {@value #CODE_EXISTS}) a cluster that appeared in between. Once ARM accepted the PUT, the task
 * reports the checkpoint {@link ProvisionListener#KEY_CREATED_BY_JOB}: only such a cluster may later be
 * aborted or deleted by a cancel.
 *
 * <p>{@link #begin} returns a task id at once; on the executor it sends the create (PUT), then polls the
 * operation's {@code Azure-AsyncOperation} URL and the cluster's {@code provisioningState} every
 * {@code pollInterval}. The listener hears {@code started()} when ARM accepts the create, a
 * {@code checkpoint} with the polling URL ({@value #KEY_POLLING_URL}, so that {@link #resume} can follow
 * the operation after a restart), each distinct {@code provisioningState} in order, and exactly one end:
 * succeeded, failed (the ARM error with its nested details, from the refused PUT or from the operation's
 * error body: a failed operation has no result to read) or cancelled (the operation ended
 * {@code Canceled}, e.g. after {@link #abortOperation}). An operation URL that answers 404 (expired) is
 * dropped and the cluster's own {@code provisioningState} decides from then on, so a create that
 * succeeded is never failed for a lost URL. {@link #stop} stops polling without touching
 * Azure. SDK exceptions are wrapped in {@link ProvisioningException} classified by the core
 * {@link ErrorClassifier}.
 *
 * <p><b>Traceable.</b> A create begun with a {@link JobOrigin} carries the ARM tags {@value #TAG_JOB} (the
 * job id) and {@value #TAG_OWNER} (its owner), so {@link #taggedClusters} finds every cluster a job
 * created, and a cluster of the task's name that already carries the task's own job tag is not a conflict:
 * when the read before the PUT finds it, or the PUT answers 409 (another operation is in progress) or 412,
 * the task attaches to the running operation and follows the cluster's {@code provisioningState}.
 *
 * <p><b>One host.</b> Every polling URL is checked before a request with the ARM token is sent to it
 * (live or resumed): a URL that is not on the connection's Resource Manager host is never followed, the
 * cluster's own {@code provisioningState} decides instead, and it is never checkpointed.
 *
 * <p>Build with {@link #builder(ArmConnection)}; {@link #close()} stops the tasks and the executor it
 * made itself.
 */
public final class AksClusterProvisioner
        implements ResumableClusterProvisioner, ActionFollowingProvisioner, TaggingClusterProvisioner, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AksClusterProvisioner.class);

    /** Default time between two polls of an operation. */
    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(30);
    /** Default number of consecutive failed polls after which the task ends failed. */
    public static final int DEFAULT_MAX_POLL_ERRORS = 5;
    /** Default name of the system node pool. */
    public static final String DEFAULT_AGENT_POOL_NAME = "nodepool1";
    /**
     * Default number of threads of the executor the provisioner makes when none is given. Each report runs
     * the listener on the polling thread: with {@code ProvisioningService} that is at most one store round
     * trip (a failed write is queued in the service and retried on its own thread), so a slow store slows
     * polling by its latency and never stalls it; give more threads ({@link Builder#executor}) when many
     * creates run at once against a slow store.
     */
    public static final int DEFAULT_THREADS = 2;
    /** The ARM tag naming the job that created a cluster (its id). */
    public static final String TAG_JOB = "elb-warmkeeper-job";
    /** The ARM tag naming the owner of the job that created a cluster. */
    public static final String TAG_OWNER = "elb-warmkeeper-owner";
    /** Most clusters {@link #taggedClusters} reads per subscription. */
    public static final int MAX_LISTED_CLUSTERS = 10_000;

    /** Checkpoint key: the create operation's polling URL (on the Resource Manager host). */
    public static final String KEY_POLLING_URL = "aks_polling_url";

    /**
     * The code of a create refused because a cluster of that name exists (classified
     * {@code name_conflict}): creates are create-only, an existing cluster is never updated.
     */
    public static final String CODE_EXISTS = "ResourceExists";
    /** The create's {@code If-None-Match} header: create only, never update an existing cluster. */
    static final String IF_NONE_MATCH_ANY = "*";

    private static final Duration MAX_RETRY_AFTER = Duration.ofMinutes(5);
    /** Default bound on {@link #abortOperation} and {@link #deleteCluster}: until ARM accepted the request. */
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(60);

    private final ArmConnection connection;
    private final Duration pollInterval;
    private final Duration requestTimeout;
    private final int maxPollErrors;
    private final String agentPoolName;
    private final Function<ProvisionRequest, String> dnsPrefix;
    private final ScheduledExecutorService executor;
    private final boolean ownsExecutor;
    private final ConcurrentMap<TaskId, Task> tasks = new ConcurrentHashMap<>();

    private AksClusterProvisioner(Builder b) {
        this.connection = b.connection;
        this.pollInterval = b.pollInterval;
        this.requestTimeout = b.requestTimeout;
        this.maxPollErrors = b.maxPollErrors;
        this.agentPoolName = b.agentPoolName;
        this.dnsPrefix = b.dnsPrefix;
        if (b.executor != null) {
            this.executor = b.executor;
            this.ownsExecutor = false;
        } else {
            AtomicInteger n = new AtomicInteger();
            ScheduledThreadPoolExecutor own = new ScheduledThreadPoolExecutor(DEFAULT_THREADS, r -> {
                Thread t = new Thread(r, "aks-provisioner-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
            own.setRemoveOnCancelPolicy(true);
            this.executor = own;
            this.ownsExecutor = true;
        }
    }

    public static Builder builder(ArmConnection connection) {
        return new Builder(connection);
    }

    @Override
    public TaskId begin(ProvisionRequest request, ProvisionListener listener) {
        return enqueue(request, null, listener);
    }

    /** Begins a create whose PUT carries {@code origin} as the tags {@value #TAG_JOB} and {@value #TAG_OWNER}. */
    @Override
    public TaskId begin(ProvisionRequest request, JobOrigin origin, ProvisionListener listener) {
        return enqueue(request, Checks.required(origin, "origin"), listener);
    }

    private TaskId enqueue(ProvisionRequest request, @Nullable JobOrigin origin, ProvisionListener listener) {
        try {
            connection.manager(request.cluster().subscriptionId());
        } catch (IllegalArgumentException e) {
            throw new ProvisioningException(
                    "cannot create " + request.cluster().display() + ": " + e.getMessage(),
                    ErrorClassifier.classify("InvalidParameter", e.getMessage()),
                    e);
        }
        TaskId id = newTaskId();
        Task task = new Task(id, request, listener, null, null);
        task.origin = origin;
        tasks.put(id, task);
        try {
            executor.execute(() -> create(task));
        } catch (RejectedExecutionException e) {
            tasks.remove(id);
            throw new ProvisioningException(
                    "could not enqueue the create of " + request.cluster().display()
                            + ": the provisioner's executor is shut down",
                    ErrorClassifier.classify("EnqueueFailed", "executor rejected the task"),
                    e);
        }
        log.info("create of {} enqueued as task {}", request.cluster().display(), id);
        return id;
    }

    @Override
    public boolean canResume(JobState job) {
        return job.payload().containsKey(KEY_POLLING_URL);
    }

    /**
     * Follows {@code job}'s create again from its persisted polling URL, under its task id. The last
     * published {@code cluster_state} is remembered, so it is not reported twice.
     *
     * @throws ProvisioningException when the row has no polling URL, the URL is not on this connection's
     *     Resource Manager host (a token is never sent elsewhere), or the payload is not a request
     */
    @Override
    public TaskId resume(JobState job, ProvisionListener listener) {
        String url = job.payload().get(KEY_POLLING_URL);
        if (url == null) {
            throw new ProvisioningException("job " + job.id() + " has no '" + KEY_POLLING_URL + "' checkpoint");
        }
        if (!connection.isResourceManagerUrl(url)) {
            throw new ProvisioningException("job " + job.id() + ": the persisted polling URL is not on "
                    + connection.resourceManagerEndpoint() + "; refusing to follow it");
        }
        ProvisionRequest request;
        try {
            request = ProvisionRequest.fromPayload(job.payload());
        } catch (IllegalArgumentException e) {
            throw new ProvisioningException(
                    "job " + job.id() + ": payload is not a provision request: " + e.getMessage(), null, e);
        }
        TaskId id = job.taskId() != null ? job.taskId() : newTaskId();
        Task task = new Task(id, request, listener, url, job.clusterState());
        if (tasks.putIfAbsent(id, task) != null) {
            return id;
        }
        task.report(ProvisionListener::started);
        try {
            executor.execute(() -> poll(task));
        } catch (RejectedExecutionException e) {
            tasks.remove(id, task);
            throw new ProvisioningException(
                    "could not resume job " + job.id() + ": the executor is shut down", null, e);
        }
        log.info(
                "task {} resumed polling the create of {}",
                id,
                request.cluster().display());
        return id;
    }

    @Override
    public boolean stop(TaskId taskId) {
        Task task = tasks.remove(taskId);
        if (task == null) {
            return false;
        }
        task.stop();
        log.info("task {} stopped (polling only; Azure untouched)", taskId);
        return true;
    }

    /**
     * Sends ARM's abort of the cluster's latest operation ({@code POST .../abort}, the request
     * {@code beginAbortLatestOperation} starts with) and returns when ARM accepted it. The cluster then
     * goes {@code Canceling -> Canceled}; a task still polling it ends cancelled. Bounded by the
     * request timeout (default 60 s): an ARM that does not answer fails the call, it never hangs.
     */
    @Override
    public void abortOperation(ClusterRef cluster) {
        try {
            Response<Flux<ByteBuffer>> r = clusters(cluster)
                    .abortLatestOperationWithResponseAsync(cluster.resourceGroup(), cluster.clusterName())
                    .block(requestTimeout);
            drain(r, requestTimeout);
            log.info(
                    "abort of the latest operation on {} accepted ({})",
                    cluster.display(),
                    r == null ? "?" : r.getStatusCode());
        } catch (RuntimeException e) {
            throw ArmErrors.wrap("abort of the latest operation on " + cluster.display(), e);
        }
    }

    /**
     * Sends the delete of the cluster and returns when ARM accepted it (ARM deletes in the background).
     * Bounded by the request timeout (default 60 s).
     */
    @Override
    public void deleteCluster(ClusterRef cluster) {
        try {
            Response<Flux<ByteBuffer>> r = clusters(cluster)
                    .deleteWithResponseAsync(cluster.resourceGroup(), cluster.clusterName(), null)
                    .block(requestTimeout);
            drain(r, requestTimeout);
            log.info("delete of {} accepted ({})", cluster.display(), r == null ? "?" : r.getStatusCode());
        } catch (RuntimeException e) {
            throw ArmErrors.wrap("delete of " + cluster.display(), e);
        }
    }

    /** Polls of the cluster after an abort or a delete at most, before the follow ends {@code Unknown}. */
    public static final int MAX_FOLLOW_POLLS = 2_000;

    /**
     * Polls the cluster every {@code pollInterval} after an accepted abort or delete until the action has
     * ended: an abort when the cluster is no longer {@code Canceling} (its state then: {@code Canceled}, or
     * {@code Succeeded}/{@code Failed} when the create ended anyway); a delete when the cluster is gone
     * ({@value ActionFollowingProvisioner#STATE_DELETED}) or no longer {@code Deleting} ({@code Failed} is
     * reported {@code DeleteFailed}). {@code maxPollErrors} failed polls in a row, or
     * {@value #MAX_FOLLOW_POLLS} polls, end it {@value ActionFollowingProvisioner#STATE_UNKNOWN}.
     */
    @Override
    public void follow(
            ClusterRef cluster, CancelMode action, java.util.function.BiConsumer<String, @Nullable String> ended) {
        Checks.required(cluster, "cluster");
        Checks.required(action, "action");
        Checks.required(ended, "ended");
        Follow f = new Follow(cluster, action, ended);
        try {
            executor.schedule(() -> followPoll(f), pollInterval.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            f.finish(STATE_UNKNOWN, "the provisioner's executor is shut down");
        }
    }

    private void followPoll(Follow f) {
        String still;
        try {
            String state = clusterState(f.cluster);
            f.errors = 0;
            if (state == null) {
                f.finish(
                        f.action == CancelMode.DELETE_CLUSTER ? STATE_DELETED : STATE_UNKNOWN,
                        f.action == CancelMode.DELETE_CLUSTER ? null : "the cluster is gone");
                return;
            }
            String going = f.action == CancelMode.DELETE_CLUSTER ? "Deleting" : "Canceling";
            if (!state.equalsIgnoreCase(going)) {
                boolean deleteFailed = f.action == CancelMode.DELETE_CLUSTER && state.equalsIgnoreCase("Failed");
                f.finish(
                        deleteFailed ? "DeleteFailed" : state,
                        deleteFailed ? "the cluster is Failed, not deleted" : null);
                return;
            }
            still = state;
        } catch (RuntimeException e) {
            ArmError error = ArmErrors.of(e);
            if (++f.errors >= maxPollErrors) {
                f.finish(STATE_UNKNOWN, error.code() + ": " + error.message());
                return;
            }
            still = "unreadable";
        }
        if (++f.polls >= MAX_FOLLOW_POLLS) {
            f.finish(STATE_UNKNOWN, "still " + still + " after " + f.polls + " polls");
            return;
        }
        try {
            executor.schedule(() -> followPoll(f), pollInterval.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            f.finish(STATE_UNKNOWN, "the provisioner's executor is shut down");
        }
    }

    /** One followed abort or delete. */
    private static final class Follow {
        final ClusterRef cluster;
        final CancelMode action;
        final java.util.function.BiConsumer<String, @Nullable String> ended;
        int errors;
        int polls;

        Follow(ClusterRef cluster, CancelMode action, java.util.function.BiConsumer<String, @Nullable String> ended) {
            this.cluster = cluster;
            this.action = action;
            this.ended = ended;
        }

        void finish(String state, @Nullable String error) {
            try {
                ended.accept(state, error);
            } catch (RuntimeException e) {
                log.warn("the {} follow-up listener of {} threw: {}", action, cluster.display(), e.toString());
            }
        }
    }

    /** Task ids being followed now. */
    public java.util.Set<TaskId> runningTasks() {
        return java.util.Set.copyOf(tasks.keySet());
    }

    /** Stops every task; shuts the executor down when the provisioner made it. */
    @Override
    public void close() {
        for (TaskId id : List.copyOf(tasks.keySet())) {
            stop(id);
        }
        if (ownsExecutor) {
            executor.shutdownNow();
        }
    }

    @Override
    public String toString() {
        return "AksClusterProvisioner[" + connection + ", pollInterval=" + pollInterval + ", tasks=" + tasks.size()
                + "]";
    }

    // ---------------------------------------------------------------------------------------------

    private void create(Task task) {
        ClusterRef c = task.request.cluster();
        ExistingCluster existing = existing(task);
        if (existing != null && existing.ours) {
            attach(task, existing.state, "found before the PUT");
            return;
        }
        if (existing != null) {
            ArmError conflict = ArmError.of(
                    CODE_EXISTS,
                    "a cluster named " + c.display() + " already exists; create-only: "
                            + "it was left untouched (no PUT sent)");
            log.info("create of {} refused: the cluster already exists (left untouched)", c.display());
            task.end(l -> l.failed(conflict));
            return;
        }
        byte[] body;
        String pollingUrl;
        try {
            Response<Flux<ByteBuffer>> r = clusters(c)
                    .createOrUpdateWithResponseAsync(
                            c.resourceGroup(),
                            c.clusterName(),
                            managedCluster(task.request, task.origin),
                            null,
                            IF_NONE_MATCH_ANY)
                    .block();
            if (r == null) {
                throw new IllegalStateException("no response to the create");
            }
            body = r.getValue() == null
                    ? new byte[0]
                    : FluxUtil.collectBytesInByteBufferStream(r.getValue()).block();
            pollingUrl = Optional.ofNullable(r.getHeaders().getValue("Azure-AsyncOperation"))
                    .orElse(r.getHeaders().getValue("Location"));
        } catch (RuntimeException e) {
            int status = ArmErrors.status(e);
            if ((status == 409 || status == 412) && task.origin != null) {
                ExistingCluster mine = existing(task);
                if (mine != null && mine.ours) {
                    attach(task, mine.state, "ARM answered " + status + " to the PUT");
                    return;
                }
            }
            ArmError refused = ArmErrors.of(e);
            ArmError error = status == 412
                    ? ArmError.of(
                            CODE_EXISTS,
                            "a cluster named " + c.display() + " already exists (ARM answered 412 to the "
                                    + "create-only PUT, If-None-Match: *): it was left untouched",
                            refused)
                    : refused;
            log.info("create of {} refused by ARM: {}", c.display(), error.code());
            task.end(l -> l.failed(error));
            return;
        }
        Map<?, ?> json = ArmJson.object(body);
        task.report(ProvisionListener::started);
        pollingUrl = followable(task, pollingUrl);
        if (pollingUrl != null) {
            task.pollingUrl = pollingUrl;
        }
        String url = pollingUrl;
        task.report(l -> l.checkpoint(
                url == null
                        ? Map.of(ProvisionListener.KEY_CREATED_BY_JOB, "true")
                        : Map.of(KEY_POLLING_URL, url, ProvisionListener.KEY_CREATED_BY_JOB, "true")));
        String state = ArmJson.provisioningState(json);
        task.publishState(state);
        if (pollingUrl == null && state != null && endIfTerminal(task, state, null)) {
            return;
        }
        task.schedule(() -> poll(task), pollInterval);
    }

    private void poll(Task task) {
        if (task.isOver()) {
            return;
        }
        ClusterRef c = task.request.cluster();
        Duration delay = pollInterval;
        try {
            String status = null;
            ArmError opError = null;
            String url = followable(task, task.pollingUrl);
            if (url == null && task.pollingUrl != null) {
                task.pollingUrl = null;
                task.urlExpired = true; // the cluster's own state decides, as for an expired URL
            }
            if (url != null) {
                try (HttpResponse resp = connection
                        .manager(c.subscriptionId())
                        .httpPipeline()
                        .sendSync(new HttpRequest(HttpMethod.GET, url), Context.NONE)) {
                    int code = resp.getStatusCode();
                    byte[] bytes = resp.getBodyAsBinaryData() == null
                            ? new byte[0]
                            : resp.getBodyAsBinaryData().toBytes();
                    Map<?, ?> json = ArmJson.object(bytes);
                    Duration retryAfter = retryAfter(resp.getHeaderValue("Retry-After"));
                    if (retryAfter != null && retryAfter.compareTo(delay) > 0) {
                        delay = retryAfter;
                    }
                    if (code == 404) {
                        // The operation URL expired or was never kept: the cluster itself says how the create went.
                        log.info(
                                "task {}: the operation URL answered 404; following {}'s provisioningState instead",
                                task.id,
                                c.display());
                        task.pollingUrl = null;
                        task.urlExpired = true;
                        url = null;
                    } else if (code >= 400) {
                        ArmError e = ArmErrors.fromBody(json);
                        throw new PollFailed(
                                e != null
                                        ? e
                                        : ArmError.of(
                                                ArmErrors.codeForStatus(code),
                                                "polling the create operation answered HTTP " + code));
                    } else {
                        status = ArmJson.status(json);
                        if (status == null) {
                            status = code == 202 ? "InProgress" : "Succeeded"; // a Location-style operation
                        }
                        opError = ArmErrors.fromBody(json);
                    }
                }
            }
            String state = clusterState(c);
            if (url == null && state == null && task.urlExpired) {
                throw new PollFailed(ArmError.of(
                        "NotFound", "the create's operation URL expired and " + c.display() + " does not exist"));
            }
            task.errors = 0;
            task.publishState(state);
            String decisive = url != null ? status : state;
            if (decisive != null && endIfTerminal(task, decisive, opError)) {
                return;
            }
            task.report(ProvisionListener::polled); // still going: a (throttled) heartbeat of the job row
        } catch (RuntimeException e) {
            task.errors++;
            ArmError error = e instanceof PollFailed pf ? pf.error : ArmErrors.of(e);
            log.debug("task {}: poll {} of {} failed: {}", task.id, task.errors, maxPollErrors, error.code());
            if (task.errors >= maxPollErrors) {
                log.warn("task {}: {} polls in a row failed; ending failed ({})", task.id, task.errors, error.code());
                task.end(l -> l.failed(error));
                return;
            }
        }
        task.schedule(() -> poll(task), delay);
    }

    private boolean endIfTerminal(Task task, String status, @Nullable ArmError error) {
        switch (status.toLowerCase(Locale.ROOT)) {
            case "succeeded" -> {
                task.end(ProvisionListener::succeeded);
                log.info(
                        "task {}: create of {} succeeded",
                        task.id,
                        task.request.cluster().display());
                return true;
            }
            case "failed" -> {
                ArmError e = error != null
                        ? error
                        : ArmError.of(
                                "OperationFailed",
                                "the create of " + task.request.cluster().display()
                                        + " ended Failed without an error body");
                task.end(l -> l.failed(e));
                log.info(
                        "task {}: create of {} failed: {}",
                        task.id,
                        task.request.cluster().display(),
                        e.code());
                return true;
            }
            case "canceled", "cancelled" -> {
                task.end(ProvisionListener::cancelled);
                log.info(
                        "task {}: create of {} was canceled in Azure",
                        task.id,
                        task.request.cluster().display());
                return true;
            }
            default -> {
                return false;
            }
        }
    }

    /** A cluster of the task's name: its state, and whether it carries the task's own job tag. */
    private record ExistingCluster(@Nullable String state, boolean ours) {}

    /**
     * The cluster of the task's name, or null when there is none (404). When the read fails otherwise the
     * create goes on (null): the PUT's {@code If-None-Match: *} still keeps an existing cluster untouched.
     */
    private @Nullable ExistingCluster existing(Task task) {
        ClusterRef c = task.request.cluster();
        try {
            ManagedClusterInner inner = clusters(c).getByResourceGroup(c.resourceGroup(), c.clusterName());
            if (inner == null) {
                return null;
            }
            Map<String, String> tags = inner.tags();
            JobOrigin origin = task.origin;
            boolean ours =
                    origin != null && tags != null && origin.job().toString().equalsIgnoreCase(tags.get(TAG_JOB));
            return new ExistingCluster(inner.provisioningState(), ours);
        } catch (ManagementException e) {
            if (e.getResponse() != null && e.getResponse().getStatusCode() == 404) {
                return null;
            }
            log.debug(
                    "task {}: reading {} before the create failed ({}); the create-only PUT decides",
                    task.id,
                    c.display(),
                    ArmErrors.of(e).code());
            return null;
        } catch (RuntimeException e) {
            log.debug(
                    "task {}: reading {} before the create failed ({}); the create-only PUT decides",
                    task.id,
                    c.display(),
                    ArmErrors.of(e).code());
            return null;
        }
    }

    /**
     * The cluster exists and carries this task's job tag: an earlier PUT of this job was taken (a retried
     * request, a restart). The task follows the running operation through the cluster's state.
     */
    private void attach(Task task, @Nullable String state, String why) {
        log.info(
                "task {}: {} already carries this job's tag ({}); attaching to its running operation",
                task.id,
                task.request.cluster().display(),
                why);
        task.report(ProvisionListener::started);
        task.report(l -> l.checkpoint(Map.of(ProvisionListener.KEY_CREATED_BY_JOB, "true")));
        task.publishState(state);
        if (state != null && endIfTerminal(task, state, null)) {
            return;
        }
        task.schedule(() -> poll(task), pollInterval);
    }

    /**
     * {@code url} when a request with the ARM token may be sent to it (it is on the connection's Resource
     * Manager host), else null (logged once per task). The one check for every polling URL, live or resumed.
     */
    private @Nullable String followable(Task task, @Nullable String url) {
        if (url == null || connection.isResourceManagerUrl(url)) {
            return url;
        }
        if (!task.foreignUrlSeen) {
            task.foreignUrlSeen = true;
            log.warn(
                    "task {}: the polling URL is not on {}; not following it (the cluster's state decides)",
                    task.id,
                    connection.resourceManagerEndpoint());
        }
        return null;
    }

    /**
     * The clusters in these subscriptions that carry {@value #TAG_JOB} (with a job id) and
     * {@value #TAG_OWNER}: one list call per subscription, at most {@value #MAX_LISTED_CLUSTERS} clusters read
     * from each.
     */
    @Override
    public List<TaggedCluster> taggedClusters(java.util.Set<String> subscriptionIds) {
        Checks.required(subscriptionIds, "subscriptionIds");
        List<TaggedCluster> found = new java.util.ArrayList<>();
        for (String sub : subscriptionIds) {
            int read = 0;
            try {
                for (ManagedClusterInner inner : connection
                        .manager(sub)
                        .serviceClient()
                        .getManagedClusters()
                        .list()) {
                    if (++read > MAX_LISTED_CLUSTERS) {
                        log.warn("listing the clusters of {} stopped after {}", sub, MAX_LISTED_CLUSTERS);
                        break;
                    }
                    TaggedCluster t = tagged(inner);
                    if (t != null) {
                        found.add(t);
                    }
                }
            } catch (RuntimeException e) {
                throw ArmErrors.wrap("listing the clusters of subscription " + sub, e);
            }
        }
        return found;
    }

    private static final java.util.regex.Pattern CLUSTER_ID = java.util.regex.Pattern.compile(
            "/subscriptions/([^/]+)/resourceGroups/([^/]+)/providers/Microsoft\\.ContainerService/managedClusters/([^/]+)",
            java.util.regex.Pattern.CASE_INSENSITIVE);

    private static @Nullable TaggedCluster tagged(ManagedClusterInner inner) {
        Map<String, String> tags = inner.tags();
        if (tags == null || tags.get(TAG_JOB) == null || inner.id() == null) {
            return null;
        }
        java.util.regex.Matcher m = CLUSTER_ID.matcher(inner.id());
        if (!m.matches()) {
            return null;
        }
        try {
            return new TaggedCluster(
                    ClusterRef.of(m.group(1), m.group(2), m.group(3)),
                    JobId.parse(tags.get(TAG_JOB)),
                    Objects.requireNonNullElse(tags.get(TAG_OWNER), ""));
        } catch (IllegalArgumentException e) {
            return null; // a tag someone edited: not ours to report
        }
    }

    private @Nullable String clusterState(ClusterRef c) {
        try {
            ManagedClusterInner inner = clusters(c).getByResourceGroup(c.resourceGroup(), c.clusterName());
            return inner == null ? null : inner.provisioningState();
        } catch (ManagementException e) {
            if (e.getResponse() != null && e.getResponse().getStatusCode() == 404) {
                return null; // not visible yet, or gone after a failed create
            }
            throw e;
        }
    }

    private ManagedClustersClient clusters(ClusterRef c) {
        return connection.manager(c.subscriptionId()).serviceClient().getManagedClusters();
    }

    private ManagedClusterInner managedCluster(ProvisionRequest r, @Nullable JobOrigin origin) {
        ManagedClusterInner inner = new ManagedClusterInner()
                .withDnsPrefix(dnsPrefix.apply(r))
                .withIdentity(new ManagedClusterIdentity().withType(ResourceIdentityType.SYSTEM_ASSIGNED))
                .withAgentPoolProfiles(List.of(new ManagedClusterAgentPoolProfile()
                        .withName(agentPoolName)
                        .withCount(r.nodeCount())
                        .withVmSize(r.vmSize())
                        .withMode(AgentPoolMode.SYSTEM)
                        .withOsType(OSType.LINUX)));
        inner.withLocation(r.region());
        if (origin != null) {
            inner.withTags(Map.of(
                    TAG_JOB, origin.job().toString(), TAG_OWNER, origin.owner().value()));
        }
        if (r.kubernetesVersion() != null) {
            inner.withKubernetesVersion(r.kubernetesVersion());
        }
        return inner;
    }

    /** The default DNS prefix: the cluster name with {@code _} as {@code -}, at most 54 characters. */
    public static String defaultDnsPrefix(ProvisionRequest r) {
        String p = r.cluster().clusterName().replace('_', '-');
        if (p.length() > 54) {
            p = p.substring(0, 54);
        }
        while (p.endsWith("-")) {
            p = p.substring(0, p.length() - 1);
        }
        return p;
    }

    private static TaskId newTaskId() {
        return TaskId.of("aks-" + UUID.randomUUID());
    }

    private static void drain(@Nullable Response<Flux<ByteBuffer>> r, Duration timeout) {
        if (r != null && r.getValue() != null) {
            FluxUtil.collectBytesInByteBufferStream(r.getValue()).block(timeout);
        }
    }

    private static @Nullable Duration retryAfter(@Nullable String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        try {
            long seconds = Long.parseLong(header.strip());
            Duration d = Duration.ofSeconds(Math.max(0, seconds));
            return d.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : d;
        } catch (NumberFormatException e) {
            return null; // an HTTP date: keep the configured interval
        }
    }

    /** A poll answered with an HTTP error. */
    private static final class PollFailed extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final transient ArmError error;

        PollFailed(ArmError error) {
            super(error.code(), null, false, false);
            this.error = error;
        }
    }

    /**
     * One followed create. After {@link #stop} no report starts; one already being delivered finishes (the
     * listener runs outside the task's monitor, so a slow job store never holds up a stop).
     */
    private final class Task {
        final TaskId id;
        final ProvisionRequest request;
        final ProvisionListener listener;
        volatile @Nullable String pollingUrl;
        /** The operation URL answered 404: the cluster's own state decides, and a missing cluster is an error. */
        volatile boolean urlExpired;
        /** The job and owner the create's PUT is tagged with; null when begun without. */
        volatile @Nullable JobOrigin origin;
        /** A polling URL off the Resource Manager host was seen (and not followed). */
        volatile boolean foreignUrlSeen;

        private @Nullable String lastState;
        int errors;
        private boolean stopped;
        private boolean ended;
        private @Nullable ScheduledFuture<?> next;
        /** Orders this task's reports; never taken by {@link #stop}. */
        private final java.util.concurrent.locks.ReentrantLock delivery =
                new java.util.concurrent.locks.ReentrantLock();

        Task(
                TaskId id,
                ProvisionRequest request,
                ProvisionListener listener,
                @Nullable String pollingUrl,
                @Nullable String lastState) {
            this.id = id;
            this.request = request;
            this.listener = listener;
            this.pollingUrl = pollingUrl;
            this.lastState = lastState;
        }

        synchronized boolean isOver() {
            return stopped || ended;
        }

        /**
         * Delivers one report unless the task is over. The listener runs outside the task's monitor (so
         * {@link #stop} never waits for a slow listener); the delivery lock keeps this task's reports in order.
         */
        boolean report(Consumer<ProvisionListener> report) {
            delivery.lock();
            try {
                if (isOver()) {
                    return false;
                }
                try {
                    report.accept(listener);
                } catch (RuntimeException e) {
                    log.warn("task {}: the listener threw: {}", id, e.toString());
                }
                return true;
            } finally {
                delivery.unlock();
            }
        }

        void publishState(@Nullable String state) {
            delivery.lock();
            try {
                if (state != null && !state.equals(lastState) && report(l -> l.clusterState(state))) {
                    lastState = state;
                    log.debug("task {}: {} is {}", id, request.cluster().display(), state);
                }
            } finally {
                delivery.unlock();
            }
        }

        void end(Consumer<ProvisionListener> report) {
            delivery.lock();
            try {
                if (report(report)) {
                    synchronized (this) {
                        ended = true;
                    }
                    tasks.remove(id, this);
                }
            } finally {
                delivery.unlock();
            }
        }

        synchronized void schedule(Runnable poll, Duration delay) {
            if (stopped || ended) {
                return;
            }
            try {
                next = executor.schedule(poll, delay.toNanos(), TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException e) {
                log.warn("task {}: executor shut down; polling ends (the row is resumable)", id);
                stopped = true;
                tasks.remove(id, this);
            }
        }

        synchronized void stop() {
            stopped = true;
            if (next != null) {
                next.cancel(false);
            }
        }
    }

    /** Builder of {@link AksClusterProvisioner}. */
    public static final class Builder {
        private final ArmConnection connection;
        private Duration pollInterval = DEFAULT_POLL_INTERVAL;
        private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
        private int maxPollErrors = DEFAULT_MAX_POLL_ERRORS;
        private String agentPoolName = DEFAULT_AGENT_POOL_NAME;
        private Function<ProvisionRequest, String> dnsPrefix = AksClusterProvisioner::defaultDnsPrefix;
        private @Nullable ScheduledExecutorService executor;

        private Builder(ArmConnection connection) {
            this.connection = Checks.required(connection, "connection");
        }

        /** Time between polls; default {@link #DEFAULT_POLL_INTERVAL} (30 s); a few ms in tests. Must be positive. */
        public Builder pollInterval(Duration pollInterval) {
            Checks.required(pollInterval, "pollInterval");
            if (pollInterval.isNegative() || pollInterval.isZero()) {
                throw new IllegalArgumentException("'pollInterval' must be positive, but was " + pollInterval);
            }
            this.pollInterval = pollInterval;
            return this;
        }

        /**
         * Bound on {@link AksClusterProvisioner#abortOperation} and {@link AksClusterProvisioner#deleteCluster}
         * (until ARM accepted the request); default {@link #DEFAULT_REQUEST_TIMEOUT} (60 s). Must be positive.
         */
        public Builder requestTimeout(Duration requestTimeout) {
            this.requestTimeout = Checks.positive(requestTimeout, "requestTimeout");
            return this;
        }

        /** Consecutive failed polls that end a task failed; default {@value #DEFAULT_MAX_POLL_ERRORS}; at least 1. */
        public Builder maxPollErrors(int maxPollErrors) {
            if (maxPollErrors < 1) {
                throw new IllegalArgumentException("'maxPollErrors' must be at least 1, but was " + maxPollErrors);
            }
            this.maxPollErrors = maxPollErrors;
            return this;
        }

        /** The system node pool's name; default {@value #DEFAULT_AGENT_POOL_NAME}; 1-12 lower-case letters and digits. */
        public Builder agentPoolName(String agentPoolName) {
            this.agentPoolName = Checks.matches(
                    agentPoolName,
                    "agentPoolName",
                    java.util.regex.Pattern.compile("[a-z][a-z0-9]{0,11}"),
                    "1-12 lower-case letters and digits, starting with a letter");
            return this;
        }

        /** The cluster's DNS prefix per request; default {@link #defaultDnsPrefix}. */
        public Builder dnsPrefix(Function<ProvisionRequest, String> dnsPrefix) {
            this.dnsPrefix = Checks.required(dnsPrefix, "dnsPrefix");
            return this;
        }

        /** Runs the creates and polls; default a {@value #DEFAULT_THREADS}-thread daemon scheduler closed by {@link #close()}. */
        public Builder executor(ScheduledExecutorService executor) {
            this.executor = Checks.required(executor, "executor");
            return this;
        }

        public AksClusterProvisioner build() {
            return new AksClusterProvisioner(this);
        }
    }
}
