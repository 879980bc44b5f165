package org.elb.warmkeeper.core.provision;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.elb.warmkeeper.core.cluster.Checks;
import org.elb.warmkeeper.core.cluster.ClusterRef;
import org.elb.warmkeeper.core.cluster.OwnerId;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * AKS provisioning with durable job state (DESIGN 1.3).
 *
 * <ul>
 *   <li>{@link #provision}: writes a queued row <em>before</em> enqueuing, stamps the task id after;
 *       both writes are best effort (a store failure is logged and counted, never fails the call);
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
 */
public final class ProvisioningService {

    private static final Logger log = LoggerFactory.getLogger(ProvisioningService.class);

    /** The job type the dashboard queries. */
    public static final String JOB_TYPE = "aks_provision";
    /** Default Azure portal base URL. */
    public static final String DEFAULT_PORTAL_URL = "https://portal.azure.com";
    /** Payload key recording a cancel's ARM action and its result. */
    public static final String KEY_CANCEL_ACTION = "cancel_action";
    public static final String KEY_CANCEL_ACTION_ERROR = "cancel_action_error";
    /**
     * The {@value #KEY_CANCEL_ACTION_ERROR} of an abort or delete that was not sent because the job did not
     * create the cluster (its row lacks {@link ProvisionListener#KEY_CREATED_BY_JOB}).
     */
    public static final String NOT_CREATED_BY_JOB =
            "not sent: this job did not create the cluster (it existed before, or the create never reached Azure)";
    /** The error code of a row whose worker stopped with nothing to resume ({@link #resumeUnfinished}). */
    public static final String CODE_INTERRUPTED = "Interrupted";

    private static final int MAX_CAS_ATTEMPTS = 16;

    private final JobStateRepository repository;
    private final ClusterProvisioner provisioner;
    private final JobStateEvents events;
    private final ProvisioningObserver observer;
    private final Clock clock;
    private final String portalUrl;
    private final @Nullable String tenant;

    private ProvisioningService(Builder b) {
        this.repository = b.repository;
        this.provisioner = b.provisioner;
        this.events = b.events;
        this.observer = b.observer;
        this.clock = b.clock;
        this.portalUrl = b.portalUrl;
        this.tenant = b.tenant;
    }

    public static Builder builder(JobStateRepository repository, ClusterProvisioner provisioner) {
        return new Builder(repository, provisioner);
    }

    /**
     * Records a queued job, begins the create and stamps the task id.
     *
     * @throws ProvisioningException when the provisioner could not begin (the row, if written, is failed)
     */
    public ProvisionAccepted provision(OwnerId owner, ProvisionRequest request) {
        Checks.required(owner, "owner");
        Checks.required(request, "request");
        observer.provisionRequested(request);
        JobId jobId = JobId.random();
        boolean recorded = true;
        try {
            JobState created = repository.create(new NewJob(jobId, JOB_TYPE, owner, request.toPayload(), clock.instant()));
            publish(created);
        } catch (RuntimeException e) {
            recorded = false;
            writeFailed("create", e);
        }
        @Nullable JobId rowId = recorded ? jobId : null;

        TaskId taskId;
        try {
            taskId = provisioner.begin(request, new RowListener(rowId));
        } catch (RuntimeException e) {
            ErrorClassification c = e instanceof ProvisioningException pe && pe.classification().isPresent()
                    ? pe.classification().get()
                    : ErrorClassifier.classify("EnqueueFailed", e.getMessage());
            if (rowId != null) {
                transition(rowId, job -> Optional.of(JobUpdate.status(JobStatus.FAILED).withError(c)));
            }
            observer.provisionEnded(JobStatus.FAILED, c.category());
            throw e instanceof ProvisioningException pe ? pe
                    : new ProvisioningException("could not begin provisioning " + request.cluster().display(), c, e);
        }

        if (rowId != null) {
            recorded = transitionTo(rowId, job -> Optional.of(JobUpdate.taskId(taskId)), "stamp_task_id").isPresent()
                    && recorded;
        }
        log.info("provision of {} accepted: task {}", request.cluster().display(), taskId);
        return new ProvisionAccepted(taskId, rowId, recorded);
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
            return new RecentFailedProvisions(rows.stream().map(FailedProvision::of).toList(), false);
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
     * ALREADY_FINISHED and unchanged. Store failures propagate as {@link JobStoreException}.
     */
    public CancelOutcome cancel(OwnerId owner, TaskId taskId, CancelMode mode) {
        Checks.required(owner, "owner");
        Checks.required(taskId, "taskId");
        Checks.required(mode, "mode");
        Optional<JobState> found = repository.findByTaskId(taskId, owner);
        if (found.isEmpty()) {
            return CancelOutcome.notFound(mode);
        }
        JobState job = found.get();
        if (job.status().isTerminal()) {
            return outcome(CancelOutcome.Result.ALREADY_FINISHED, job, mode, null);
        }
        try {
            provisioner.stop(taskId);
        } catch (RuntimeException e) {
            log.warn("stopping task {} failed: {}", taskId, e.toString());
        }
        String actionError = null;
        JobUpdate update = JobUpdate.status(JobStatus.CANCELLED)
                .withError(new ErrorClassification(ErrorCategory.CANCELLED, "Canceled", "cancelled by its owner"));
        if (mode != CancelMode.STOP && !createdByJob(job)) {
            actionError = NOT_CREATED_BY_JOB;
            update = update.withPayload(KEY_CANCEL_ACTION, mode.name().toLowerCase(java.util.Locale.ROOT))
                    .withPayload(KEY_CANCEL_ACTION_ERROR, actionError);
            log.info("cancel of job {}: {} not sent: {}", job.id(), mode, actionError);
        } else if (mode != CancelMode.STOP) {
            ClusterRef cluster = clusterOf(job);
            update = update.withPayload(KEY_CANCEL_ACTION, mode.name().toLowerCase(java.util.Locale.ROOT));
            try {
                if (mode == CancelMode.ABORT_OPERATION) {
                    provisioner.abortOperation(cluster);
                } else {
                    provisioner.deleteCluster(cluster);
                }
            } catch (RuntimeException e) {
                actionError = ErrorClassification.bounded(e.getMessage() == null ? e.toString() : e.getMessage(),
                        ErrorClassification.MAX_MESSAGE_CHARS);
                update = update.withPayload(KEY_CANCEL_ACTION_ERROR, actionError);
                log.warn("{} of {} failed: {}", mode, cluster.display(), actionError);
            }
        }
        JobUpdate finalUpdate = update;
        Optional<JobState> after = transitionTo(job.id(), current -> Optional.of(finalUpdate));
        JobState latest = after.orElseGet(() -> repository.get(job.id()).orElse(job));
        if (latest.status() != JobStatus.CANCELLED) {
            return outcome(CancelOutcome.Result.ALREADY_FINISHED, latest, mode, actionError);
        }
        observer.provisionEnded(JobStatus.CANCELLED, ErrorCategory.CANCELLED);
        return outcome(CancelOutcome.Result.CANCELLED, latest, mode, actionError);
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
            if (provisioner instanceof ResumableClusterProvisioner resumable && resumable.canResume(job)) {
                try {
                    TaskId taskId = resumable.resume(job, new RowListener(job.id()));
                    if (job.taskId() == null) {
                        transition(job.id(), current -> Optional.of(JobUpdate.taskId(taskId)));
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
                if (transition(job.id(), current -> current.status().isTerminal()
                        ? Optional.empty() : Optional.of(JobUpdate.status(JobStatus.FAILED).withError(c)))) {
                    observer.provisionEnded(JobStatus.FAILED, c.category());
                    interrupted.add(job.id());
                    log.info("job {} marked failed: interrupted (last update {})", job.id(), job.updatedAt());
                    continue;
                }
            }
            untouched.add(job.id());
        }
        return new ResumeReport(resumed, interrupted, untouched);
    }

    /** The Azure portal page of a cluster: {@code {portal}/#@{tenant}/resource{resourceId}/overview}. */
    public String portalUrl(ClusterRef cluster) {
        String at = tenant == null ? "" : "@" + tenant;
        return portalUrl + "/#" + at + "/resource" + cluster.resourceId() + "/overview";
    }

    private CancelOutcome outcome(CancelOutcome.Result result, JobState job, CancelMode mode, @Nullable String actionError) {
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

    /** Applies an update with compare-and-set, re-reading on a stale version. True when it landed. */
    private boolean transition(JobId id, Function<JobState, Optional<JobUpdate>> change) {
        return transitionTo(id, change).isPresent();
    }

    private Optional<JobState> transitionTo(JobId id, Function<JobState, Optional<JobUpdate>> change) {
        return transitionTo(id, change, "update");
    }

    /** {@code operation} names the write for the observer: {@code update} or {@code stamp_task_id}. */
    private Optional<JobState> transitionTo(JobId id, Function<JobState, Optional<JobUpdate>> change, String operation) {
        try {
            for (int attempt = 0; attempt < MAX_CAS_ATTEMPTS; attempt++) {
                Optional<JobState> current = repository.get(id);
                if (current.isEmpty()) {
                    log.debug("job {} not found for update", id);
                    return Optional.empty();
                }
                Optional<JobUpdate> update = change.apply(current.get());
                if (update.isEmpty()) {
                    return Optional.empty();
                }
                Optional<String> rejected = current.get().rejection(update.get());
                if (rejected.isPresent()) {
                    log.debug("job {}: update ignored: {}", id, rejected.get());
                    return Optional.empty();
                }
                UpdateResult result = repository.update(current.get(), update.get(), clock.instant());
                if (result instanceof UpdateResult.Updated u) {
                    publish(u.state());
                    return Optional.of(u.state());
                }
                if (!(result instanceof UpdateResult.Stale)) {
                    log.debug("job {}: update not applied: {}", id, result);
                    return Optional.empty();
                }
            }
            log.warn("job {}: update gave up after {} stale attempts", id, MAX_CAS_ATTEMPTS);
            observer.stateWriteFailed(operation, new IllegalStateException("too many concurrent updates"));
        } catch (RuntimeException e) {
            writeFailed(operation, e);
        }
        return Optional.empty();
    }

    private void publish(JobState state) {
        try {
            events.publish(JobStateChange.of(state));
        } catch (RuntimeException e) {
            log.debug("publishing job {} change failed: {}", state.id(), e.toString());
        }
    }

    private void writeFailed(String operation, RuntimeException e) {
        observer.stateWriteFailed(operation, e);
        log.warn("job-state {} failed (best effort, provisioning goes on): {}", operation, e.toString());
    }

    /** Turns a provisioner's reports into row updates; without a row, only into observer calls. */
    private final class RowListener implements ProvisionListener {
        private final @Nullable JobId jobId;

        RowListener(@Nullable JobId jobId) {
            this.jobId = jobId;
        }

        private void apply(Function<JobState, Optional<JobUpdate>> change) {
            if (jobId != null) {
                transition(jobId, change);
            }
        }

        @Override
        public void started() {
            apply(job -> job.status() == JobStatus.QUEUED ? Optional.of(JobUpdate.status(JobStatus.RUNNING)) : Optional.empty());
        }

        @Override
        public void clusterState(String provisioningState) {
            apply(job -> Optional.of(job.status() == JobStatus.QUEUED
                    ? JobUpdate.clusterState(provisioningState).withStatus(JobStatus.RUNNING)
                    : JobUpdate.clusterState(provisioningState)));
        }

        @Override
        public void checkpoint(Map<String, String> data) {
            apply(job -> Optional.of(JobUpdate.payload(data)));
        }

        @Override
        public void succeeded() {
            observer.provisionEnded(JobStatus.SUCCEEDED, null);
            apply(job -> Optional.of(JobUpdate.status(JobStatus.SUCCEEDED)));
        }

        @Override
        public void failed(ArmError error) {
            ErrorClassification c = ErrorClassifier.classify(error);
            observer.provisionEnded(JobStatus.FAILED, c.category());
            apply(job -> Optional.of(JobUpdate.status(JobStatus.FAILED).withError(c)));
        }

        @Override
        public void cancelled() {
            observer.provisionEnded(JobStatus.CANCELLED, ErrorCategory.CANCELLED);
            apply(job -> Optional.of(JobUpdate.status(JobStatus.CANCELLED)
                    .withError(new ErrorClassification(ErrorCategory.CANCELLED, "Canceled", "cancelled"))));
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
            Checks.matches(portalUrl, "portalUrl", java.util.regex.Pattern.compile("https?://[^\\s#]+"),
                    "an http(s) URL without a fragment");
            this.portalUrl = portalUrl.endsWith("/") ? portalUrl.substring(0, portalUrl.length() - 1) : portalUrl;
            return this;
        }

        /** The tenant's domain or id for portal links ({@code contoso.onmicrosoft.com}); optional. */
        public Builder tenant(String tenant) {
            this.tenant = Checks.matches(tenant, "tenant", java.util.regex.Pattern.compile("[A-Za-z0-9.-]{1,253}"),
                    "a tenant domain or GUID");
            return this;
        }

        public ProvisioningService build() {
            return new ProvisioningService(this);
        }
    }
}
