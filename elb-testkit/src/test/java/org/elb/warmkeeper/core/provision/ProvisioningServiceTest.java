package org.elb.warmkeeper.core.provision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.elb.warmkeeper.core.cluster.ClusterRef;
import org.elb.warmkeeper.core.cluster.OwnerId;
import org.elb.warmkeeper.testkit.FakeClusterProvisioner;
import org.elb.warmkeeper.testkit.InMemoryJobStateEvents;
import org.elb.warmkeeper.testkit.InMemoryJobStateRepository;
import org.elb.warmkeeper.testkit.MutableClock;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * ProvisioningService with the testkit fakes: row before enqueue, task id after, best-effort
 * writes, recent failed, owner-scoped cancel with the partial flag, and concurrent listener updates.
 */
class ProvisioningServiceTest {

    static final String SUB = "0f1e2d3c-4b5a-6978-8695-a4b3c2d1e0f9";
    static final OwnerId ALICE = OwnerId.of("alice-oid");
    static final OwnerId BOB = OwnerId.of("bob-oid");
    static final String TENANT = "contoso.onmicrosoft.com";

    final MutableClock clock = MutableClock.start();
    final InMemoryJobStateRepository repository = new InMemoryJobStateRepository();
    final FakeClusterProvisioner fake = new FakeClusterProvisioner();
    final SpyProvisioner provisioner = new SpyProvisioner();
    final InMemoryJobStateEvents events = new InMemoryJobStateEvents();
    final RecordingObserver observer = new RecordingObserver();
    final ProvisioningService service = ProvisioningService.builder(repository, provisioner)
            .events(events)
            .observer(observer)
            .clock(clock)
            .tenant(TENANT)
            .writeRetry(Duration.ofMillis(5), Duration.ofMillis(20))
            .build();

    static ProvisionRequest request(String name, String region) {
        return new ProvisionRequest(ClusterRef.of(SUB, "rg-elb", name), region, "Standard_E32s_v5", 3, "1.33");
    }

    /** The fake provisioner, plus what the store held when begin was called and the listener it got. */
    final class SpyProvisioner implements ClusterProvisioner {
        final List<List<JobState>> unfinishedAtBegin = new CopyOnWriteArrayList<>();
        volatile @Nullable ProvisionListener listener;
        volatile Runnable onBegin = () -> {};

        @Override
        public TaskId begin(ProvisionRequest request, ProvisionListener l) {
            try {
                unfinishedAtBegin.add(repository.findUnfinished(ProvisioningService.JOB_TYPE));
            } catch (RuntimeException e) {
                unfinishedAtBegin.add(List.of());
            }
            listener = l;
            onBegin.run();
            return fake.begin(request, l);
        }

        @Override
        public boolean stop(TaskId taskId) {
            return fake.stop(taskId);
        }

        @Override
        public void abortOperation(ClusterRef cluster) {
            fake.abortOperation(cluster);
        }

        @Override
        public void deleteCluster(ClusterRef cluster) {
            fake.deleteCluster(cluster);
        }
    }

    static final class RecordingObserver implements ProvisioningObserver {
        final List<String> writeFailures = new CopyOnWriteArrayList<>();
        final List<String> ended = new CopyOnWriteArrayList<>();
        final List<Throwable> degraded = new CopyOnWriteArrayList<>();
        final List<ProvisionRequest> requested = new CopyOnWriteArrayList<>();

        @Override
        public void provisionRequested(ProvisionRequest request) {
            requested.add(request);
        }

        @Override
        public void provisionEnded(JobStatus status, @Nullable ErrorCategory category) {
            ended.add(status.wireName() + (category == null ? "" : ":" + category.wireName()));
        }

        @Override
        public void stateWriteFailed(String operation, Throwable error) {
            writeFailures.add(operation);
        }

        @Override
        public void recentFailedDegraded(Throwable error) {
            degraded.add(error);
        }
    }

    private JobState row(ProvisionAccepted accepted) {
        return repository.get(accepted.jobId()).orElseThrow();
    }

    // ---- provision ---------------------------------------------------------------------------------

    @Test
    void the_row_is_written_queued_before_the_enqueue_and_the_task_id_is_stamped_after() {
        ProvisionRequest req = request("elb-aks-1", "koreacentral");
        ProvisionAccepted accepted = service.provision(ALICE, req);

        assertThat(provisioner.unfinishedAtBegin).singleElement().satisfies(rows -> {
            assertThat(rows).singleElement().satisfies(r -> {
                assertThat(r.status()).isEqualTo(JobStatus.QUEUED);
                assertThat(r.taskId()).as("no task id before the enqueue").isNull();
                assertThat(r.type()).isEqualTo("aks_provision");
                assertThat(r.owner()).isEqualTo(ALICE);
                assertThat(r.payload()).isEqualTo(req.toPayload());
            });
        });
        assertThat(accepted.stateRecorded()).isTrue();
        JobState row = row(accepted);
        assertThat(row.taskId()).isEqualTo(accepted.taskId());
        assertThat(row.status()).isEqualTo(JobStatus.QUEUED);
        assertThat(row.version()).isEqualTo(1);
        assertThat(service.job(ALICE, accepted.taskId())).contains(row);
        assertThat(service.job(BOB, accepted.taskId())).isEmpty();
        assertThat(events.published()).extracting(JobStateChange::version).containsExactly(0L, 1L);
        assertThat(observer.requested).containsExactly(req);
    }

    @Test
    void a_store_that_is_down_never_fails_the_provision_and_the_row_lands_in_its_true_state_when_it_returns() {
        repository.faults().unavailable();

        ProvisionAccepted accepted = service.provision(ALICE, request("elb-aks-1", "koreacentral"));

        assertThat(accepted.taskId()).isNotNull();
        assertThat(accepted.jobId()).isNotNull();
        assertThat(accepted.stateRecorded()).isFalse();
        assertThat(fake.isRunning(accepted.taskId())).isTrue();
        assertThat(observer.writeFailures).contains("create");
        fake.publishState(accepted.taskId(), "Creating");
        clock.advance(Duration.ofMinutes(3));
        Instant failedAt = clock.instant();
        fake.fail(accepted.taskId(), ArmError.of("QuotaExceeded", "no cores left"));
        assertThat(observer.ended).containsExactly("failed:quota_exceeded");
        assertThat(service.pendingWrites()).isEqualTo(4); // create, stamp, state, failed: in order
        clock.advance(Duration.ofMinutes(10));

        repository.faults().heal();

        await().atMost(Duration.ofSeconds(10)).until(() -> service.pendingWrites() == 0);
        JobState row = row(accepted);
        assertThat(row.status()).isEqualTo(JobStatus.FAILED);
        assertThat(row.taskId()).isEqualTo(accepted.taskId());
        assertThat(row.clusterState()).isEqualTo("Creating");
        assertThat(row.error().category()).isEqualTo(ErrorCategory.QUOTA_EXCEEDED);
        assertThat(row.updatedAt())
                .as("failed_at is when it failed, not when the store came back")
                .isEqualTo(failedAt);
        assertThat(service.recentFailed(ALICE, null, null).jobs())
                .singleElement()
                .satisfies(f -> assertThat(f.jobId()).isEqualTo(accepted.jobId()));
        assertThat(service.recoveredWrites()).isEqualTo(4);
        assertThat(events.published()).extracting(JobStateChange::version).containsExactly(0L, 1L, 2L, 3L);
    }

    @Test
    void a_store_that_fails_after_the_row_was_written_gets_the_task_id_stamp_when_it_returns() {
        provisioner.onBegin = () -> repository.faults().unavailable();

        ProvisionAccepted accepted = service.provision(ALICE, request("elb-aks-1", "koreacentral"));

        assertThat(accepted.stateRecorded()).isFalse();
        assertThat(accepted.jobId()).isNotNull();
        assertThat(observer.writeFailures).contains("stamp_task_id");
        repository.faults().heal();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> accepted.taskId().equals(row(accepted).taskId()));
        assertThat(service.job(ALICE, accepted.taskId())).isPresent();
    }

    @Test
    void while_the_store_is_down_a_delete_is_not_sent_and_the_cancel_can_be_retried_when_it_returns() {
        repository.faults().unavailable();
        ProvisionAccepted accepted = service.provision(ALICE, request("elb-aks-1", "koreacentral"));
        fake.created(accepted.taskId());
        fake.publishState(accepted.taskId(), "Creating");

        assertThatThrownBy(() -> service.cancel(ALICE, accepted.taskId(), CancelMode.DELETE_CLUSTER))
                .isInstanceOf(JobStoreException.class)
                .hasMessageContaining("nothing was stopped or sent");

        assertThat(fake.isRunning(accepted.taskId())).isTrue();
        assertThat(fake.deleted()).as("no delete before the cancel is recorded").isEmpty();
        repository.faults().heal();
        await().atMost(Duration.ofSeconds(10)).until(() -> service.pendingWrites() == 0);
        CancelOutcome mallory = service.cancel(BOB, accepted.taskId(), CancelMode.STOP);
        CancelOutcome outcome = service.cancel(ALICE, accepted.taskId(), CancelMode.DELETE_CLUSTER);

        assertThat(outcome.result()).isEqualTo(CancelOutcome.Result.CANCELLED);
        assertThat(fake.isRunning(accepted.taskId())).isFalse();
        assertThat(fake.deleted())
                .containsExactly(request("elb-aks-1", "koreacentral").cluster());
        JobState row = row(accepted);
        assertThat(row.status()).isEqualTo(JobStatus.CANCELLED);
        assertThat(row.payload())
                .containsEntry(ProvisioningService.KEY_CANCEL_REQUESTED, "delete_cluster")
                .containsEntry(ProvisioningService.KEY_CANCEL_ACTION, "delete_cluster");
        assertThat(mallory.result()).isEqualTo(CancelOutcome.Result.NOT_FOUND);
    }

    @Test
    void while_the_store_is_down_the_local_task_is_stoppable_and_the_cancel_lands_after_it_returns() {
        repository.faults().unavailable();
        ProvisionAccepted accepted = service.provision(ALICE, request("elb-aks-1", "koreacentral"));
        fake.publishState(accepted.taskId(), "Creating");

        CancelOutcome outcome = service.cancel(ALICE, accepted.taskId(), CancelMode.STOP);

        assertThat(outcome.result()).isEqualTo(CancelOutcome.Result.CANCELLED);
        assertThat(fake.isRunning(accepted.taskId())).isFalse();
        repository.faults().heal();
        await().atMost(Duration.ofSeconds(10)).until(() -> service.pendingWrites() == 0);
        JobState row = row(accepted);
        assertThat(row.status()).isEqualTo(JobStatus.CANCELLED);
        assertThat(row.payload()).containsEntry(ProvisioningService.KEY_CANCEL_REQUESTED, "stop");
    }

    /**
     * The create ended here while its row's end waits for the store: the task's entry stays (its policy
     * slot is freed) so that a cancel meanwhile is told the create finished and sends nothing; the sweep
     * drops the entry once the writes landed.
     */
    @Test
    void a_create_that_ended_while_the_store_is_down_is_already_finished_for_a_cancel() {
        repository.faults().unavailable();
        ProvisionAccepted accepted = service.provision(ALICE, request("elb-aks-1", "koreacentral"));
        fake.start(accepted.taskId());
        fake.created(accepted.taskId());
        fake.succeed(accepted.taskId());

        CancelOutcome outcome = service.cancel(ALICE, accepted.taskId(), CancelMode.DELETE_CLUSTER);

        assertThat(outcome.result()).isEqualTo(CancelOutcome.Result.ALREADY_FINISHED);
        assertThat(fake.deleted())
                .as("no delete of a cluster whose create succeeded")
                .isEmpty();
        assertThat(service.activeProvisions())
                .as("the slot is freed at the end")
                .isZero();
        assertThat(service.followedTasks())
                .as("kept while its end waits for the store")
                .isEqualTo(1);
        repository.faults().heal();
        await().atMost(Duration.ofSeconds(10)).until(() -> service.pendingWrites() == 0);
        assertThat(row(accepted).status()).isEqualTo(JobStatus.SUCCEEDED);
        service.sweep(SweepPolicy.ofDefaults());
        assertThat(service.followedTasks()).as("dropped once its writes landed").isZero();
    }

    // ---- the cancel fence: two replicas on one store -------------------------------------------------

    /** Replica B's provisioner: the fake, with a hook run when B sends its delete. */
    static final class CancellingReplica implements ClusterProvisioner {
        final FakeClusterProvisioner arm = new FakeClusterProvisioner();
        volatile Runnable onDelete = () -> {};

        @Override
        public TaskId begin(ProvisionRequest request, ProvisionListener listener) {
            return arm.begin(request, listener);
        }

        @Override
        public boolean stop(TaskId taskId) {
            return arm.stop(taskId);
        }

        @Override
        public void abortOperation(ClusterRef cluster) {
            arm.abortOperation(cluster);
        }

        @Override
        public void deleteCluster(ClusterRef cluster) {
            onDelete.run();
            arm.deleteCluster(cluster);
        }
    }

    @Test
    void success_reported_while_another_replica_deletes_does_not_hide_the_delete() {
        ProvisionAccepted accepted = service.provision(ALICE, request("elb-aks-1", "koreacentral"));
        fake.created(accepted.taskId());
        fake.publishState(accepted.taskId(), "Creating");
        CancellingReplica b = new CancellingReplica();
        ProvisioningService other =
                ProvisioningService.builder(repository, b).events(events).build();
        // The polling replica (this one) hears ARM's success while B's delete is on its way.
        b.onDelete = () -> fake.succeed(accepted.taskId());

        CancelOutcome outcome = other.cancel(ALICE, accepted.taskId(), CancelMode.DELETE_CLUSTER);

        assertThat(b.arm.deleted())
                .containsExactly(request("elb-aks-1", "koreacentral").cluster());
        assertThat(outcome.result())
                .as("a caller whose cancel sent a delete is never told already_finished")
                .isEqualTo(CancelOutcome.Result.CANCELLED);
        JobState row = row(accepted);
        assertThat(row.status()).isEqualTo(JobStatus.CANCELLED);
        assertThat(row.payload())
                .containsEntry(ProvisioningService.KEY_CANCEL_ACTION, "delete_cluster")
                .containsEntry(ProvisioningService.KEY_CANCEL_ACTION_STATE, "accepted")
                .containsEntry(JobTransitions.KEY_REPORTED_OUTCOME, "succeeded");
        other.close();
    }

    @Test
    void success_recorded_before_the_cancel_is_fenced_sends_no_delete() {
        ProvisionAccepted accepted = service.provision(ALICE, request("elb-aks-1", "koreacentral"));
        fake.created(accepted.taskId());
        fake.publishState(accepted.taskId(), "Creating");
        CancellingReplica b = new CancellingReplica();
        // B reads the running row; the success lands before B's fence (its compare-and-set then fails).
        java.util.concurrent.atomic.AtomicBoolean once = new java.util.concurrent.atomic.AtomicBoolean();
        JobStateRepository racing = new JobStateRepository() {
            @Override
            public JobState create(NewJob job) {
                return repository.create(job);
            }

            @Override
            public UpdateResult update(JobId id, long expectedVersion, JobUpdate update, Instant at) {
                if (!once.getAndSet(true)) {
                    fake.succeed(accepted.taskId());
                }
                return repository.update(id, expectedVersion, update, at);
            }

            @Override
            public Optional<JobState> get(JobId id) {
                return repository.get(id);
            }

            @Override
            public Optional<JobState> findById(JobId id, OwnerId owner) {
                return repository.findById(id, owner);
            }

            @Override
            public Optional<JobState> findByTaskId(TaskId taskId, OwnerId owner) {
                return repository.findByTaskId(taskId, owner);
            }

            @Override
            public List<JobState> recentFailed(OwnerId owner, String type, Instant since, int limit) {
                return repository.recentFailed(owner, type, since, limit);
            }

            @Override
            public List<JobState> findUnfinished(String type) {
                return repository.findUnfinished(type);
            }

            @Override
            public void heartbeat(JobId id, Instant at) {
                repository.heartbeat(id, at);
            }

            @Override
            public List<JobState> findStale(String type, Instant before) {
                return repository.findStale(type, before);
            }

            @Override
            public int purgeFinished(String type, Instant before, int limit) {
                return repository.purgeFinished(type, before, limit);
            }
        };
        ProvisioningService other =
                ProvisioningService.builder(racing, b).events(events).build();

        CancelOutcome outcome = other.cancel(ALICE, accepted.taskId(), CancelMode.DELETE_CLUSTER);

        assertThat(outcome.result()).isEqualTo(CancelOutcome.Result.ALREADY_FINISHED);
        assertThat(b.arm.deleted()).as("no delete once success is recorded").isEmpty();
        assertThat(row(accepted).status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(row(accepted).payload()).doesNotContainKey(ProvisioningService.KEY_CANCEL_REQUESTED);
        other.close();
    }

    @Test
    void a_failure_reported_after_the_fence_is_kept_in_the_cancelled_row() {
        ProvisionAccepted accepted = service.provision(ALICE, request("elb-aks-1", "koreacentral"));
        fake.created(accepted.taskId());
        CancellingReplica b = new CancellingReplica();
        ProvisioningService other =
                ProvisioningService.builder(repository, b).events(events).build();
        b.onDelete = () -> fake.fail(accepted.taskId(), new ArmError("QuotaExceeded", "quota", List.of()));

        CancelOutcome outcome = other.cancel(ALICE, accepted.taskId(), CancelMode.DELETE_CLUSTER);

        assertThat(outcome.result()).isEqualTo(CancelOutcome.Result.CANCELLED);
        JobState row = row(accepted);
        assertThat(row.status()).isEqualTo(JobStatus.CANCELLED);
        assertThat(row.payload())
                .containsEntry(JobTransitions.KEY_REPORTED_OUTCOME, "failed")
                .containsEntry(JobTransitions.KEY_REPORTED_ERROR_CODE, "QuotaExceeded");
        other.close();
    }

    @Test
    void a_fenced_row_whose_canceller_died_is_swept_cancelled_not_failed() {
        ProvisionAccepted accepted = service.provision(ALICE, request("elb-aks-1", "koreacentral"));
        fake.stop(accepted.taskId()); // this replica is gone
        JobState running = row(accepted);
        repository.update(
                running,
                JobUpdate.payload(Map.of(ProvisioningService.KEY_CANCEL_REQUESTED, "delete_cluster")),
                clock.instant());
        ProvisioningService leader = ProvisioningService.builder(repository, new FakeClusterProvisioner())
                .clock(clock)
                .build();
        clock.advance(Duration.ofHours(1));

        SweepReport report = leader.sweep(SweepPolicy.ofDefaults());

        assertThat(report.interrupted()).containsExactly(accepted.jobId());
        JobState row = row(accepted);
        assertThat(row.status()).isEqualTo(JobStatus.CANCELLED);
        assertThat(java.util.Objects.requireNonNull(row.error()).code())
                .isEqualTo(ProvisioningService.CODE_INTERRUPTED);
        leader.close();
    }

    @Test
    void a_cancel_of_another_replicas_task_with_the_store_down_stops_nothing_and_fails() {
        ProvisionAccepted accepted = service.provision(ALICE, request("elb-aks-1", "koreacentral"));
        List<TaskId> stops = new CopyOnWriteArrayList<>();
        FakeClusterProvisioner otherFake = new FakeClusterProvisioner();
        ClusterProvisioner otherProvisioner = new ClusterProvisioner() {
            @Override
            public TaskId begin(ProvisionRequest request, ProvisionListener listener) {
                return otherFake.begin(request, listener);
            }

            @Override
            public boolean stop(TaskId taskId) {
                stops.add(taskId);
                return otherFake.stop(taskId);
            }

            @Override
            public void abortOperation(ClusterRef cluster) {
                otherFake.abortOperation(cluster);
            }

            @Override
            public void deleteCluster(ClusterRef cluster) {
                otherFake.deleteCluster(cluster);
            }
        };
        ProvisioningService other =
                ProvisioningService.builder(repository, otherProvisioner).build();
        repository.faults().unavailable();

        assertThatThrownBy(() -> other.cancel(ALICE, accepted.taskId(), CancelMode.STOP))
                .isInstanceOf(RuntimeException.class);

        assertThat(stops).as("nothing is stopped before the cancel is recorded").isEmpty();
        assertThat(fake.isRunning(accepted.taskId())).isTrue();
        repository.faults().heal();
        assertThat(row(accepted).status()).isEqualTo(JobStatus.QUEUED);
        other.close();
    }

    @Test
    void a_cancel_recorded_by_another_replica_stops_the_task_here() {
        ProvisionAccepted accepted = service.provision(ALICE, request("elb-aks-1", "koreacentral"));
        fake.publishState(accepted.taskId(), "Creating");
        ProvisioningService other = ProvisioningService.builder(repository, new FakeClusterProvisioner())
                .events(events)
                .build();

        CancelOutcome outcome = other.cancel(ALICE, accepted.taskId(), CancelMode.STOP);

        assertThat(outcome.result()).isEqualTo(CancelOutcome.Result.CANCELLED);
        assertThat(fake.isRunning(accepted.taskId()))
                .as("the polling replica heard the cancelled row")
                .isFalse();
        assertThat(row(accepted).payload()).containsEntry(ProvisioningService.KEY_CANCEL_REQUESTED, "stop");
        other.close();
    }

    @Test
    void writes_queued_behind_a_failed_one_land_in_the_order_they_were_made() {
        ProvisionAccepted accepted = service.provision(ALICE, request("elb-aks-1", "koreacentral"));
        repository.faults().failNext(1);

        fake.publishState(accepted.taskId(), "Creating"); // fails, queued
        fake.publishState(accepted.taskId(), "Updating"); // the store is back, but this one waits its turn

        await().atMost(Duration.ofSeconds(10)).until(() -> service.pendingWrites() == 0);
        assertThat(row(accepted).clusterState()).isEqualTo("Updating");
        assertThat(events.published().stream()
                        .map(JobStateChange::clusterState)
                        .filter(java.util.Objects::nonNull)
                        .toList())
                .containsExactly("Creating", "Updating");
    }

    @Test
    void events_that_cannot_subscribe_never_keep_the_service_from_starting() {
        JobStateEvents broken = new JobStateEvents() {
            @Override
            public void publish(JobStateChange change) {}

            @Override
            public Subscription subscribe(java.util.function.Consumer<JobStateChange> subscriber) {
                throw new IllegalStateException("redis down (simulated)");
            }
        };
        try (ProvisioningService s =
                ProvisioningService.builder(repository, fake).events(broken).build()) {
            ProvisionAccepted accepted = s.provision(ALICE, request("elb-aks-1", "koreacentral"));
            assertThat(accepted.stateRecorded()).isTrue();
        }
    }

    @Test
    void stamping_a_task_id_on_a_terminal_row_keeps_its_updated_at() {
        NewJob job = new NewJob(JobId.random(), ProvisioningService.JOB_TYPE, ALICE, Map.of(), clock.instant());
        JobState failed = JobState.created(job)
                .apply(
                        JobUpdate.status(JobStatus.FAILED)
                                .withError(new ErrorClassification(ErrorCategory.UNKNOWN, "X", "y")),
                        clock.instant());
        JobState stamped = failed.apply(
                JobUpdate.taskId(TaskId.of("late")), clock.instant().plusSeconds(600));
        assertThat(stamped.updatedAt()).isEqualTo(failed.updatedAt());
        assertThat(stamped.taskId()).isEqualTo(TaskId.of("late"));
    }

    @Test
    void a_begin_failure_marks_the_row_failed_and_throws() {
        fake.faults().unavailable();

        assertThatThrownBy(() -> service.provision(ALICE, request("elb-aks-1", "koreacentral")))
                .isInstanceOf(ProvisioningException.class);

        List<JobState> failed = repository.recentFailed(ALICE, ProvisioningService.JOB_TYPE, Instant.EPOCH, 10);
        assertThat(failed).singleElement().satisfies(r -> {
            assertThat(r.status()).isEqualTo(JobStatus.FAILED);
            assertThat(r.error()).isNotNull();
        });
        assertThat(repository.findUnfinished(ProvisioningService.JOB_TYPE)).isEmpty();
        assertThat(observer.ended).singleElement().satisfies(e -> assertThat(e).startsWith("failed"));
    }

    // ---- progress ----------------------------------------------------------------------------------

    @Test
    void progress_becomes_row_updates_and_events() {
        ProvisionAccepted accepted = service.provision(ALICE, request("elb-aks-1", "koreacentral"));
        TaskId task = accepted.taskId();

        fake.publishState(task, "Creating");
        assertThat(row(accepted).status())
                .as("a cluster_state moves queued to running")
                .isEqualTo(JobStatus.RUNNING);
        assertThat(row(accepted).clusterState()).isEqualTo("Creating");
        fake.checkpoint(task, Map.of("poll_url", "https://management.azure.com/op/1"));
        fake.fail(task, ArmError.of("InvalidTemplateDeployment", "not valid", ArmError.of("QuotaExceeded", "quota")));

        JobState row = row(accepted);
        assertThat(row.status()).isEqualTo(JobStatus.FAILED);
        assertThat(row.error().category()).isEqualTo(ErrorCategory.QUOTA_EXCEEDED);
        assertThat(row.payload())
                .containsEntry("poll_url", "https://management.azure.com/op/1")
                .containsEntry("region", "koreacentral");
        assertThat(observer.ended).containsExactly("failed:quota_exceeded");
        assertThat(events.published()).extracting(JobStateChange::version).containsExactly(0L, 1L, 2L, 3L, 4L);
        assertThat(events.published().get(4).status()).isEqualTo(JobStatus.FAILED);
    }

    @Test
    void each_way_a_job_ends_is_counted_once_including_a_cancel_reported_by_the_provisioner() {
        ProvisionAccepted ok = service.provision(ALICE, request("elb-aks-1", "koreacentral"));
        fake.succeed(ok.taskId());
        ProvisionAccepted bad = service.provision(ALICE, request("elb-aks-2", "koreacentral"));
        fake.fail(bad.taskId(), ArmError.of("QuotaExceeded", "quota"));
        ProvisionAccepted aborted = service.provision(ALICE, request("elb-aks-3", "koreacentral"));
        provisioner.listener.cancelled(); // ARM answered Canceled (aborted from the portal)
        ProvisionAccepted mine = service.provision(ALICE, request("elb-aks-4", "koreacentral"));
        service.cancel(ALICE, mine.taskId(), CancelMode.STOP);

        assertThat(row(aborted).status()).isEqualTo(JobStatus.CANCELLED);
        assertThat(observer.ended)
                .containsExactly("succeeded", "failed:quota_exceeded", "cancelled:cancelled", "cancelled:cancelled");
    }

    // ---- recent failed -----------------------------------------------------------------------------

    private void failOne(OwnerId owner, String name, String region) {
        ProvisionAccepted a = service.provision(owner, request(name, region));
        fake.fail(a.taskId(), ArmError.of("AllocationFailed", "Allocation failed."));
    }

    @Test
    void recent_failed_is_the_owners_newest_first_with_the_region_from_the_payload() {
        failOne(ALICE, "old", "westus"); // 30 h ago: outside the default 24 h
        clock.advance(Duration.ofHours(10));
        failOne(ALICE, "first", "koreacentral");
        clock.advance(Duration.ofHours(10));
        failOne(BOB, "bobs", "eastus");
        ProvisionAccepted ok = service.provision(ALICE, request("fine", "eastus"));
        fake.succeed(ok.taskId());
        failOne(ALICE, "second", "japaneast");
        clock.advance(Duration.ofHours(10));
        failOne(ALICE, "third", "eastus2");

        RecentFailedProvisions recent = service.recentFailed(ALICE, null, null);

        assertThat(recent.degraded()).isFalse();
        assertThat(recent.jobs()).extracting(FailedProvision::clusterName).containsExactly("third", "second", "first");
        assertThat(recent.jobs())
                .extracting(FailedProvision::region)
                .containsExactly("eastus2", "japaneast", "koreacentral");
        assertThat(recent.jobs())
                .allSatisfy(f -> assertThat(f.error().category()).isEqualTo(ErrorCategory.CAPACITY));
        assertThat(service.recentFailed(ALICE, 48, null).jobs()).hasSize(4);
        assertThat(service.recentFailed(ALICE, 48, 2).jobs())
                .extracting(FailedProvision::clusterName)
                .containsExactly("third", "second");
        assertThat(service.recentFailed(BOB, null, null).jobs())
                .extracting(FailedProvision::clusterName)
                .containsExactly("bobs");
    }

    @Test
    void recent_failed_degrades_to_an_empty_list_when_the_store_fails() {
        failOne(ALICE, "first", "koreacentral");
        repository.faults().unavailable();

        RecentFailedProvisions recent = service.recentFailed(ALICE, null, null);

        assertThat(recent.degraded()).isTrue();
        assertThat(recent.jobs()).isEmpty();
        assertThat(observer.degraded).hasSize(1);
    }

    @Test
    void recent_failed_rejects_non_positive_parameters_naming_them() {
        assertThatThrownBy(() -> service.recentFailed(ALICE, 0, null)).hasMessageContaining("'hours'");
        assertThatThrownBy(() -> service.recentFailed(ALICE, null, -1)).hasMessageContaining("'limit'");
    }

    // ---- cancel ------------------------------------------------------------------------------------

    @Test
    void another_owner_cannot_cancel_and_sees_not_found() {
        ProvisionAccepted accepted = service.provision(ALICE, request("elb-aks-1", "koreacentral"));
        JobState before = row(accepted);

        CancelOutcome outcome = service.cancel(BOB, accepted.taskId(), CancelMode.STOP);

        assertThat(outcome.result()).isEqualTo(CancelOutcome.Result.NOT_FOUND);
        assertThat(outcome.job()).isNull();
        assertThat(row(accepted)).isEqualTo(before);
        assertThat(fake.isRunning(accepted.taskId())).isTrue();
    }

    @Test
    void a_cancel_after_cluster_state_was_published_links_the_partial_cluster() {
        ProvisionRequest req = request("elb-aks-1", "koreacentral");
        ProvisionAccepted accepted = service.provision(ALICE, req);
        fake.publishState(accepted.taskId(), "Creating");

        CancelOutcome outcome = service.cancel(ALICE, accepted.taskId(), CancelMode.STOP);

        assertThat(outcome.result()).isEqualTo(CancelOutcome.Result.CANCELLED);
        assertThat(outcome.partialResourceLikely()).isTrue();
        assertThat(outcome.portalUrl())
                .isEqualTo(
                        "https://portal.azure.com/#@" + TENANT + "/resource/subscriptions/" + SUB
                                + "/resourceGroups/rg-elb/providers/Microsoft.ContainerService/managedClusters/elb-aks-1/overview");
        assertThat(outcome.portalUrl())
                .isEqualTo("https://portal.azure.com/#@" + TENANT + "/resource"
                        + req.cluster().resourceId() + "/overview");
        assertThat(row(accepted).status()).isEqualTo(JobStatus.CANCELLED);
        assertThat(row(accepted).error().category()).isEqualTo(ErrorCategory.CANCELLED);
        assertThat(fake.isRunning(accepted.taskId())).as("polling stopped").isFalse();
        assertThat(observer.ended).containsExactly("cancelled:cancelled");
        assertThat(events.published().get(events.published().size() - 1).status())
                .isEqualTo(JobStatus.CANCELLED);
    }

    @Test
    void a_cancel_before_any_cluster_state_has_no_partial_flag() {
        ProvisionAccepted accepted = service.provision(ALICE, request("elb-aks-1", "koreacentral"));

        CancelOutcome outcome = service.cancel(ALICE, accepted.taskId(), CancelMode.STOP);

        assertThat(outcome.result()).isEqualTo(CancelOutcome.Result.CANCELLED);
        assertThat(outcome.partialResourceLikely()).isFalse();
        assertThat(outcome.portalUrl()).isNull();
        assertThat(outcome.portalUrlIfAny()).isEmpty();
        assertThat(row(accepted).status()).isEqualTo(JobStatus.CANCELLED);
    }

    @Test
    void abort_and_delete_call_the_provisioner_and_are_recorded_in_the_row() {
        ProvisionRequest one = request("elb-aks-1", "koreacentral");
        ProvisionRequest two = request("elb-aks-2", "koreacentral");
        ProvisionAccepted a = service.provision(ALICE, one);
        ProvisionAccepted b = service.provision(ALICE, two);
        fake.created(a.taskId());
        fake.created(b.taskId());
        fake.publishState(a.taskId(), "Creating");

        CancelOutcome aborted = service.cancel(ALICE, a.taskId(), CancelMode.ABORT_OPERATION);
        CancelOutcome deleted = service.cancel(ALICE, b.taskId(), CancelMode.DELETE_CLUSTER);

        assertThat(fake.aborted()).containsExactly(one.cluster());
        assertThat(fake.deleted()).containsExactly(two.cluster());
        assertThat(aborted.mode()).isEqualTo(CancelMode.ABORT_OPERATION);
        assertThat(aborted.actionError()).isNull();
        assertThat(row(a).payload())
                .containsEntry(ProvisioningService.KEY_CANCEL_ACTION, "abort_operation")
                .doesNotContainKey(ProvisioningService.KEY_CANCEL_ACTION_ERROR);
        assertThat(row(b).payload()).containsEntry(ProvisioningService.KEY_CANCEL_ACTION, "delete_cluster");
        assertThat(deleted.result()).isEqualTo(CancelOutcome.Result.CANCELLED);
    }

    @Test
    void an_abort_and_a_delete_are_followed_to_their_end_and_recorded_in_the_cancelled_row() {
        ProvisionRequest one = request("elb-aks-1", "koreacentral");
        ProvisionRequest two = request("elb-aks-2", "koreacentral");
        ProvisioningService service =
                ProvisioningService.builder(repository, fake).clock(clock).build(); // fake follows
        ProvisionAccepted a = service.provision(ALICE, one);
        ProvisionAccepted b = service.provision(ALICE, two);
        fake.created(a.taskId());
        fake.created(b.taskId());
        service.cancel(ALICE, a.taskId(), CancelMode.ABORT_OPERATION);
        service.cancel(ALICE, b.taskId(), CancelMode.DELETE_CLUSTER);
        assertThat(row(a).payload()).containsEntry(ProvisioningService.KEY_CANCEL_ACTION_STATE, "accepted");

        assertThat(fake.endAction(one.cluster(), "Succeeded", null)).isTrue(); // the create won the race
        assertThat(fake.endAction(two.cluster(), "DeleteFailed", "the cluster is Failed, not deleted"))
                .isTrue();

        assertThat(row(a).status()).isEqualTo(JobStatus.CANCELLED);
        assertThat(row(a).payload()).containsEntry(ProvisioningService.KEY_CANCEL_ACTION_STATE, "Succeeded");
        assertThat(row(b).payload())
                .containsEntry(ProvisioningService.KEY_CANCEL_ACTION_STATE, "DeleteFailed")
                .containsEntry(ProvisioningService.KEY_CANCEL_ACTION_ERROR, "the cluster is Failed, not deleted");
        JobState done = row(a);
        assertThat(repository.update(done, JobUpdate.payload(Map.of("other", "x")), clock.instant()))
                .as("a cancelled row takes nothing else")
                .isInstanceOf(UpdateResult.Rejected.class);
        service.close();
    }

    @Test
    void abort_and_delete_are_never_sent_for_a_cluster_the_job_did_not_create() {
        ProvisionAccepted a = service.provision(ALICE, request("elb-aks-1", "koreacentral"));
        ProvisionAccepted b = service.provision(ALICE, request("elb-aks-2", "koreacentral"));
        fake.start(a.taskId());
        fake.publishState(a.taskId(), "Succeeded"); // e.g. a cluster of that name that existed before

        CancelOutcome deleted = service.cancel(ALICE, a.taskId(), CancelMode.DELETE_CLUSTER);
        CancelOutcome aborted = service.cancel(ALICE, b.taskId(), CancelMode.ABORT_OPERATION);

        assertThat(fake.deleted()).isEmpty();
        assertThat(fake.aborted()).isEmpty();
        assertThat(deleted.result()).isEqualTo(CancelOutcome.Result.CANCELLED);
        assertThat(deleted.actionError()).isEqualTo(ProvisioningService.NOT_CREATED_BY_JOB);
        assertThat(aborted.actionError()).isEqualTo(ProvisioningService.NOT_CREATED_BY_JOB);
        assertThat(row(a).payload())
                .containsEntry(ProvisioningService.KEY_CANCEL_ACTION, "delete_cluster")
                .containsEntry(ProvisioningService.KEY_CANCEL_ACTION_ERROR, ProvisioningService.NOT_CREATED_BY_JOB);
        assertThat(row(b).status()).isEqualTo(JobStatus.CANCELLED);
    }

    @Test
    void a_failed_abort_is_reported_and_the_row_is_still_cancelled() {
        ProvisionAccepted a = service.provision(ALICE, request("elb-aks-1", "koreacentral"));
        fake.created(a.taskId());
        fake.actionFaults().unavailable();

        CancelOutcome outcome = service.cancel(ALICE, a.taskId(), CancelMode.ABORT_OPERATION);

        assertThat(outcome.result()).isEqualTo(CancelOutcome.Result.CANCELLED);
        assertThat(outcome.actionError()).isNotBlank();
        assertThat(row(a).status()).isEqualTo(JobStatus.CANCELLED);
        assertThat(row(a).payload())
                .containsEntry(ProvisioningService.KEY_CANCEL_ACTION, "abort_operation")
                .containsEntry(ProvisioningService.KEY_CANCEL_ACTION_ERROR, outcome.actionError());
    }

    @Test
    void a_finished_job_is_already_finished_and_unchanged() {
        ProvisionAccepted a = service.provision(ALICE, request("elb-aks-1", "koreacentral"));
        fake.publishState(a.taskId(), "Succeeded");
        fake.succeed(a.taskId());
        JobState before = row(a);
        int published = events.published().size();

        CancelOutcome outcome = service.cancel(ALICE, a.taskId(), CancelMode.DELETE_CLUSTER);

        assertThat(outcome.result()).isEqualTo(CancelOutcome.Result.ALREADY_FINISHED);
        assertThat(outcome.job()).isEqualTo(before);
        assertThat(row(a)).isEqualTo(before);
        assertThat(fake.deleted()).isEmpty();
        assertThat(events.published()).hasSize(published);
    }

    // ---- concurrency -------------------------------------------------------------------------------

    @Test
    void concurrent_listener_updates_are_all_applied_in_cas_order_and_a_terminal_row_never_changes() throws Exception {
        ProvisionAccepted accepted = service.provision(ALICE, request("elb-aks-1", "koreacentral"));
        ProvisionListener listener = provisioner.listener;
        int threads = 8;
        int perThread = 25;

        // phase 1: concurrent checkpoints, none terminal: every one is applied exactly once
        runConcurrently(threads, t -> {
            for (int j = 0; j < perThread; j++) {
                listener.checkpoint(Map.of("t" + t + "-" + j, Integer.toString(j)));
            }
        });
        JobState afterCheckpoints = row(accepted);
        assertThat(observer.writeFailures).as("no update gave up").isEmpty();
        assertThat(afterCheckpoints.version()).isEqualTo(1 + threads * perThread);
        for (int t = 0; t < threads; t++) {
            for (int j = 0; j < perThread; j++) {
                assertThat(afterCheckpoints.payload()).containsKey("t" + t + "-" + j);
            }
        }

        // phase 2: checkpoints, cluster states and competing terminal reports from every thread
        runConcurrently(threads, t -> {
            for (int j = 0; j < 10; j++) {
                listener.clusterState("Creating");
                listener.checkpoint(Map.of("late-" + t + "-" + j, "x"));
                if (j == 5) {
                    switch (t % 3) {
                        case 0 -> listener.succeeded();
                        case 1 -> listener.failed(ArmError.of("AllocationFailed", "Allocation failed."));
                        default -> listener.cancelled();
                    }
                }
            }
        });

        JobState last = row(accepted);
        assertThat(last.status().isTerminal()).isTrue();
        assertThat(observer.writeFailures).isEmpty();
        List<JobStateChange> changes = events.published();
        assertThat(changes.stream().map(JobStateChange::version).collect(Collectors.toSet()))
                .as("one event per version, no gap, no duplicate")
                .isEqualTo(LongStream.rangeClosed(0, last.version()).boxed().collect(Collectors.toSet()));
        assertThat(changes).hasSize((int) last.version() + 1);
        List<JobStateChange> terminal =
                changes.stream().filter(c -> c.status().isTerminal()).toList();
        assertThat(terminal)
                .as("the row became terminal once and never changed after")
                .singleElement()
                .satisfies(c -> assertThat(c.version()).isEqualTo(last.version()));

        // after the end, nothing changes the row
        listener.checkpoint(Map.of("after", "end"));
        listener.succeeded();
        listener.cancelled();
        assertThat(row(accepted)).isEqualTo(last);
    }

    @Test
    void a_cancel_racing_the_provisioners_success_reports_what_the_row_says() throws Exception {
        for (int i = 0; i < 40; i++) {
            ProvisionAccepted accepted = service.provision(ALICE, request("race-" + i, "koreacentral"));
            fake.publishState(accepted.taskId(), "Creating");
            CancelOutcome[] outcome = new CancelOutcome[1];
            runConcurrently(2, t -> {
                if (t == 0) {
                    fake.succeed(accepted.taskId());
                } else {
                    outcome[0] = service.cancel(ALICE, accepted.taskId(), CancelMode.STOP);
                }
            });
            JobState row = row(accepted);
            assertThat(row.status().isTerminal()).isTrue();
            assertThat(outcome[0].job()).isEqualTo(row);
            assertThat(outcome[0].result())
                    .isEqualTo(
                            row.status() == JobStatus.CANCELLED
                                    ? CancelOutcome.Result.CANCELLED
                                    : CancelOutcome.Result.ALREADY_FINISHED);
            assertThat(outcome[0].partialResourceLikely()).isTrue();
        }
    }

    interface ThreadBody {
        void run(int thread) throws Exception;
    }

    static void runConcurrently(int threads, ThreadBody body) throws Exception {
        CyclicBarrier start = new CyclicBarrier(threads);
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        List<Thread> all = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            Thread th = new Thread(() -> {
                try {
                    start.await();
                    body.run(id);
                } catch (Throwable e) {
                    errors.add(e);
                }
            });
            th.start();
            all.add(th);
        }
        for (Thread th : all) {
            th.join(30_000);
        }
        assertThat(errors).isEmpty();
        assertThat(all).noneMatch(Thread::isAlive);
    }

    @Test
    void the_builder_validates_eagerly() {
        ProvisioningService.Builder b = ProvisioningService.builder(repository, provisioner);
        assertThatThrownBy(() -> b.portalUrl("ftp://x")).hasMessageContaining("'portalUrl' must be an http(s) URL");
        assertThatThrownBy(() -> b.tenant("bad tenant")).hasMessageContaining("'tenant'");
        ProvisioningService sovereign = b.portalUrl("https://portal.azure.cn/").build();
        assertThat(sovereign.portalUrl(ClusterRef.of(SUB, "rg", "c")))
                .isEqualTo("https://portal.azure.cn/#/resource/subscriptions/" + SUB
                        + "/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/c/overview");
        assertThat(Set.of(ProvisioningService.JOB_TYPE)).containsExactly("aks_provision");
    }
}
