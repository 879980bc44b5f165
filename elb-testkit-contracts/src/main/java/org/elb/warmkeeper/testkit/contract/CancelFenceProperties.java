package org.elb.warmkeeper.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterProperty;
import org.elb.warmkeeper.core.cluster.ClusterRef;
import org.elb.warmkeeper.core.cluster.OwnerId;
import org.elb.warmkeeper.core.provision.ArmError;
import org.elb.warmkeeper.core.provision.CancelMode;
import org.elb.warmkeeper.core.provision.CancelOutcome;
import org.elb.warmkeeper.core.provision.ClusterProvisioner;
import org.elb.warmkeeper.core.provision.JobId;
import org.elb.warmkeeper.core.provision.JobState;
import org.elb.warmkeeper.core.provision.JobStateRepository;
import org.elb.warmkeeper.core.provision.JobStatus;
import org.elb.warmkeeper.core.provision.JobStoreException;
import org.elb.warmkeeper.core.provision.JobTransitions;
import org.elb.warmkeeper.core.provision.JobUpdate;
import org.elb.warmkeeper.core.provision.NewJob;
import org.elb.warmkeeper.core.provision.ProvisionAccepted;
import org.elb.warmkeeper.core.provision.ProvisionListener;
import org.elb.warmkeeper.core.provision.ProvisionRequest;
import org.elb.warmkeeper.core.provision.ProvisioningService;
import org.elb.warmkeeper.core.provision.TaskId;
import org.elb.warmkeeper.core.provision.UpdateResult;
import org.elb.warmkeeper.testkit.FakeClusterProvisioner;
import org.elb.warmkeeper.testkit.InMemoryJobStateEvents;
import org.elb.warmkeeper.testkit.MutableClock;
import org.jspecify.annotations.Nullable;

/**
 * Property suite of the fenced cancel: a cancel (any mode, on the polling replica or another one) runs
 * while the create reports success, failure or an ARM cancel, and the store goes down and comes back,
 * each at any point between the cancel's store calls and its ARM action. Two {@link ProvisioningService}
 * replicas share one store (the one under test) and one event channel. The invariants:
 *
 * <ol>
 *   <li>no abort or delete is sent once the row was recorded {@code succeeded};
 *   <li>a caller whose cancel sent an abort or delete is told {@code cancelled}, never
 *       {@code already_finished};
 *   <li>the final row tells the truth: a sent action is recorded in a cancelled row; a caller told
 *       {@code cancelled} finds the row cancelled; a row that ended succeeded or failed was never fenced;
 *       a success the create reported on a live row is in the row (its status or {@code create_reported});
 *   <li>a terminal row never changes (only its cancel's action end may be added to a cancelled row).
 * </ol>
 *
 * Extend it with the store's factory; the store's outage is simulated in front of it (every call throws
 * {@link JobStoreException} while it is down).
 */
public abstract class CancelFenceProperties {

    private static final ProvisionRequest REQUEST = new ProvisionRequest(
            ClusterRef.of("0f1e2d3c-4b5a-6978-8695-a4b3c2d1e0f9", "rg-elb", "elb-aks-fence"),
            "koreacentral",
            "Standard_E32s_v5",
            3,
            "1.33");

    private @Nullable JobStateRepository store;

    /** The store under test; called once per property. */
    protected abstract JobStateRepository createRepository();

    /** Releases the store after a property. */
    protected void closeRepository() {}

    /** How long queued writes may take to land once the store is back. */
    protected Duration settleTimeout() {
        return Duration.ofSeconds(30);
    }

    @AfterProperty
    protected void closeStore() {
        if (store != null) {
            closeRepository();
            store = null;
        }
    }

    private JobStateRepository store() {
        if (store == null) {
            store = createRepository();
        }
        return store;
    }

    /** Something that happens at a point of the cancel. */
    public enum Step {
        NOTHING,
        CREATE_SUCCEEDS,
        CREATE_FAILS,
        ARM_CANCELS_CREATE,
        STORE_DOWN,
        STORE_UP
    }

    /** One interleaving: the cancel's mode, where it runs, and the step before each of its calls. */
    public record Interleaving(CancelMode mode, boolean onPollingReplica, boolean created, List<Step> steps) {}

    @Provide
    Arbitrary<Interleaving> interleavings() {
        Arbitrary<Step> step = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, Arbitraries.just(Step.NOTHING)),
                net.jqwik.api.Tuple.of(2, Arbitraries.just(Step.CREATE_SUCCEEDS)),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(Step.CREATE_FAILS)),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(Step.ARM_CANCELS_CREATE)),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(Step.STORE_DOWN)),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(Step.STORE_UP)));
        return Combinators.combine(
                        Arbitraries.of(CancelMode.class),
                        Arbitraries.of(true, false),
                        Arbitraries.of(true, true, false),
                        step.list().ofMinSize(1).ofMaxSize(10))
                .as(Interleaving::new);
    }

    @Property(tries = 200)
    void a_fenced_cancel_never_deletes_behind_a_recorded_success_and_tells_the_truth(
            @ForAll("interleavings") Interleaving run) {
        new Run(store(), run, settleTimeout()).check();
    }

    /** One interleaving played out. */
    private static final class Run {
        final Interleaving plan;
        final Duration settle;
        final Log log = new Log();
        final Outage outage;
        final MutableClock clock = MutableClock.start();
        final InMemoryJobStateEvents events = new InMemoryJobStateEvents();
        final FakeClusterProvisioner poller = new FakeClusterProvisioner();
        final FakeClusterProvisioner other = new FakeClusterProvisioner();
        final Hooked hooked;
        final ProvisioningService polling;
        final ProvisioningService cancelling;
        final List<Boolean> successesOnLiveRows = new ArrayList<>();
        /** One owner per run: the fakes of every run number their tasks from task-1 on one shared store. */
        final OwnerId owner = OwnerId.of("alice-" + java.util.UUID.randomUUID());

        int next;
        boolean injecting;
        boolean outageSeen;

        @Nullable JobId jobId;

        @Nullable TaskId taskId;

        Run(JobStateRepository store, Interleaving plan, Duration settle) {
            this.plan = plan;
            this.settle = settle;
            this.outage = new Outage(new Recording(store, log));
            this.hooked = new Hooked(outage, this::point);
            ClusterProvisioner pollerArm = new Arm(poller, this);
            this.polling = service(plan.onPollingReplica() ? hooked : outage, pollerArm);
            this.cancelling = plan.onPollingReplica() ? polling : service(hooked, new Arm(other, this));
        }

        private ProvisioningService service(JobStateRepository repository, ClusterProvisioner provisioner) {
            return ProvisioningService.builder(repository, provisioner)
                    .events(events)
                    .clock(clock)
                    .writeRetry(Duration.ofMillis(1), Duration.ofMillis(5))
                    .build();
        }

        /** Runs the plan's step for the cancel's next call (a store call or its ARM action). */
        void point() {
            if (injecting || jobId == null) {
                return;
            }
            if (next < plan.steps().size()) {
                run(plan.steps().get(next++));
            }
        }

        void run(Step step) {
            TaskId task = java.util.Objects.requireNonNull(taskId, "taskId");
            injecting = true;
            try {
                switch (step) {
                    case NOTHING -> {}
                    case CREATE_SUCCEEDS -> {
                        if (poller.isRunning(task)) {
                            // Without an outage every write lands at once: the success meets the row as peeked.
                            successesOnLiveRows.add(
                                    !outageSeen && !peek().status().isTerminal());
                        }
                        poller.succeed(task);
                    }
                    case CREATE_FAILS -> poller.fail(task, new ArmError("QuotaExceeded", "quota", List.of()));
                    case ARM_CANCELS_CREATE -> poller.cancel(task);
                    case STORE_DOWN -> {
                        outage.down = true;
                        outageSeen = true;
                    }
                    case STORE_UP -> outage.down = false;
                }
            } finally {
                injecting = false;
            }
        }

        JobState peek() {
            return outage.delegate
                    .get(java.util.Objects.requireNonNull(jobId, "jobId"))
                    .orElseThrow();
        }

        void check() {
            try {
                ProvisionAccepted accepted = polling.provision(owner, REQUEST);
                taskId = accepted.taskId();
                poller.start(accepted.taskId());
                if (plan.created()) {
                    poller.created(accepted.taskId());
                }
                poller.publishState(accepted.taskId(), "Creating");
                jobId = accepted.jobId();

                @Nullable CancelOutcome outcome = null;
                try {
                    outcome = cancelling.cancel(owner, accepted.taskId(), plan.mode());
                } catch (JobStoreException e) {
                    // allowed: the cancel could not be recorded, nothing was stopped or sent
                }
                while (next < plan.steps().size()) {
                    run(plan.steps().get(next++));
                }
                outage.down = false;
                await().atMost(settle)
                        .pollInterval(Duration.ofMillis(5))
                        .until(() -> polling.pendingWrites() == 0 && cancelling.pendingWrites() == 0);
                verify(outcome, peek());
            } finally {
                outage.down = false;
                polling.close();
                if (cancelling != polling) {
                    cancelling.close();
                }
            }
        }

        void verify(@Nullable CancelOutcome outcome, JobState row) {
            List<Log.Entry> entries = log.entries();
            boolean actionSent = entries.stream().anyMatch(e -> e.action() != null);
            // 1. No abort or delete once success is recorded.
            boolean successRecorded = false;
            for (Log.Entry e : entries) {
                if (e.state() != null && e.state().status() == JobStatus.SUCCEEDED) {
                    successRecorded = true;
                }
                assertThat(successRecorded && e.action() != null)
                        .as("%s sent after success was recorded: %s", e.action(), entries)
                        .isFalse();
            }
            // 2. Never already_finished (nor an error) after an action was sent.
            if (actionSent) {
                assertThat(outcome)
                        .as("the caller's answer after an action was sent")
                        .isNotNull();
                assertThat(java.util.Objects.requireNonNull(outcome).result())
                        .isEqualTo(CancelOutcome.Result.CANCELLED);
            }
            // 3. The final row tells the truth.
            if (actionSent) {
                assertThat(row.status()).isEqualTo(JobStatus.CANCELLED);
                assertThat(row.payload())
                        .containsEntry(ProvisioningService.KEY_CANCEL_ACTION, wire(plan.mode()))
                        .containsEntry(ProvisioningService.KEY_CANCEL_ACTION_STATE, "accepted");
            }
            if (outcome != null && outcome.result() == CancelOutcome.Result.CANCELLED) {
                assertThat(row.status()).as("told cancelled: %s", row).isEqualTo(JobStatus.CANCELLED);
            }
            if (outcome != null && outcome.result() == CancelOutcome.Result.ALREADY_FINISHED) {
                assertThat(actionSent)
                        .as("an action sent, answered already_finished")
                        .isFalse();
                assertThat(row.status().isTerminal())
                        .as("answered already_finished: %s", row)
                        .isTrue();
            }
            if (row.status() == JobStatus.SUCCEEDED || row.status() == JobStatus.FAILED) {
                assertThat(row.fenced())
                        .as("a fenced row ended %s", row.status())
                        .isFalse();
            }
            if (successesOnLiveRows.contains(true)) {
                assertThat(row.status() == JobStatus.SUCCEEDED
                                || "succeeded".equals(row.payload().get(JobTransitions.KEY_REPORTED_OUTCOME)))
                        .as("a success reported on a live row is kept: %s", row)
                        .isTrue();
            }
            if (outcome != null
                    && outcome.result() == CancelOutcome.Result.CANCELLED
                    && plan.mode() != CancelMode.STOP
                    && plan.created()) {
                assertThat(actionSent)
                        .as("a cancel told cancelled sent the %s asked for on a cluster its job created", plan.mode())
                        .isTrue();
            }
            // 4. Terminal rows never change; statuses only move forward.
            @Nullable JobState terminal = null;
            @Nullable JobState previous = null;
            for (Log.Entry e : entries) {
                JobState s = e.state();
                if (s == null) {
                    continue;
                }
                if (terminal != null) {
                    assertThat(s.status()).isEqualTo(terminal.status());
                    assertThat(s.error()).isEqualTo(terminal.error());
                    Map<String, String> added = new HashMap<>(s.payload());
                    terminal.payload().forEach(added::remove);
                    assertThat(JobUpdate.CANCEL_ACTION_KEYS).containsAll(added.keySet());
                    assertThat(s.payload()).containsAllEntriesOf(withoutActionEnd(terminal.payload()));
                } else if (s.status().isTerminal()) {
                    terminal = s;
                }
                if (previous != null) {
                    assertThat(previous.status() == s.status()
                                    || previous.status().canMoveTo(s.status()))
                            .as("%s -> %s", previous.status(), s.status())
                            .isTrue();
                }
                previous = s;
            }
        }

        private static Map<String, String> withoutActionEnd(Map<String, String> payload) {
            Map<String, String> m = new HashMap<>(payload);
            JobUpdate.CANCEL_ACTION_KEYS.forEach(m::remove);
            return m;
        }
    }

    private static String wire(CancelMode mode) {
        return mode.name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The rows the store took and the ARM actions sent, in one order. */
    private static final class Log {
        record Entry(@Nullable JobState state, @Nullable String action) {}

        private final List<Entry> entries = new ArrayList<>();

        synchronized void row(JobState state) {
            entries.add(new Entry(state, null));
        }

        synchronized void action(String action) {
            entries.add(new Entry(null, action));
        }

        synchronized List<Entry> entries() {
            return List.copyOf(entries);
        }
    }

    /** A replica's provisioner: the fake, with each abort or delete a point of the plan and logged. */
    private static final class Arm implements ClusterProvisioner {
        private final FakeClusterProvisioner fake;
        private final Run run;

        Arm(FakeClusterProvisioner fake, Run run) {
            this.fake = fake;
            this.run = run;
        }

        @Override
        public TaskId begin(ProvisionRequest request, ProvisionListener listener) {
            return fake.begin(request, listener);
        }

        @Override
        public boolean stop(TaskId taskId) {
            // Only this replica's own task: the polling replica stops when it hears the cancelled row.
            return fake.stop(taskId);
        }

        @Override
        public void abortOperation(ClusterRef cluster) {
            run.point();
            fake.abortOperation(cluster);
            run.log.action("abort");
        }

        @Override
        public void deleteCluster(ClusterRef cluster) {
            run.point();
            fake.deleteCluster(cluster);
            run.log.action("delete");
        }
    }

    /** Every row the store took, logged. */
    private static final class Recording extends Delegating {
        private final Log log;

        Recording(JobStateRepository delegate, Log log) {
            super(delegate);
            this.log = log;
        }

        @Override
        public JobState create(NewJob job) {
            JobState s = delegate.create(job);
            log.row(s);
            return s;
        }

        @Override
        public UpdateResult update(JobId id, long expectedVersion, JobUpdate update, Instant at) {
            UpdateResult r = delegate.update(id, expectedVersion, update, at);
            if (r instanceof UpdateResult.Updated u) {
                log.row(u.state());
            }
            return r;
        }

        @Override
        public UpdateResult update(JobState snapshot, JobUpdate update, Instant at) {
            UpdateResult r = delegate.update(snapshot, update, at);
            if (r instanceof UpdateResult.Updated u) {
                log.row(u.state());
            }
            return r;
        }
    }

    /** The store's outage: every call throws while it is down. */
    private static final class Outage extends Delegating {
        volatile boolean down;

        Outage(JobStateRepository delegate) {
            super(delegate);
        }

        @Override
        void before(String operation) {
            if (down) {
                throw new JobStoreException("outage", operation, "the store is down (simulated)");
            }
        }
    }

    /** The cancelling replica's view of the store: each call is a point of the plan. */
    private static final class Hooked extends Delegating {
        private final Runnable point;

        Hooked(JobStateRepository delegate, Runnable point) {
            super(delegate);
            this.point = point;
        }

        @Override
        void before(String operation) {
            point.run();
        }
    }

    /** A repository that passes every call on, after {@link #before}. */
    private abstract static class Delegating implements JobStateRepository {
        final JobStateRepository delegate;

        Delegating(JobStateRepository delegate) {
            this.delegate = delegate;
        }

        void before(String operation) {}

        @Override
        public JobState create(NewJob job) {
            before("create");
            return delegate.create(job);
        }

        @Override
        public UpdateResult update(JobId id, long expectedVersion, JobUpdate update, Instant at) {
            before("update");
            return delegate.update(id, expectedVersion, update, at);
        }

        @Override
        public UpdateResult update(JobState snapshot, JobUpdate update, Instant at) {
            before("update");
            return delegate.update(snapshot, update, at);
        }

        @Override
        public Optional<JobState> get(JobId id) {
            before("get");
            return delegate.get(id);
        }

        @Override
        public Optional<JobState> findById(JobId id, OwnerId owner) {
            before("findById");
            return delegate.findById(id, owner);
        }

        @Override
        public Optional<JobState> findByTaskId(TaskId taskId, OwnerId owner) {
            before("findByTaskId");
            return delegate.findByTaskId(taskId, owner);
        }

        @Override
        public List<JobState> recentFailed(OwnerId owner, String type, Instant since, int limit) {
            before("recentFailed");
            return delegate.recentFailed(owner, type, since, limit);
        }

        @Override
        public List<JobState> findUnfinished(String type) {
            before("findUnfinished");
            return delegate.findUnfinished(type);
        }

        @Override
        public void heartbeat(JobId id, Instant at) {
            before("heartbeat");
            delegate.heartbeat(id, at);
        }

        @Override
        public List<JobState> findStale(String type, Instant before) {
            before("findStale");
            return delegate.findStale(type, before);
        }

        @Override
        public int purgeFinished(String type, Instant before, int limit) {
            before("purgeFinished");
            return delegate.purgeFinished(type, before, limit);
        }
    }
}
