package org.elb.warmkeeper.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.elb.warmkeeper.core.cluster.OwnerId;
import org.elb.warmkeeper.core.provision.ErrorCategory;
import org.elb.warmkeeper.core.provision.ErrorClassification;
import org.elb.warmkeeper.core.provision.JobId;
import org.elb.warmkeeper.core.provision.JobState;
import org.elb.warmkeeper.core.provision.JobStateRepository;
import org.elb.warmkeeper.core.provision.JobStatus;
import org.elb.warmkeeper.core.provision.JobStoreException;
import org.elb.warmkeeper.core.provision.JobUpdate;
import org.elb.warmkeeper.core.provision.NewJob;
import org.elb.warmkeeper.core.provision.TaskId;
import org.elb.warmkeeper.core.provision.UpdateResult;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link JobStateRepository} must do: create, compare-and-set update with the forward-only
 * status rule of {@link JobState#rejection}, owner-scoped finds, recent failed (owner, type, failed,
 * since, newest first, limit), payload round trip, unfinished rows, and concurrent compare-and-set
 * updates with no lost update and no change to a terminal row.
 *
 * <p>Extend it, implement {@link #createRepository()} (a store with no rows; called before each test)
 * and, for a slow backend, shrink {@link #threads()}/{@link #updatesPerThread()} or stretch
 * {@link #concurrencyTimeout()}. Timestamps are whole milliseconds, so a store that keeps microseconds
 * round-trips them exactly; where order matters every row has its own timestamp.
 */
public abstract class JobStateRepositoryContract {

    /** The type recent-failed tests query; another type is used to prove the filter. */
    protected static final String TYPE = "aks_provision";

    protected static final String OTHER_TYPE = "db_warmup";
    protected static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");

    protected JobStateRepository repository;

    /** A repository over a store with no rows. Called before each test. */
    protected abstract JobStateRepository createRepository();

    /** Threads of the concurrency test. */
    protected int threads() {
        return 8;
    }

    /** Successful compare-and-set updates each thread makes in the concurrency test. */
    protected int updatesPerThread() {
        return 25;
    }

    /** How long the concurrency test may take before it fails. */
    protected Duration concurrencyTimeout() {
        return Duration.ofSeconds(60);
    }

    @BeforeEach
    void createStore() {
        repository = createRepository();
    }

    // ---------------------------------------------------------------- helpers

    protected static OwnerId owner(String name) {
        return OwnerId.of(name + "-" + UUID.randomUUID().toString().substring(0, 8));
    }

    protected static Map<String, String> payload(String cluster) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("subscription_id", "00000000-0000-0000-0000-000000000001");
        p.put("resource_group", "rg-elb");
        p.put("cluster_name", cluster);
        p.put("region", "koreacentral");
        p.put("vm_size", "Standard_E32s_v5");
        p.put("node_count", "3");
        return p;
    }

    protected JobState create(OwnerId owner, String type, Instant at) {
        return repository.create(new NewJob(JobId.random(), type, owner, payload("elb-" + at.getEpochSecond()), at));
    }

    /** Applies updates one after the other, each at its own time; fails the test if one is not applied. */
    protected JobState apply(JobState job, Instant at, JobUpdate... updates) {
        JobState current = job;
        for (JobUpdate u : updates) {
            UpdateResult r = repository.update(current.id(), current.version(), u, at);
            assertThat(r).as("update %s of %s", u, current.id()).isInstanceOf(UpdateResult.Updated.class);
            current = ((UpdateResult.Updated) r).state();
        }
        return current;
    }

    protected JobState failedAt(OwnerId owner, String type, Instant createdAt, Instant failedAt) {
        JobState job = create(owner, type, createdAt);
        return apply(
                job,
                failedAt,
                JobUpdate.status(JobStatus.FAILED)
                        .withError(new ErrorClassification(
                                ErrorCategory.QUOTA_EXCEEDED, "QuotaExceeded", "no cores left")));
    }

    private JobState reread(JobState job) {
        return repository.get(job.id()).orElseThrow();
    }

    // ---------------------------------------------------------------- create / get

    @Test
    void create_returns_a_queued_row_at_version_zero_that_get_reads_back() {
        OwnerId alice = owner("alice");
        NewJob job = new NewJob(JobId.random(), TYPE, alice, payload("elb-a"), T0);

        JobState created = repository.create(job);

        assertThat(created.id()).isEqualTo(job.id());
        assertThat(created.status()).isEqualTo(JobStatus.QUEUED);
        assertThat(created.version()).isZero();
        assertThat(created.owner()).isEqualTo(alice);
        assertThat(created.type()).isEqualTo(TYPE);
        assertThat(created.taskId()).isNull();
        assertThat(created.clusterState()).isNull();
        assertThat(created.error()).isNull();
        assertThat(created.createdAt()).isEqualTo(T0);
        assertThat(created.updatedAt()).isEqualTo(T0);
        assertThat(created.payload()).isEqualTo(payload("elb-a"));
        assertThat(repository.get(job.id())).contains(created);
    }

    @Test
    void get_of_an_unknown_id_is_empty() {
        assertThat(repository.get(JobId.random())).isEmpty();
    }

    @Test
    void creating_an_existing_id_fails_with_a_store_exception_and_keeps_the_first_row() {
        OwnerId alice = owner("alice");
        JobId id = JobId.random();
        JobState first = repository.create(new NewJob(id, TYPE, alice, payload("first"), T0));

        assertThatThrownBy(() ->
                        repository.create(new NewJob(id, TYPE, owner("bob"), payload("second"), T0.plusSeconds(5))))
                .isInstanceOf(JobStoreException.class);
        assertThat(repository.get(id)).contains(first);
    }

    @Test
    void payload_round_trips_exactly() {
        Map<String, String> p = new LinkedHashMap<>(payload("elb-json"));
        p.put("quote", "say \"hi\"");
        p.put("backslash", "C:\\temp\\x");
        p.put("newline", "line1\nline2\ttab");
        p.put("unicode", "서울 — ünïcødé ✓");
        p.put("empty", "");
        p.put("json_looking", "{\"a\":[1,2]}");
        p.put("number_like", "007");
        JobState created = repository.create(new NewJob(JobId.random(), TYPE, owner("alice"), p, T0));

        assertThat(reread(created).payload()).isEqualTo(p);
        assertThat(reread(created).payloadValue("region")).contains("koreacentral");
    }

    // ---------------------------------------------------------------- compare-and-set

    @Test
    void update_with_the_expected_version_applies_merges_the_payload_and_bumps_the_version() {
        JobState job = create(owner("alice"), TYPE, T0);
        Instant at = T0.plusSeconds(30);

        UpdateResult result = repository.update(
                job.id(),
                0,
                JobUpdate.status(JobStatus.RUNNING)
                        .withClusterState("Creating")
                        .withPayload("checkpoint", "1")
                        .withPayload("region", "eastus"),
                at);

        assertThat(result).isInstanceOf(UpdateResult.Updated.class);
        JobState updated = ((UpdateResult.Updated) result).state();
        assertThat(updated.version()).isEqualTo(1);
        assertThat(updated.status()).isEqualTo(JobStatus.RUNNING);
        assertThat(updated.clusterState()).isEqualTo("Creating");
        assertThat(updated.payload())
                .containsEntry("checkpoint", "1")
                .containsEntry("region", "eastus")
                .containsEntry("cluster_name", job.payload().get("cluster_name"));
        assertThat(updated.createdAt()).isEqualTo(T0);
        assertThat(updated.updatedAt()).isEqualTo(at);
        assertThat(updated)
                .isEqualTo(job.apply(
                        JobUpdate.status(JobStatus.RUNNING)
                                .withClusterState("Creating")
                                .withPayload("checkpoint", "1")
                                .withPayload("region", "eastus"),
                        at));
        assertThat(reread(job)).isEqualTo(updated);
    }

    @Test
    void a_stale_version_answers_stale_with_the_current_version_and_changes_nothing() {
        JobState job = create(owner("alice"), TYPE, T0);
        JobState v1 = apply(job, T0.plusSeconds(1), JobUpdate.status(JobStatus.RUNNING));

        UpdateResult result = repository.update(job.id(), 0, JobUpdate.clusterState("Creating"), T0.plusSeconds(2));

        assertThat(result).isEqualTo(new UpdateResult.Stale(1));
        assertThat(result.isUpdated()).isFalse();
        assertThat(reread(job)).isEqualTo(v1);

        UpdateResult ahead = repository.update(job.id(), 7, JobUpdate.clusterState("Creating"), T0.plusSeconds(3));
        assertThat(ahead).isEqualTo(new UpdateResult.Stale(1));
        assertThat(reread(job)).isEqualTo(v1);
    }

    @Test
    void an_update_from_a_current_snapshot_applies_as_the_version_form_does() {
        JobState job = create(owner("alice"), TYPE, T0);
        JobUpdate change =
                JobUpdate.status(JobStatus.RUNNING).withClusterState("Creating").withPayload("checkpoint", "1");

        UpdateResult result = repository.update(job, change, T0.plusSeconds(5));

        assertThat(result).isEqualTo(new UpdateResult.Updated(job.apply(change, T0.plusSeconds(5))));
        assertThat(reread(job)).isEqualTo(((UpdateResult.Updated) result).state());
    }

    @Test
    void an_update_from_a_stale_snapshot_answers_stale_and_changes_nothing() {
        JobState queued = create(owner("alice"), TYPE, T0);
        JobState running = apply(queued, T0.plusSeconds(1), JobUpdate.status(JobStatus.RUNNING));

        UpdateResult sameRule = repository.update(queued, JobUpdate.clusterState("Creating"), T0.plusSeconds(2));
        // Illegal from the stale snapshot (queued -> succeeded) but the row has moved on: stale, not rejected.
        UpdateResult movedOn = repository.update(queued, JobUpdate.status(JobStatus.SUCCEEDED), T0.plusSeconds(3));

        assertThat(sameRule).isEqualTo(new UpdateResult.Stale(1));
        assertThat(movedOn).isEqualTo(new UpdateResult.Stale(1));
        assertThat(reread(queued)).isEqualTo(running);
    }

    @Test
    void an_update_from_a_terminal_snapshot_is_rejected() {
        JobState failed = failedAt(owner("alice"), TYPE, T0, T0.plusSeconds(1));

        UpdateResult result = repository.update(failed, JobUpdate.clusterState("Deleting"), T0.plusSeconds(2));

        assertThat(result).isInstanceOf(UpdateResult.Rejected.class);
        assertThat(reread(failed)).isEqualTo(failed);
    }

    @Test
    void a_backward_status_is_rejected_and_changes_nothing() {
        JobState running =
                apply(create(owner("alice"), TYPE, T0), T0.plusSeconds(1), JobUpdate.status(JobStatus.RUNNING));

        UpdateResult result = repository.update(
                running.id(),
                running.version(),
                JobUpdate.status(JobStatus.QUEUED).withPayload("x", "y"),
                T0.plusSeconds(2));

        assertThat(result).isInstanceOf(UpdateResult.Rejected.class);
        assertThat(reread(running)).isEqualTo(running);
    }

    @Test
    void skipping_running_to_succeeded_is_rejected_and_changes_nothing() {
        JobState queued = create(owner("alice"), TYPE, T0);

        UpdateResult result =
                repository.update(queued.id(), 0, JobUpdate.status(JobStatus.SUCCEEDED), T0.plusSeconds(2));

        assertThat(result).isInstanceOf(UpdateResult.Rejected.class);
        assertThat(reread(queued)).isEqualTo(queued);
    }

    @Test
    void queued_may_fail_or_be_cancelled_directly() {
        JobState a = create(owner("alice"), TYPE, T0);
        JobState b = create(owner("alice"), TYPE, T0.plusSeconds(1));

        assertThat(apply(a, T0.plusSeconds(2), JobUpdate.status(JobStatus.FAILED))
                        .status())
                .isEqualTo(JobStatus.FAILED);
        assertThat(apply(b, T0.plusSeconds(3), JobUpdate.status(JobStatus.CANCELLED))
                        .status())
                .isEqualTo(JobStatus.CANCELLED);
    }

    @Test
    void a_terminal_row_rejects_every_change_and_stays_as_it_was() {
        for (JobStatus terminal : List.of(JobStatus.SUCCEEDED, JobStatus.FAILED, JobStatus.CANCELLED)) {
            JobState job = apply(
                    create(owner("alice"), TYPE, T0),
                    T0.plusSeconds(1),
                    JobUpdate.status(JobStatus.RUNNING),
                    JobUpdate.status(terminal));
            List<JobUpdate> attempts = List.of(
                    JobUpdate.status(terminal),
                    JobUpdate.status(JobStatus.RUNNING),
                    JobUpdate.status(JobStatus.QUEUED),
                    JobUpdate.status(terminal == JobStatus.FAILED ? JobStatus.SUCCEEDED : JobStatus.FAILED),
                    JobUpdate.clusterState("Deleting"),
                    JobUpdate.payload(Map.of("late", "checkpoint")),
                    JobUpdate.taskId(TaskId.of("task-late")).withClusterState("Succeeded"),
                    new JobUpdate(
                            null,
                            null,
                            null,
                            new ErrorClassification(ErrorCategory.UNKNOWN, "Late", "late error"),
                            Map.of()));
            for (JobUpdate attempt : attempts) {
                UpdateResult result = repository.update(job.id(), job.version(), attempt, T0.plusSeconds(9));
                assertThat(result).as("%s row, update %s", terminal, attempt).isInstanceOf(UpdateResult.Rejected.class);
            }
            assertThat(reread(job)).isEqualTo(job);
        }
    }

    @Test
    void a_terminal_row_accepts_only_stamping_an_absent_task_id() {
        JobState failed =
                apply(create(owner("alice"), TYPE, T0), T0.plusSeconds(1), JobUpdate.status(JobStatus.FAILED));

        JobState stamped = apply(failed, T0.plusSeconds(2), JobUpdate.taskId(TaskId.of("task-1")));
        assertThat(stamped.taskId()).isEqualTo(TaskId.of("task-1"));
        assertThat(stamped.status()).isEqualTo(JobStatus.FAILED);
        assertThat(stamped.version()).isEqualTo(failed.version() + 1);

        UpdateResult second = repository.update(
                failed.id(), stamped.version(), JobUpdate.taskId(TaskId.of("task-2")), T0.plusSeconds(3));
        assertThat(second).isInstanceOf(UpdateResult.Rejected.class);
        assertThat(reread(failed)).isEqualTo(stamped);
    }

    @Test
    void a_second_task_id_is_rejected_on_a_live_row() {
        JobState job =
                apply(create(owner("alice"), TYPE, T0), T0.plusSeconds(1), JobUpdate.taskId(TaskId.of("task-1")));

        UpdateResult result = repository.update(
                job.id(),
                job.version(),
                JobUpdate.taskId(TaskId.of("task-2")).withStatus(JobStatus.RUNNING),
                T0.plusSeconds(2));

        assertThat(result).isInstanceOf(UpdateResult.Rejected.class);
        assertThat(reread(job)).isEqualTo(job);
    }

    @Test
    void the_result_of_every_update_is_what_JobState_apply_and_rejection_say() {
        JobState job = create(owner("alice"), TYPE, T0);
        List<JobUpdate> script = List.of(
                JobUpdate.taskId(TaskId.of("task-9")),
                JobUpdate.status(JobStatus.QUEUED),
                JobUpdate.clusterState("Creating").withStatus(JobStatus.RUNNING),
                JobUpdate.status(JobStatus.QUEUED),
                JobUpdate.payload(Map.of("checkpoint", "a")),
                JobUpdate.status(JobStatus.SUCCEEDED).withClusterState("Succeeded"),
                JobUpdate.status(JobStatus.FAILED),
                JobUpdate.taskId(TaskId.of("task-9")));
        JobState model = job;
        int second = 1;
        for (JobUpdate u : script) {
            Instant at = T0.plusSeconds(second++);
            UpdateResult result = repository.update(job.id(), model.version(), u, at);
            Optional<String> rejection = model.rejection(u);
            if (rejection.isPresent()) {
                assertThat(result).as("update %s", u).isInstanceOf(UpdateResult.Rejected.class);
            } else {
                model = model.apply(u, at);
                assertThat(result).as("update %s", u).isEqualTo(new UpdateResult.Updated(model));
            }
            assertThat(reread(job)).isEqualTo(model);
        }
    }

    @Test
    void updating_an_unknown_id_answers_not_found() {
        assertThat(repository.update(JobId.random(), 0, JobUpdate.status(JobStatus.RUNNING), T0))
                .isEqualTo(new UpdateResult.NotFound());
    }

    @Test
    void the_error_classification_round_trips() {
        ErrorClassification error = new ErrorClassification(
                ErrorCategory.SKU_OR_ZONE_UNAVAILABLE,
                "SkuNotAvailable",
                "The requested VM size 'Standard_E32s_v5' is \"not\" available in zone 2.");
        JobState failed = apply(
                create(owner("alice"), TYPE, T0),
                T0.plusSeconds(4),
                JobUpdate.status(JobStatus.FAILED).withError(error).withClusterState("Failed"));

        assertThat(reread(failed).error()).isEqualTo(error);
        assertThat(reread(failed).clusterState()).isEqualTo("Failed");
    }

    // ---------------------------------------------------------------- owner-scoped finds

    @Test
    void find_by_id_is_scoped_to_the_owner() {
        OwnerId alice = owner("alice");
        JobState job = create(alice, TYPE, T0);

        assertThat(repository.findById(job.id(), alice)).contains(job);
        assertThat(repository.findById(job.id(), owner("mallory"))).isEmpty();
        assertThat(repository.findById(JobId.random(), alice)).isEmpty();
    }

    @Test
    void find_by_task_id_is_scoped_to_the_owner() {
        OwnerId alice = owner("alice");
        OwnerId bob = owner("bob");
        JobState a = apply(create(alice, TYPE, T0), T0.plusSeconds(1), JobUpdate.taskId(TaskId.of("task-a")));
        JobState b = apply(create(bob, TYPE, T0), T0.plusSeconds(2), JobUpdate.taskId(TaskId.of("task-b")));

        assertThat(repository.findByTaskId(TaskId.of("task-a"), alice)).contains(a);
        assertThat(repository.findByTaskId(TaskId.of("task-b"), bob)).contains(b);
        assertThat(repository.findByTaskId(TaskId.of("task-a"), bob)).isEmpty();
        assertThat(repository.findByTaskId(TaskId.of("task-zzz"), alice)).isEmpty();
    }

    // ---------------------------------------------------------------- recent failed

    @Test
    void recent_failed_returns_only_the_owners_failed_jobs_of_that_type_since_newest_first() {
        OwnerId alice = owner("alice");
        Instant since = T0.plusSeconds(100);
        JobState older = failedAt(alice, TYPE, T0, T0.plusSeconds(150));
        JobState newest = failedAt(alice, TYPE, T0.plusSeconds(1), T0.plusSeconds(300));
        JobState middle = failedAt(alice, TYPE, T0.plusSeconds(2), T0.plusSeconds(200));
        JobState atSince = failedAt(alice, TYPE, T0.plusSeconds(3), since);
        failedAt(alice, TYPE, T0.plusSeconds(4), since.minusMillis(1)); // too old
        failedAt(alice, OTHER_TYPE, T0.plusSeconds(5), T0.plusSeconds(250)); // other type
        failedAt(owner("bob"), TYPE, T0.plusSeconds(6), T0.plusSeconds(260)); // other owner
        apply(
                create(alice, TYPE, T0.plusSeconds(7)),
                T0.plusSeconds(270), // succeeded
                JobUpdate.status(JobStatus.RUNNING),
                JobUpdate.status(JobStatus.SUCCEEDED));
        apply(create(alice, TYPE, T0.plusSeconds(8)), T0.plusSeconds(280), JobUpdate.status(JobStatus.CANCELLED));
        apply(create(alice, TYPE, T0.plusSeconds(9)), T0.plusSeconds(290), JobUpdate.status(JobStatus.RUNNING));

        List<JobState> found = repository.recentFailed(alice, TYPE, since, 20);

        assertThat(found).containsExactly(newest, middle, older, atSince);
    }

    @Test
    void recent_failed_keeps_the_newest_up_to_the_limit() {
        OwnerId alice = owner("alice");
        List<JobState> failed = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            failed.add(failedAt(alice, TYPE, T0.plusSeconds(i), T0.plusSeconds(100 + i * 10L)));
        }

        assertThat(repository.recentFailed(alice, TYPE, T0, 3))
                .containsExactly(failed.get(6), failed.get(5), failed.get(4));
        assertThat(repository.recentFailed(alice, TYPE, T0, 1)).containsExactly(failed.get(6));
        assertThat(repository.recentFailed(alice, TYPE, T0.plusSeconds(1000), 5))
                .isEmpty();
        assertThat(repository.recentFailed(owner("nobody"), TYPE, T0, 5)).isEmpty();
    }

    @Test
    void recent_failed_is_ordered_by_failure_time_not_creation_time() {
        OwnerId alice = owner("alice");
        JobState createdFirstFailedLast = failedAt(alice, TYPE, T0, T0.plusSeconds(500));
        JobState createdLastFailedFirst = failedAt(alice, TYPE, T0.plusSeconds(100), T0.plusSeconds(200));

        assertThat(repository.recentFailed(alice, TYPE, T0, 10))
                .containsExactly(createdFirstFailedLast, createdLastFailedFirst);
    }

    @Test
    void recent_failed_finds_a_failure_behind_many_newer_jobs_of_other_types() {
        OwnerId alice = owner("alice");
        JobState failed = failedAt(alice, TYPE, T0, T0.plusSeconds(1));
        for (int i = 0; i < 300; i++) {
            create(alice, OTHER_TYPE, T0.plusSeconds(10 + i));
        }

        assertThat(repository.recentFailed(alice, TYPE, T0, 10)).containsExactly(failed);
    }

    // ---------------------------------------------------------------- changed since (event replay)

    @Test
    void changed_since_lists_the_owners_rows_of_every_type_changed_at_or_after_the_time_oldest_first() {
        OwnerId alice = owner("alice");
        Instant since = T0.plusSeconds(100);
        create(alice, TYPE, T0); // unchanged since T0: too old
        JobState failed = failedAt(alice, TYPE, T0.plusSeconds(1), T0.plusSeconds(300));
        JobState atSince = apply(create(alice, TYPE, T0.plusSeconds(2)), since, JobUpdate.status(JobStatus.RUNNING));
        JobState created = create(alice, OTHER_TYPE, T0.plusSeconds(200));
        failedAt(alice, TYPE, T0.plusSeconds(3), since.minusMillis(1)); // changed just before
        failedAt(owner("bob"), TYPE, T0.plusSeconds(4), T0.plusSeconds(250)); // another owner's

        assertThat(repository.changedSince(alice, since, 100)).containsExactly(atSince, created, failed);
        assertThat(repository.changedSince(alice, since, 2)).containsExactly(atSince, created);
        assertThat(repository.changedSince(alice, T0.plusSeconds(301), 10)).isEmpty();
        assertThat(repository.changedSince(owner("nobody"), T0, 10)).isEmpty();
    }

    @Test
    void changed_since_returns_each_row_once_in_its_current_state() {
        OwnerId alice = owner("alice");
        JobState job = create(alice, TYPE, T0);
        JobState running = apply(job, T0.plusSeconds(10), JobUpdate.status(JobStatus.RUNNING));
        JobState creating = apply(running, T0.plusSeconds(20), JobUpdate.clusterState("Creating"));

        assertThat(repository.changedSince(alice, T0, 10)).containsExactly(creating);
        assertThat(repository.changedSince(alice, T0.plusSeconds(20), 10)).containsExactly(creating);
        assertThat(repository.changedSince(alice, T0.plusSeconds(21), 10)).isEmpty();
    }

    // ---------------------------------------------------------------- unfinished

    @Test
    void find_unfinished_returns_queued_and_running_rows_of_that_type_oldest_first() {
        JobState second = apply(
                create(owner("a"), TYPE, T0.plusSeconds(20)), T0.plusSeconds(21), JobUpdate.status(JobStatus.RUNNING));
        JobState first = create(owner("b"), TYPE, T0.plusSeconds(10));
        JobState third = create(owner("c"), TYPE, T0.plusSeconds(30));
        create(owner("d"), OTHER_TYPE, T0.plusSeconds(5));
        apply(create(owner("e"), TYPE, T0.plusSeconds(1)), T0.plusSeconds(2), JobUpdate.status(JobStatus.FAILED));
        apply(
                create(owner("f"), TYPE, T0.plusSeconds(3)),
                T0.plusSeconds(4),
                JobUpdate.status(JobStatus.RUNNING),
                JobUpdate.status(JobStatus.SUCCEEDED));

        assertThat(repository.findUnfinished(TYPE)).containsExactly(first, second, third);
        assertThat(repository.findUnfinished("never_used")).isEmpty();
    }

    // ---------------------------------------------------------------- concurrency

    /**
     * {@link #threads()} threads each make {@link #updatesPerThread()} checkpoint updates spread over
     * two live rows (re-read and retry on Stale), and try to change a terminal row on every turn. No
     * update is lost: each live row's version equals the number of updates that answered Updated on it,
     * and its payload holds every checkpoint written. The terminal row never changes.
     */
    @Test
    void concurrent_compare_and_set_updates_lose_nothing_and_never_change_a_terminal_row() throws Exception {
        OwnerId alice = owner("alice");
        List<JobState> live = List.of(
                apply(create(alice, TYPE, T0), T0.plusSeconds(1), JobUpdate.status(JobStatus.RUNNING)),
                create(alice, TYPE, T0.plusSeconds(2)));
        JobState terminal = failedAt(alice, TYPE, T0.plusSeconds(3), T0.plusSeconds(4));
        AtomicInteger[] applied = {new AtomicInteger(), new AtomicInteger()};
        AtomicInteger terminalChanges = new AtomicInteger();
        int threads = threads();
        int perThread = updatesPerThread();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < perThread; i++) {
                        int row = (thread + i) % 2;
                        JobId id = live.get(row).id();
                        JobUpdate u = JobUpdate.payload(Map.of("cp-" + thread + "-" + i, Integer.toString(i)));
                        while (true) {
                            JobState current = repository.get(id).orElseThrow();
                            UpdateResult r = repository.update(id, current.version(), u, T0.plusSeconds(10 + i));
                            if (r instanceof UpdateResult.Updated) {
                                applied[row].incrementAndGet();
                                break;
                            }
                            assertThat(r).isInstanceOf(UpdateResult.Stale.class);
                        }
                        JobState t0 = repository.get(terminal.id()).orElseThrow();
                        UpdateResult r = repository.update(
                                terminal.id(),
                                t0.version(),
                                JobUpdate.payload(Map.of("cp-" + thread + "-" + i, "late")),
                                T0.plusSeconds(10 + i));
                        if (r.isUpdated()) {
                            terminalChanges.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : futures) {
                f.get(concurrencyTimeout().toMillis(), TimeUnit.MILLISECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        int total = 0;
        for (int row = 0; row < 2; row++) {
            JobState after = reread(live.get(row));
            long checkpoints = after.payload().keySet().stream()
                    .filter(k -> k.startsWith("cp-"))
                    .count();
            assertThat(after.version() - live.get(row).version())
                    .as("row %d version delta", row)
                    .isEqualTo(applied[row].get());
            assertThat(checkpoints).as("row %d checkpoints", row).isEqualTo(applied[row].get());
            total += applied[row].get();
        }
        assertThat(total).isEqualTo(threads * perThread);
        assertThat(terminalChanges).hasValue(0);
        assertThat(reread(terminal)).isEqualTo(terminal);
    }

    /** Threads race to finish one running row with different terminal statuses: exactly one wins, for good. */
    @Test
    void racing_finishers_leave_exactly_one_terminal_state() throws Exception {
        int threads = threads();
        List<JobStatus> endings = List.of(JobStatus.SUCCEEDED, JobStatus.FAILED, JobStatus.CANCELLED);
        for (int round = 0; round < 5; round++) {
            JobState job = apply(
                    create(owner("alice"), TYPE, T0.plusSeconds(round)),
                    T0.plusSeconds(round),
                    JobUpdate.status(JobStatus.RUNNING));
            CountDownLatch start = new CountDownLatch(1);
            AtomicInteger winners = new AtomicInteger();
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            List<Future<JobStatus>> futures = new ArrayList<>();
            try {
                for (int t = 0; t < threads; t++) {
                    JobStatus ending = endings.get(t % endings.size());
                    futures.add(pool.submit(() -> {
                        start.await();
                        while (true) {
                            JobState current = repository.get(job.id()).orElseThrow();
                            UpdateResult r = repository.update(
                                    job.id(), current.version(), JobUpdate.status(ending), T0.plusSeconds(100));
                            if (r.isUpdated()) {
                                winners.incrementAndGet();
                                return ending;
                            }
                            if (r instanceof UpdateResult.Rejected) {
                                return null;
                            }
                        }
                    }));
                }
                start.countDown();
                Set<JobStatus> won = new java.util.HashSet<>();
                for (Future<JobStatus> f : futures) {
                    JobStatus s = f.get(concurrencyTimeout().toMillis(), TimeUnit.MILLISECONDS);
                    if (s != null) {
                        won.add(s);
                    }
                }
                assertThat(winners).hasValue(1);
                JobState after = reread(job);
                assertThat(won).containsExactly(after.status());
                assertThat(after.version()).isEqualTo(job.version() + 1);
            } finally {
                pool.shutdownNow();
            }
        }
    }

    // ---------------------------------------------------------------- heartbeats, stale rows, retention

    @Test
    void a_heartbeat_keeps_an_unfinished_row_from_looking_stale_without_changing_it() {
        OwnerId o = owner("beat");
        JobState beating = create(o, TYPE, T0);
        JobState silent = create(o, TYPE, T0.plusSeconds(1));
        JobState other = create(o, OTHER_TYPE, T0);

        repository.heartbeat(beating.id(), T0.plusSeconds(600));
        repository.heartbeat(beating.id(), T0.plusSeconds(300)); // an older beat never moves it back

        assertThat(repository.findStale(TYPE, T0.plusSeconds(500)))
                .extracting(JobState::id)
                .containsExactly(silent.id());
        assertThat(repository.findStale(TYPE, T0.plusSeconds(700)))
                .extracting(JobState::id)
                .containsExactly(beating.id(), silent.id());
        assertThat(reread(beating)).as("no version or updatedAt change").isEqualTo(beating);
        assertThat(repository.findStale(OTHER_TYPE, T0.plusSeconds(700)))
                .extracting(JobState::id)
                .containsExactly(other.id());
    }

    @Test
    void finished_rows_are_never_stale_and_a_heartbeat_leaves_them_alone() {
        OwnerId o = owner("done");
        JobState failed = failedAt(o, TYPE, T0, T0.plusSeconds(1));
        repository.heartbeat(failed.id(), T0.plusSeconds(900));
        repository.heartbeat(JobId.random(), T0); // no such row: nothing happens

        assertThat(repository.findStale(TYPE, T0.plusSeconds(10_000))).isEmpty();
        assertThat(reread(failed)).isEqualTo(failed);
    }

    @Test
    void purge_deletes_only_finished_rows_of_the_type_older_than_the_cut_oldest_first_in_batches() {
        OwnerId o = owner("purge");
        List<JobState> old = new java.util.ArrayList<>();
        for (int i = 0; i < 5; i++) {
            old.add(failedAt(o, TYPE, T0.plusSeconds(i), T0.plusSeconds(10 + i)));
        }
        JobState recent = failedAt(o, TYPE, T0, T0.plusSeconds(1_000));
        JobState running = apply(create(o, TYPE, T0), T0, JobUpdate.status(JobStatus.RUNNING));
        JobState otherType = failedAt(o, OTHER_TYPE, T0, T0.plusSeconds(10));
        Instant cut = T0.plusSeconds(500);

        assertThat(repository.purgeFinished(TYPE, cut, 2)).isEqualTo(2);
        assertThat(repository.get(old.get(0).id())).isEmpty();
        assertThat(repository.get(old.get(1).id())).isEmpty();
        assertThat(repository.get(old.get(2).id())).isPresent();
        assertThat(repository.purgeFinished(TYPE, cut, 10)).isEqualTo(3);
        assertThat(repository.purgeFinished(TYPE, cut, 10)).isZero();
        assertThat(repository.get(recent.id())).isPresent();
        assertThat(repository.get(running.id())).isPresent();
        assertThat(repository.get(otherType.id())).isPresent();
    }
}
