package org.elb.warmkeeper.core.provision;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;
import org.elb.warmkeeper.core.cluster.Checks;
import org.elb.warmkeeper.core.cluster.ClusterRef;
import org.elb.warmkeeper.core.cluster.OwnerId;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * AKS provisioning with durable job state.
 *
 * <ul>
 *   <li>{@link #provision}: writes a queued row <em>before</em> enqueuing, stamps the task id after;
 *       a store failure never fails the call: the write is queued and retried (below);
 *   <li>provisioner progress becomes compare-and-set updates of the row, re-read and retried on a
 *       stale version, so none is lost or reordered; terminal rows never change;
 *   <li>{@link #recentFailed}: owner-scoped, newest first, {@code degraded=true} with an empty list
 *       when the store fails;
 *   <li>{@link #cancel}: owner-scoped (another owner gets NOT_FOUND), stops polling, optionally aborts
 *       the ARM operation or deletes the partial cluster &mdash; only a cluster this job created (its row
 *       carries {@link ProvisionListener#KEY_CREATED_BY_JOB}); for any other the action is not sent and
 *       {@link #NOT_CREATED_BY_JOB} is recorded &mdash; and links to the cluster in the Azure portal when
 *       a {@code cluster_state} had been published.
 * </ul>
 *
 * <p><b>Nothing accepted is lost.</b> Every job-state write (row create, task-id stamp, each provisioner
 * report, the terminal report, the cancel) runs at once on the caller's thread; when the store fails it
 * is queued and retried until the store takes it &mdash; in order per job (a job's later writes wait
 * behind its first failed one), with a backoff from {@link Builder#writeRetry} (default 0.5 s doubling to
 * 30 s), at most {@link Builder#maxPendingWrites} waiting, counted ({@link #pendingWrites},
 * {@link #recoveredWrites}, {@link #droppedWrites}, {@link ProvisioningObserver#stateWriteFailed}) and
 * logged once per outage. After the store returns, every accepted provision has its row in its latest
 * state without a restart, each write with the time it was made. Meanwhile the task stays cancellable by
 * its task id in this process. The window that can still lose a write is a process crash while writes
 * wait (they live in memory): the dead-job sweep then ends such a row {@value #CODE_INTERRUPTED}, or a
 * row never written is missing.
 *
 * <p><b>Policy.</b> {@link #provision} first checks the {@link ProvisionPolicy} (scopes, regions, VM sizes,
 * node count, then the owner's provisions under way, the queue of creates ARM has not taken, and the
 * owner's rate); a refusal is a {@link ProvisionRefusedException} naming the rule and its limit, counted
 * by rule ({@link ProvisioningObserver#provisionRefused}), with no row written and nothing sent. A
 * provision's slot is freed when it ends, and the task is then forgotten: this process keeps an entry
 * only per provision under way.
 *
 * <p><b>Cancel</b> records {@value #KEY_CANCEL_REQUESTED} in the row before it stops anything (when the
 * store fails and the task is not this process's, nothing is stopped and the store's error propagates);
 * a cancelled row published through {@link JobStateEvents} stops the task on the replica that polls it.
 */
public final class ProvisioningService implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ProvisioningService.class);

    /** The job type the dashboard queries. */
    public static final String JOB_TYPE = "aks_provision";
    /** Default Azure portal base URL. */
    public static final String DEFAULT_PORTAL_URL = "https://portal.azure.com";
    /** Payload key recording a cancel's ARM action and its result. */
    public static final String KEY_CANCEL_ACTION = "cancel_action";

    public static final String KEY_CANCEL_ACTION_ERROR = "cancel_action_error";
    /**
     * Payload key: how the cancel's abort or delete stands: {@code accepted} when ARM took it, then its
     * final state once followed to the end (with an {@code ActionFollowingProvisioner}).
     */
    public static final String KEY_CANCEL_ACTION_STATE = "cancel_action_state";
    /**
     * The {@value #KEY_CANCEL_ACTION_ERROR} of an abort or delete that was not sent because the job did not
     * create the cluster (its row lacks {@link ProvisionListener#KEY_CREATED_BY_JOB}).
     */
    public static final String NOT_CREATED_BY_JOB =
            "not sent: this job did not create the cluster (it existed before, or the create never reached Azure)";
    /** The error code of a row whose worker stopped with nothing to resume ({@link #resumeUnfinished}). */
    public static final String CODE_INTERRUPTED = "Interrupted";

    /**
     * Payload key: a cancel was requested (its mode); written with a compare-and-set before anything is
     * stopped or sent, it fences the row ({@link JobTransitions}).
     */
    public static final String KEY_CANCEL_REQUESTED = JobTransitions.FENCE_KEY;
    /** The error code of a row still unfinished after {@link SweepPolicy#maxAge} ({@link #sweep}). */
    public static final String CODE_TIMED_OUT = "TimedOut";
    /** Default least time between two heartbeats of one job while its create is polled. */
    public static final Duration DEFAULT_HEARTBEAT_INTERVAL = Duration.ofSeconds(60);
    /** Default first wait before a failed job-state write is retried; it doubles up to {@link #DEFAULT_WRITE_RETRY_MAX}. */
    public static final Duration DEFAULT_WRITE_RETRY_MIN = Duration.ofMillis(500);
    /** Default longest wait between two retries of a failed job-state write. */
    public static final Duration DEFAULT_WRITE_RETRY_MAX = Duration.ofSeconds(30);
    /** Default largest number of job-state writes waiting for the store. */
    public static final int DEFAULT_MAX_PENDING_WRITES = 100_000;

    private static final int MAX_CAS_ATTEMPTS = 16;

    private final JobStateRepository repository;
    private final ClusterProvisioner provisioner;
    private final JobStateEvents events;
    private final ProvisioningObserver observer;
    private final Clock clock;
    private final String portalUrl;
    private final @Nullable String tenant;
    private final JobWrites writes;
    private final Duration heartbeatInterval;
    private final ProvisionPolicy policy;
    private final ProvisionQuotas quotas;
    /** Tasks this process follows, by task id: cancellable even while their rows wait for the store. */
    private final ConcurrentMap<TaskId, LocalJob> local = new ConcurrentHashMap<>();

    private final JobStateEvents.Subscription subscription;

    /** A job this process follows. */
    private static final class LocalJob {
        final JobId jobId;
        final OwnerId owner;
        final ClusterRef cluster;
        /** The provisioner reported {@link ProvisionListener#KEY_CREATED_BY_JOB}. */
        volatile boolean created;
        /** The last heartbeat written. */
        volatile @Nullable Instant lastBeat;
        /** The task id, once the provisioner gave it. */
        volatile @Nullable TaskId taskId;
        /** How the create ended, once the provisioner reported it and its row write was made (or queued). */
        volatile @Nullable JobStatus ended;

        LocalJob(JobId jobId, OwnerId owner, ClusterRef cluster) {
            this.jobId = jobId;
            this.owner = owner;
            this.cluster = cluster;
        }
    }

    private ProvisioningService(Builder b) {
        this.repository = b.repository;
        this.provisioner = b.provisioner;
        this.events = b.events;
        this.observer = b.observer;
        this.clock = b.clock;
        this.portalUrl = b.portalUrl;
        this.tenant = b.tenant;
        this.heartbeatInterval = b.heartbeatInterval;
        this.policy = b.policy;
        this.quotas = new ProvisionQuotas(b.policy, b.clock);
        this.writes = new JobWrites(b.writeRetryMin, b.writeRetryMax, b.maxPendingWrites, b.observer, b.writeExecutor);
        this.subscription = subscribe(events);
    }

    private JobStateEvents.Subscription subscribe(JobStateEvents events) {
        try {
            return events.subscribe(this::onChange);
        } catch (RuntimeException e) {
            log.warn(
                    "job-state events unavailable ({}): a cancel on another replica reaches this one's poller only "
                            + "through the sweep",
                    e.toString());
            return () -> {};
        }
    }

    /** A cancel recorded by another replica reaches the task this process polls: it stops. */
    private void onChange(JobStateChange change) {
        TaskId taskId = change.taskId();
        if (change.status() == JobStatus.CANCELLED && taskId != null && forget(taskId) != null) {
            try {
                if (provisioner.stop(taskId)) {
                    log.info("task {} stopped: its job {} was cancelled", taskId, change.jobId());
                }
            } catch (RuntimeException e) {
                log.warn("stopping task {} failed: {}", taskId, e.toString());
            }
        }
    }

    /** Stops following {@code taskId} here and frees its policy slot; the job it followed, if any. */
    private @Nullable LocalJob forget(TaskId taskId) {
        LocalJob job = local.remove(taskId);
        if (job != null) {
            quotas.release(job.jobId);
        }
        return job;
    }

    /**
     * The provision ended ({@link LocalJob#ended} is set): its slot is freed and its entry dropped (a
     * terminal task is not kept), unless its row's end still waits for the store: a cancel meanwhile must
     * learn from the entry that the create ended, so the entry stays until {@link #dropFinished} finds
     * its writes done.
     */
    private void finished(LocalJob job) {
        quotas.release(job.jobId);
        TaskId id = job.taskId;
        if (id != null && !writes.isPending(job.jobId)) {
            local.remove(id, job);
        }
    }

    /** Drops the entries of ended tasks whose row writes have all landed (left by {@link #finished}). */
    private void dropFinished() {
        local.entrySet().removeIf(e -> e.getValue().ended != null && !writes.isPending(e.getValue().jobId));
    }

    /** Tasks this process follows now (each holds an entry until its provision ends). */
    public int followedTasks() {
        return local.size();
    }

    /** Provisions under way that count against the policy's quotas in this process. */
    public int activeProvisions() {
        return quotas.active();
    }

    /** Owners with a provision under way in this process. */
    public int activeOwners() {
        return quotas.owners();
    }

    /** Creates accepted and not yet taken by ARM ({@link ProvisionPolicy#maxQueued()}). */
    public int queuedCreates() {
        return quotas.queued();
    }

    /** Owners whose rate window is remembered ({@link ProvisionPolicy#maxTrackedOwners()} at most). */
    public long rateWindows() {
        return quotas.rateWindows();
    }

    /** The policy {@link #provision} checks. */
    public ProvisionPolicy policy() {
        return policy;
    }

    /** Job-state writes waiting for the store now. */
    public int pendingWrites() {
        return writes.pendingCount();
    }

    /** Job-state writes that failed first and that the store took on a retry, since start. */
    public long recoveredWrites() {
        return writes.recoveredCount();
    }

    /** Job-state writes dropped because too many were waiting, since start. */
    public long droppedWrites() {
        return writes.droppedCount();
    }

    /** Stops retrying waiting writes (they are lost, logged) and unsubscribes from job-state events. */
    @Override
    public void close() {
        try {
            writes.close(); // first: unsubscribing below may throw, or wait on an event transport going away
        } finally {
            subscription.close();
        }
    }

    public static Builder builder(JobStateRepository repository, ClusterProvisioner provisioner) {
        return new Builder(repository, provisioner);
    }

    /**
     * Checks the {@link ProvisionPolicy}, records a queued job, begins the create and stamps the task id.
     *
     * @throws ProvisionRefusedException when the policy refuses (nothing written, nothing sent)
     * @throws ProvisioningException when the provisioner could not begin (the row, if written, is failed)
     */
    public ProvisionAccepted provision(OwnerId owner, ProvisionRequest request) {
        Checks.required(owner, "owner");
        Checks.required(request, "request");
        JobId jobId = JobId.random();
        try {
            Optional<ProvisionRefusedException> broken = policy.check(request);
            if (broken.isPresent()) {
                throw broken.get();
            }
            quotas.admit(owner, jobId);
        } catch (ProvisionRefusedException refused) {
            observer.provisionRefused(refused.rule());
            log.info(
                    "provision of {} refused by the policy ({}, limit {})",
                    request.cluster().display(),
                    refused.rule().wireName(),
                    refused.limit());
            throw refused;
        }
        observer.provisionRequested(request);
        NewJob row = new NewJob(jobId, JOB_TYPE, owner, request.toPayload(), clock.instant());
        java.util.concurrent.atomic.AtomicBoolean retry = new java.util.concurrent.atomic.AtomicBoolean();
        boolean recorded = writes.submit(jobId, "create", () -> {
            if (retry.getAndSet(true) && repository.get(jobId).isPresent()) {
                return; // an earlier attempt landed although it failed to answer
            }
            publish(repository.create(row));
        });

        LocalJob job = new LocalJob(jobId, owner, request.cluster());
        TaskId taskId;
        try {
            taskId = provisioner instanceof TaggingClusterProvisioner tagging
                    ? tagging.begin(request, new JobOrigin(jobId, owner), new RowListener(job))
                    : provisioner.begin(request, new RowListener(job));
        } catch (RuntimeException e) {
            quotas.release(jobId);
            ErrorClassification c =
                    e instanceof ProvisioningException pe && pe.classification().isPresent()
                            ? pe.classification().get()
                            : ErrorClassifier.classify("EnqueueFailed", e.getMessage());
            write(
                    jobId,
                    "update",
                    current -> Optional.of(JobUpdate.status(JobStatus.FAILED).withError(c)));
            observer.provisionEnded(JobStatus.FAILED, c.category());
            throw e instanceof ProvisioningException pe
                    ? pe
                    : new ProvisioningException(
                            "could not begin provisioning " + request.cluster().display(), c, e);
        }
        job.taskId = taskId;
        local.put(taskId, job);
        if (job.ended != null) {
            finished(job); // it ended before begin returned
        }
        recorded = write(jobId, "stamp_task_id", current -> Optional.of(JobUpdate.taskId(taskId))) && recorded;
        log.info(
                "provision of {} accepted: task {}{}",
                request.cluster().display(),
                taskId,
                recorded ? "" : " (its job row waits for the store)");
        return new ProvisionAccepted(taskId, jobId, recorded);
    }

    /**
     * The caller's failed provisions of the last {@code hours} (default 24, at most 168), at most
     * {@code limit} (default 10, at most 20), newest first.
     *
     * @throws IllegalArgumentException for a non-positive {@code hours} or {@code limit}
     */
    public RecentFailedProvisions recentFailed(OwnerId owner, @Nullable Integer hours, @Nullable Integer limit) {
        return recentFailed(owner, RecentFailedQuery.of(hours, limit));
    }

    public RecentFailedProvisions recentFailed(OwnerId owner, RecentFailedQuery query) {
        Checks.required(owner, "owner");
        Checks.required(query, "query");
        try {
            List<JobState> rows = repository.recentFailed(owner, JOB_TYPE, query.since(clock.instant()), query.limit());
            return new RecentFailedProvisions(
                    rows.stream().map(FailedProvision::of).toList(), false);
        } catch (RuntimeException e) {
            observer.recentFailedDegraded(e);
            log.warn("recent failed provisions degraded: {}", e.toString());
            return RecentFailedProvisions.degradedEmpty();
        }
    }

    /** The caller's job with this task id. Store failures propagate as {@link JobStoreException}. */
    public Optional<JobState> job(OwnerId owner, TaskId taskId) {
        return repository.findByTaskId(taskId, owner);
    }

    /**
     * Cancels the caller's job with this task id. Another owner's job is NOT_FOUND. A finished job is
     * ALREADY_FINISHED and unchanged.
     *
     * <p>The cancel is <b>fenced</b>: it first records {@value #KEY_CANCEL_REQUESTED} on the live row with a
     * compare-and-set ({@link JobTransitions}); only then does it stop polling and send the abort or
     * delete. A fenced row can only end cancelled: a success or failure the create reports afterwards is
     * kept in the payload ({@link JobTransitions#KEY_REPORTED_OUTCOME}) instead of ending the row. So no
     * abort or delete is sent once success is recorded (the fence's compare-and-set fails on a terminal
     * row: ALREADY_FINISHED), and a caller whose cancel sent one is always told CANCELLED.
     *
     * <p>When the store fails: the cancel of another replica's task, or an abort or delete, stops and sends
     * nothing and the store's error propagates as {@link JobStoreException} (retry the cancel); a STOP of a
     * task this process polls stops it at once and queues the fence and the cancelled row.
     */
    public CancelOutcome cancel(OwnerId owner, TaskId taskId, CancelMode mode) {
        Checks.required(owner, "owner");
        Checks.required(taskId, "taskId");
        Checks.required(mode, "mode");
        LocalJob mine = local.get(taskId);
        if (mine != null && !mine.owner.equals(owner)) {
            mine = null;
        }
        Optional<JobState> found;
        RuntimeException storeError = null;
        try {
            found = repository.findByTaskId(taskId, owner);
            if (found.isEmpty() && mine != null) {
                found = repository.get(mine.jobId);
            }
        } catch (RuntimeException e) {
            if (mine == null) {
                throw e; // nothing stopped: the cancel can be retried
            }
            storeError = e;
            found = Optional.empty();
        }
        if (found.isEmpty() && mine == null) {
            return CancelOutcome.notFound(mode);
        }
        @Nullable JobState job = found.orElse(null);
        if (job != null && job.status().isTerminal()) {
            return outcome(CancelOutcome.Result.ALREADY_FINISHED, job, mode, null);
        }
        if (mine != null && mine.ended != null) {
            // This process heard the create end and wrote (or queued) its row: read it again.
            @Nullable JobState ended = job;
            try {
                ended = repository.get(mine.jobId).orElse(job);
            } catch (RuntimeException e) {
                log.debug("cancel of task {}: the ended row waits for the store ({})", taskId, e.toString());
            }
            return ended == null
                    ? new CancelOutcome(CancelOutcome.Result.ALREADY_FINISHED, null, false, null, mode, null)
                    : outcome(CancelOutcome.Result.ALREADY_FINISHED, ended, mode, null);
        }
        // Without a row, the task is local (the not-found case returned above).
        JobId id = job != null ? job.id() : java.util.Objects.requireNonNull(mine, "local task").jobId;

        // 1. The fence: a compare-and-set on the live row, before anything is stopped or sent.
        Function<JobState, Optional<JobUpdate>> fence = CancelFence.request(mode);
        Instant requestedAt = clock.instant();
        Optional<JobState> fenced = Optional.empty();
        if (storeError == null) {
            try {
                fenced = tryTransition(id, fence, requestedAt, "cancel_request");
                if (fenced.isEmpty()) {
                    Optional<JobState> now = repository.get(id);
                    if (now.isPresent() && now.get().status().isTerminal()) {
                        return outcome(CancelOutcome.Result.ALREADY_FINISHED, now.get(), mode, null);
                    }
                }
            } catch (RuntimeException e) {
                storeError = e;
            }
        }
        if (fenced.isEmpty()) {
            return cancelUnfenced(taskId, id, job, mine, mode, fence, requestedAt, storeError);
        }
        job = fenced.get();

        // 2. Stop polling (here, or on the replica that polls: it hears the cancelled row).
        stopTask(taskId);

        // 3. The ARM action, only on a cluster this job created.
        CancelFence.Action action = CancelFence.Action.NONE;
        boolean created = createdByJob(job) || (mine != null && mine.created);
        @Nullable String actionError = null;
        @Nullable ClusterRef follow = null;
        if (mode != CancelMode.STOP && !created) {
            actionError = NOT_CREATED_BY_JOB;
            log.info("cancel of job {}: {} not sent: {}", id, mode, actionError);
        } else if (mode != CancelMode.STOP) {
            ClusterRef cluster = mine != null ? mine.cluster : clusterOf(job);
            try {
                if (mode == CancelMode.ABORT_OPERATION) {
                    provisioner.abortOperation(cluster);
                } else {
                    provisioner.deleteCluster(cluster);
                }
                action = CancelFence.Action.ACCEPTED;
                follow = cluster;
            } catch (RuntimeException e) {
                actionError = ErrorClassification.bounded(
                        e.getMessage() == null ? e.toString() : e.getMessage(), ErrorClassification.MAX_MESSAGE_CHARS);
                action = CancelFence.Action.FAILED;
                log.warn("{} of job {} failed: {}", mode, id, actionError);
            }
        }

        // 4. The cancelled row: the fence lets nothing else end it, so it lands (retried while the store fails).
        JobUpdate cancelled = CancelFence.cancelled(mode, action, actionError);
        Instant at = clock.instant();
        java.util.concurrent.atomic.AtomicReference<Optional<JobState>> landed =
                new java.util.concurrent.atomic.AtomicReference<>(Optional.empty());
        writes.submit(
                id, "cancel", () -> landed.set(tryTransition(id, current -> Optional.of(cancelled), at, "cancel")));
        if (follow != null) {
            followAction(id, follow, mode); // after the cancelled row, so its end is recorded last
        }
        observer.provisionEnded(JobStatus.CANCELLED, ErrorCategory.CANCELLED);
        JobState before = job;
        JobState latest = java.util.Objects.requireNonNullElse(landed.get(), Optional.<JobState>empty())
                .orElseGet(() -> before.rejection(cancelled).isPresent() ? before : before.apply(cancelled, at));
        return outcome(CancelOutcome.Result.CANCELLED, latest, mode, actionError);
    }

    /**
     * The fence could not be recorded now (the store failed, or the row is not written yet): an abort or
     * delete is not sent and nothing is stopped (the caller retries); a STOP of a local task stops it and
     * queues the fence and the cancelled row behind the job's waiting writes.
     */
    private CancelOutcome cancelUnfenced(
            TaskId taskId,
            JobId id,
            @Nullable JobState job,
            @Nullable LocalJob mine,
            CancelMode mode,
            Function<JobState, Optional<JobUpdate>> fence,
            Instant requestedAt,
            @Nullable RuntimeException storeError) {
        if (mine == null || mode != CancelMode.STOP) {
            throw new JobStoreException(
                    "job-state",
                    "cancel",
                    "the cancel of job " + id + " could not be recorded before "
                            + (mode == CancelMode.STOP ? "stopping its task" : "sending the " + mode)
                            + "; nothing was stopped or sent, retry the cancel",
                    storeError == null ? new IllegalStateException("fence not recorded") : storeError);
        }
        log.warn(
                "cancel of task {}: the store failed ({}); stopping the local task, the cancel is queued",
                taskId,
                storeError == null ? "the row waits for the store" : storeError.toString());
        JobUpdate cancelled = CancelFence.cancelled(mode, CancelFence.Action.NONE, null);
        Instant at;
        // The lock orders this against the task's own end (RowListener): a report made before the fence was
        // queued lands first and the row ends as reported (ALREADY_FINISHED); one made after it lands on
        // the fenced row and is kept in its payload.
        synchronized (mine) {
            writes.submit(id, "cancel_request", () -> tryTransition(id, fence, requestedAt, "cancel_request"));
            stopTask(taskId);
            if (mine.ended != null) {
                return job == null
                        ? new CancelOutcome(CancelOutcome.Result.ALREADY_FINISHED, null, false, null, mode, null)
                        : outcome(CancelOutcome.Result.ALREADY_FINISHED, job, mode, null);
            }
            at = clock.instant();
            writes.submit(id, "cancel", () -> tryTransition(id, current -> Optional.of(cancelled), at, "cancel"));
        }
        observer.provisionEnded(JobStatus.CANCELLED, ErrorCategory.CANCELLED);
        if (job == null) {
            return new CancelOutcome(CancelOutcome.Result.CANCELLED, null, false, null, mode, null);
        }
        JobState fencedRow = job.apply(fence.apply(job).orElseThrow(), requestedAt);
        return outcome(CancelOutcome.Result.CANCELLED, fencedRow.apply(cancelled, at), mode, null);
    }

    /** Stops the task here (it is forgotten and its policy slot freed) or on the replica that polls it. */
    private void stopTask(TaskId taskId) {
        forget(taskId);
        try {
            provisioner.stop(taskId);
        } catch (RuntimeException e) {
            log.warn("stopping task {} failed: {}", taskId, e.toString());
        }
    }

    /**
     * Call on start: follows every queued or running {@value #JOB_TYPE} row again, so that none stays
     * running forever. A row the provisioner can resume (it is a {@link ResumableClusterProvisioner} and
     * the row holds its checkpoint) is resumed. Any other row whose last update ({@code updatedAt}, the
     * heartbeat) is older than {@code heartbeatWindow} is marked failed with code
     * {@value #CODE_INTERRUPTED}; a younger one is left alone (another worker may still own it). A row
     * whose resume fails is treated as one with nothing to resume.
     *
     * @throws JobStoreException when the unfinished rows cannot be read
     * @throws IllegalArgumentException when {@code heartbeatWindow} is not positive
     */
    public ResumeReport resumeUnfinished(java.time.Duration heartbeatWindow) {
        Checks.required(heartbeatWindow, "heartbeatWindow");
        if (heartbeatWindow.isNegative() || heartbeatWindow.isZero()) {
            throw new IllegalArgumentException("'heartbeatWindow' must be positive, but was " + heartbeatWindow);
        }
        java.time.Instant staleBefore = clock.instant().minus(heartbeatWindow);
        List<JobId> resumed = new java.util.ArrayList<>();
        List<JobId> interrupted = new java.util.ArrayList<>();
        List<JobId> untouched = new java.util.ArrayList<>();
        for (JobState job : repository.findUnfinished(JOB_TYPE)) {
            String why = "the worker stopped before the provision ended and left nothing to resume";
            if (job.fenced()) {
                why = "a cancel was recorded but did not end the job";
            } else if (provisioner instanceof ResumableClusterProvisioner resumable && resumable.canResume(job)) {
                try {
                    LocalJob followed = new LocalJob(job.id(), job.owner(), clusterOf(job));
                    followed.created = createdByJob(job);
                    TaskId taskId = resumable.resume(job, new RowListener(followed));
                    follow(taskId, followed);
                    if (job.taskId() == null) {
                        write(job.id(), "stamp_task_id", current -> Optional.of(JobUpdate.taskId(taskId)));
                    }
                    resumed.add(job.id());
                    log.info("job {} resumed as task {}", job.id(), taskId);
                    continue;
                } catch (RuntimeException e) {
                    why = "resuming failed: " + (e.getMessage() == null ? e.toString() : e.getMessage());
                    log.warn("job {}: {}", job.id(), why);
                }
            }
            if (job.updatedAt().isBefore(staleBefore)) {
                ErrorClassification c = new ErrorClassification(ErrorCategory.UNKNOWN, CODE_INTERRUPTED, why);
                if (endUnfinished(job, c)) {
                    interrupted.add(job.id());
                    continue;
                }
            }
            untouched.add(job.id());
        }
        return new ResumeReport(resumed, interrupted, untouched);
    }

    /**
     * One sweep of the leader (run it every few minutes, e.g. with {@link ProvisioningSweeper}):
     * <ol>
     *   <li>rows with no update and no heartbeat for {@link SweepPolicy#staleAfter} whose task this
     *       process does not follow are resumed from their checkpoint, or failed {@value #CODE_INTERRUPTED};
     *   <li>rows unfinished after {@link SweepPolicy#maxAge} are failed {@value #CODE_TIMED_OUT} and their
     *       local task is stopped;
     *   <li>finished rows older than {@link SweepPolicy#retention} are deleted in batches of
     *       {@link SweepPolicy#batchSize}, at most {@link SweepPolicy#maxBatches} per sweep;
     *   <li>with a {@link TaggingClusterProvisioner} and a policy that names its scopes, the clusters in
     *       those subscriptions tagged by a job that never recorded them are reported
     *       ({@link SweepReport#leftovers()}; nothing is deleted).
     * </ol>
     *
     * @throws JobStoreException when the store cannot be read
     */
    public SweepReport sweep(SweepPolicy policy) {
        Checks.required(policy, "policy");
        Instant now = clock.instant();
        dropFinished();
        java.util.Set<JobId> followed = new java.util.HashSet<>();
        local.values().forEach(j -> followed.add(j.jobId));
        List<JobId> resumed = new java.util.ArrayList<>();
        List<JobId> interrupted = new java.util.ArrayList<>();
        for (JobState job : repository.findStale(JOB_TYPE, now.minus(policy.staleAfter()))) {
            if (followed.contains(job.id()) || job.createdAt().isBefore(now.minus(policy.maxAge()))) {
                continue;
            }
            if (tryResume(job)) {
                resumed.add(job.id());
                continue;
            }
            ErrorClassification c = new ErrorClassification(
                    ErrorCategory.UNKNOWN,
                    CODE_INTERRUPTED,
                    "no heartbeat for " + policy.staleAfter() + " and nothing to resume: the worker is gone");
            if (endUnfinished(job, c)) {
                interrupted.add(job.id());
            }
        }
        List<JobId> timedOut = new java.util.ArrayList<>();
        for (JobState job : repository.findUnfinished(JOB_TYPE)) {
            if (!job.createdAt().isBefore(now.minus(policy.maxAge()))) {
                continue;
            }
            if (job.taskId() != null && forget(job.taskId()) != null) {
                try {
                    provisioner.stop(job.taskId());
                } catch (RuntimeException e) {
                    log.warn("stopping task {} failed: {}", job.taskId(), e.toString());
                }
            }
            ErrorClassification c = new ErrorClassification(
                    ErrorCategory.UNKNOWN,
                    CODE_TIMED_OUT,
                    "still " + (job.clusterState() == null ? job.status().wireName() : job.clusterState()) + " after "
                            + policy.maxAge() + "; check the cluster in the Azure portal");
            if (endUnfinished(job, c)) {
                timedOut.add(job.id());
            }
        }
        int purged = 0;
        Instant cut = now.minus(policy.retention());
        for (int batch = 0; batch < policy.maxBatches(); batch++) {
            int n = repository.purgeFinished(JOB_TYPE, cut, policy.batchSize());
            purged += n;
            if (n < policy.batchSize()) {
                break;
            }
        }
        List<TaggedCluster> leftovers = leftovers();
        observer.sweepDone(resumed.size(), interrupted.size(), timedOut.size(), purged);
        return new SweepReport(resumed, interrupted, timedOut, purged, leftovers);
    }

    /**
     * Clusters in the policy's subscriptions tagged by a job that never recorded them as its own: its row
     * is gone (never written, or purged by retention) or lacks {@link ProvisionListener#KEY_CREATED_BY_JOB}.
     * A job this process still follows is skipped (its checkpoint may not be written yet).
     */
    private List<TaggedCluster> leftovers() {
        if (!(provisioner instanceof TaggingClusterProvisioner tagging)
                || policy.allowedScopes().isEmpty()) {
            return List.of();
        }
        java.util.Set<String> subscriptions = new java.util.TreeSet<>();
        policy.allowedScopes().get().forEach(s -> subscriptions.add(s.subscriptionId()));
        if (subscriptions.isEmpty()) {
            return List.of();
        }
        java.util.Set<JobId> followed = new java.util.HashSet<>();
        local.values().forEach(j -> followed.add(j.jobId));
        List<TaggedCluster> leftovers = new java.util.ArrayList<>();
        for (TaggedCluster t : tagging.taggedClusters(subscriptions)) {
            if (followed.contains(t.job())) {
                continue;
            }
            Optional<JobState> row = repository.get(t.job());
            if (row.isEmpty() || !createdByJob(row.get())) {
                leftovers.add(t);
            }
        }
        if (!leftovers.isEmpty()) {
            log.warn(
                    "{} cluster(s) tagged by provisioning jobs that never recorded them: {}",
                    leftovers.size(),
                    leftovers.stream().limit(10).map(t -> t.cluster().display()).toList());
        }
        return leftovers;
    }

    /** Records how the cancel's accepted abort or delete ended, when the provisioner can follow it. */
    private void followAction(JobId id, ClusterRef cluster, CancelMode mode) {
        if (!(provisioner instanceof ActionFollowingProvisioner following)) {
            return;
        }
        try {
            following.follow(cluster, mode, (state, error) -> {
                log.info("job {}: {} of {} ended {}", id, mode, cluster.display(), state);
                JobUpdate ended = JobUpdate.cancelActionEnded(
                        state,
                        error == null
                                ? null
                                : ErrorClassification.bounded(error, ErrorClassification.MAX_MESSAGE_CHARS));
                write(id, "cancel_action_end", current -> Optional.of(ended));
            });
        } catch (RuntimeException e) {
            log.warn("job {}: following the {} failed to start: {}", id, mode, e.toString());
        }
    }

    /** Resumes {@code job} from its checkpoint when the provisioner can; false when it cannot or resuming failed. */
    private boolean tryResume(JobState job) {
        if (job.fenced()
                || !(provisioner instanceof ResumableClusterProvisioner resumable)
                || !resumable.canResume(job)) {
            return false;
        }
        try {
            LocalJob followed = new LocalJob(job.id(), job.owner(), clusterOf(job));
            followed.created = createdByJob(job);
            TaskId taskId = resumable.resume(job, new RowListener(followed));
            follow(taskId, followed);
            if (job.taskId() == null) {
                write(job.id(), "stamp_task_id", current -> Optional.of(JobUpdate.taskId(taskId)));
            }
            log.info("job {} resumed as task {}", job.id(), taskId);
            return true;
        } catch (RuntimeException e) {
            log.warn("job {}: resuming failed: {}", job.id(), e.toString());
            return false;
        }
    }

    /** Follows a resumed task here: it counts for its owner until it ends. */
    private void follow(TaskId taskId, LocalJob followed) {
        followed.taskId = taskId;
        quotas.track(followed.owner, followed.jobId);
        local.put(taskId, followed);
        if (followed.ended != null) {
            finished(followed); // it ended before resume returned
        }
    }

    /**
     * Ends a row whose worker is gone: failed with {@code c}; a row a cancel fenced (its canceller is gone
     * too) ends cancelled, with {@code c}'s code and a message saying the cancel did not finish.
     */
    private boolean endUnfinished(JobState job, ErrorClassification c) {
        Optional<JobState> ended;
        try {
            ended = tryTransition(
                    job.id(),
                    current -> {
                        if (current.status().isTerminal()) {
                            return Optional.empty();
                        }
                        if (current.fenced()) {
                            return Optional.of(JobUpdate.status(JobStatus.CANCELLED)
                                    .withError(new ErrorClassification(
                                            ErrorCategory.CANCELLED,
                                            c.code(),
                                            "the cancel stopped before it ended the job (" + c.message()
                                                    + "); check the cluster in the Azure portal")));
                        }
                        return Optional.of(JobUpdate.status(JobStatus.FAILED).withError(c));
                    },
                    clock.instant(),
                    "update");
        } catch (RuntimeException e) {
            observer.stateWriteFailed("update", e);
            log.warn("job-state update of {} failed: {}", job.id(), e.toString());
            return false;
        }
        if (ended.isEmpty()) {
            return false;
        }
        ErrorClassification error = java.util.Objects.requireNonNull(ended.get().error(), "error");
        observer.provisionEnded(ended.get().status(), error.category());
        log.info("job {} marked {}: {}", job.id(), ended.get().status().wireName(), error.code());
        return true;
    }

    /** The Azure portal page of a cluster: {@code {portal}/#@{tenant}/resource{resourceId}/overview}. */
    public String portalUrl(ClusterRef cluster) {
        String at = tenant == null ? "" : "@" + tenant;
        return portalUrl + "/#" + at + "/resource" + cluster.resourceId() + "/overview";
    }

    private CancelOutcome outcome(
            CancelOutcome.Result result, JobState job, CancelMode mode, @Nullable String actionError) {
        boolean partial = job.clusterState() != null;
        String url = partial ? portalUrl(clusterOf(job)) : null;
        return new CancelOutcome(result, job, partial, url, mode, actionError);
    }

    /** Whether the provisioner reported that this job's own create made the cluster. */
    static boolean createdByJob(JobState job) {
        return "true".equals(job.payload().get(ProvisionListener.KEY_CREATED_BY_JOB));
    }

    private static ClusterRef clusterOf(JobState job) {
        return ProvisionRequest.fromPayload(job.payload()).cluster();
    }

    /**
     * Applies {@code change} through the ordered, retried writes: at once when nothing of the job waits,
     * else (or when the store fails) queued. True when it landed at once.
     */
    private boolean write(JobId id, String operation, Function<JobState, Optional<JobUpdate>> change) {
        Instant at = clock.instant();
        return writes.submit(id, operation, () -> tryTransition(id, change, at, operation));
    }

    /**
     * Compare-and-set of {@code change} at {@code at}, re-reading on a stale version: the new row when it
     * landed, empty when the change is moot (no row, nothing to change, a rule forbids it).
     *
     * @throws RuntimeException when the store failed (the caller queues the write for a retry)
     */
    private Optional<JobState> tryTransition(
            JobId id, Function<JobState, Optional<JobUpdate>> change, Instant at, String operation) {
        for (int attempt = 0; attempt < MAX_CAS_ATTEMPTS; attempt++) {
            Optional<JobState> current = repository.get(id);
            if (current.isEmpty()) {
                log.debug("job {} not found for {}", id, operation);
                return Optional.empty();
            }
            Optional<JobUpdate> update = change.apply(current.get());
            if (update.isEmpty()) {
                return Optional.empty();
            }
            Optional<String> rejected = current.get().rejection(update.get());
            if (rejected.isPresent()) {
                log.debug("job {}: {} ignored: {}", id, operation, rejected.get());
                return Optional.empty();
            }
            Instant when =
                    at.isBefore(current.get().updatedAt()) ? current.get().updatedAt() : at;
            UpdateResult result = repository.update(current.get(), update.get(), when);
            if (result instanceof UpdateResult.Updated u) {
                publish(u.state());
                return Optional.of(u.state());
            }
            if (!(result instanceof UpdateResult.Stale)) {
                log.debug("job {}: {} not applied: {}", id, operation, result);
                return Optional.empty();
            }
        }
        log.warn("job {}: {} gave up after {} stale attempts", id, operation, MAX_CAS_ATTEMPTS);
        observer.stateWriteFailed(operation, new IllegalStateException("too many concurrent updates"));
        return Optional.empty();
    }

    private void publish(JobState state) {
        try {
            events.publish(JobStateChange.of(state));
        } catch (RuntimeException e) {
            log.debug("publishing job {} change failed: {}", state.id(), e.toString());
        }
    }

    /** Turns a provisioner's reports into row updates; without a row, only into observer calls. */
    private final class RowListener implements ProvisionListener {
        private final LocalJob job;

        RowListener(LocalJob job) {
            this.job = job;
        }

        private void apply(Function<JobState, Optional<JobUpdate>> change) {
            write(job.jobId, "update", change);
        }

        @Override
        public void started() {
            quotas.started(job.jobId);
            apply(row -> row.status() == JobStatus.QUEUED
                    ? Optional.of(JobUpdate.status(JobStatus.RUNNING))
                    : Optional.empty());
        }

        @Override
        public void clusterState(String provisioningState) {
            apply(row -> Optional.of(
                    row.status() == JobStatus.QUEUED
                            ? JobUpdate.clusterState(provisioningState).withStatus(JobStatus.RUNNING)
                            : JobUpdate.clusterState(provisioningState)));
        }

        @Override
        public void checkpoint(Map<String, String> data) {
            if ("true".equals(data.get(ProvisionListener.KEY_CREATED_BY_JOB))) {
                job.created = true;
            }
            apply(row -> Optional.of(JobUpdate.payload(data)));
        }

        /** A heartbeat at most every {@code heartbeatInterval}; best effort (the next one supersedes it). */
        @Override
        public void polled() {
            Instant now = clock.instant();
            Instant last = job.lastBeat;
            if (last != null && now.isBefore(last.plus(heartbeatInterval))) {
                return;
            }
            job.lastBeat = now;
            try {
                repository.heartbeat(job.jobId, now);
            } catch (RuntimeException e) {
                log.debug("heartbeat of job {} failed: {}", job.jobId, e.toString());
            }
        }

        /*
         * The create's end: on a row a cancel has fenced, only recorded; the cancel ends the row. Written,
         * then marked, under the job's lock (see cancelUnfenced); a cancel meanwhile meets it in the store.
         */
        private void ended(JobStatus status, Function<JobState, Optional<JobUpdate>> change) {
            synchronized (job) {
                apply(change);
                job.ended = status;
            }
            finished(job);
        }

        @Override
        public void succeeded() {
            observer.provisionEnded(JobStatus.SUCCEEDED, null);
            ended(JobStatus.SUCCEEDED, row -> CancelFence.reported(row, JobStatus.SUCCEEDED, null));
        }

        @Override
        public void failed(ArmError error) {
            ErrorClassification c = ErrorClassifier.classify(error);
            observer.provisionEnded(JobStatus.FAILED, c.category());
            ended(JobStatus.FAILED, row -> CancelFence.reported(row, JobStatus.FAILED, c));
        }

        @Override
        public void cancelled() {
            observer.provisionEnded(JobStatus.CANCELLED, ErrorCategory.CANCELLED);
            ended(
                    JobStatus.CANCELLED,
                    row -> CancelFence.reported(
                            row,
                            JobStatus.CANCELLED,
                            new ErrorClassification(ErrorCategory.CANCELLED, "Canceled", "cancelled")));
        }
    }

    /** Builder of {@link ProvisioningService}. */
    public static final class Builder {
        private final JobStateRepository repository;
        private final ClusterProvisioner provisioner;
        private JobStateEvents events = JobStateEvents.NOOP;
        private ProvisioningObserver observer = ProvisioningObserver.NOOP;
        private Clock clock = Clock.systemUTC();
        private String portalUrl = DEFAULT_PORTAL_URL;
        private @Nullable String tenant;
        private Duration writeRetryMin = DEFAULT_WRITE_RETRY_MIN;
        private Duration writeRetryMax = DEFAULT_WRITE_RETRY_MAX;
        private int maxPendingWrites = DEFAULT_MAX_PENDING_WRITES;
        private @Nullable ScheduledExecutorService writeExecutor;
        private Duration heartbeatInterval = DEFAULT_HEARTBEAT_INTERVAL;
        private ProvisionPolicy policy = ProvisionPolicy.ofDefaults();

        private Builder(JobStateRepository repository, ClusterProvisioner provisioner) {
            this.repository = Checks.required(repository, "repository");
            this.provisioner = Checks.required(provisioner, "provisioner");
        }

        public Builder events(JobStateEvents events) {
            this.events = Checks.required(events, "events");
            return this;
        }

        public Builder observer(ProvisioningObserver observer) {
            this.observer = Checks.required(observer, "observer");
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Checks.required(clock, "clock");
            return this;
        }

        /** Default {@value #DEFAULT_PORTAL_URL}; sovereign clouds have their own. No trailing slash needed. */
        public Builder portalUrl(String portalUrl) {
            Checks.matches(
                    portalUrl,
                    "portalUrl",
                    java.util.regex.Pattern.compile("https?://[^\\s#]+"),
                    "an http(s) URL without a fragment");
            this.portalUrl = portalUrl.endsWith("/") ? portalUrl.substring(0, portalUrl.length() - 1) : portalUrl;
            return this;
        }

        /** The tenant's domain or id for portal links ({@code contoso.onmicrosoft.com}); optional. */
        public Builder tenant(String tenant) {
            this.tenant = Checks.matches(
                    tenant,
                    "tenant",
                    java.util.regex.Pattern.compile("[A-Za-z0-9.-]{1,253}"),
                    "a tenant domain or GUID");
            return this;
        }

        /**
         * Backoff of failed job-state writes: the first retry after {@code min}, doubling up to {@code max};
         * defaults {@link #DEFAULT_WRITE_RETRY_MIN} and {@link #DEFAULT_WRITE_RETRY_MAX}.
         */
        public Builder writeRetry(Duration min, Duration max) {
            Checks.positive(min, "min");
            Checks.positive(max, "max");
            if (max.compareTo(min) < 0) {
                throw new IllegalArgumentException("'max' must be at least 'min' (" + min + "), but was " + max);
            }
            this.writeRetryMin = min;
            this.writeRetryMax = max;
            return this;
        }

        /** Most job-state writes that may wait for the store; default {@value #DEFAULT_MAX_PENDING_WRITES}. */
        public Builder maxPendingWrites(int maxPendingWrites) {
            this.maxPendingWrites = Checks.positive(maxPendingWrites, "maxPendingWrites");
            return this;
        }

        /**
         * Runs the retries of failed job-state writes (one task at a time); default a daemon thread the
         * service makes on the first failure and stops in {@link ProvisioningService#close()}.
         */
        public Builder writeExecutor(ScheduledExecutorService writeExecutor) {
            this.writeExecutor = Checks.required(writeExecutor, "writeExecutor");
            return this;
        }

        /**
         * Least time between two heartbeats of one job while its create is polled; default
         * {@link #DEFAULT_HEARTBEAT_INTERVAL}. Keep it well below {@link SweepPolicy#staleAfter}.
         */
        public Builder heartbeatInterval(Duration heartbeatInterval) {
            this.heartbeatInterval = Checks.positive(heartbeatInterval, "heartbeatInterval");
            return this;
        }

        /**
         * What {@link ProvisioningService#provision} accepts; default {@link ProvisionPolicy#ofDefaults()}
         * (any scope, region and size; at most {@value ProvisionPolicy#DEFAULT_MAX_NODES} nodes and the
         * default quotas).
         */
        public Builder policy(ProvisionPolicy policy) {
            this.policy = Checks.required(policy, "policy");
            return this;
        }

        public ProvisioningService build() {
            return new ProvisioningService(this);
        }
    }
}
