package org.elb.warmkeeper.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;
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
import org.elb.warmkeeper.core.provision.ProvisionAccepted;
import org.elb.warmkeeper.core.provision.ProvisionListener;
import org.elb.warmkeeper.core.provision.ProvisionRequest;
import org.elb.warmkeeper.core.provision.ProvisioningService;
import org.elb.warmkeeper.core.provision.ResumableClusterProvisioner;
import org.elb.warmkeeper.core.provision.TaskId;
import org.elb.warmkeeper.testkit.FakeClusterProvisioner;
import org.elb.warmkeeper.testkit.InMemoryJobStateEvents;
import org.elb.warmkeeper.testkit.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The job-state store fails at each write of a provision (row create, task-id stamp, each state report,
 * the terminal report, the cancel), the process dies mid-provision, or the polling replica is gone.
 * After the store is back, every accepted provision has exactly one row, in its true terminal state, and
 * none is left queued or running. Prints the matrix with its counts.
 *
 * <p>Extend it with {@link #createRepository()} (an empty store), {@link #storeDown()} and
 * {@link #storeUp()} (the store unreachable, and back), and {@link #countRows()} (rows in the store).
 */
public abstract class ProvisioningFaultMatrix {

    private static final OwnerId OWNER = OwnerId.of("matrix-owner");
    private static final String SUB = "0f1e2d3c-4b5a-6978-8695-a4b3c2d1e0f9";

    protected abstract JobStateRepository createRepository();

    /** From now on every store call fails fast. */
    protected abstract void storeDown();

    /** The store answers again. */
    protected abstract void storeUp();

    /** Rows of any status in the store. */
    protected abstract long countRows();

    /** How long to wait for queued writes to land after {@link #storeUp()}. */
    protected Duration recoveryTimeout() {
        return Duration.ofSeconds(30);
    }

    private JobStateRepository repository;
    private final MutableClock clock = MutableClock.start();
    private final InMemoryJobStateEvents events = new InMemoryJobStateEvents();
    private final List<ProvisioningService> services = new ArrayList<>();
    private final Map<String, Cell> matrix = new LinkedHashMap<>();
    private final Map<JobId, JobStatus> expected = new LinkedHashMap<>();

    /** One line of the printed matrix. */
    private record Cell(String fault, int accepted, JobStatus expected, String actual, long recovered) {}

    /** A fake provisioner whose {@code begin} can run a hook (to fail the store between create and stamp). */
    private static final class Hooked implements ResumableClusterProvisioner {
        final FakeClusterProvisioner fake = new FakeClusterProvisioner();
        volatile Runnable onBegin = () -> {};

        @Override
        public TaskId begin(ProvisionRequest request, ProvisionListener listener) {
            TaskId id = fake.begin(request, listener);
            onBegin.run();
            return id;
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

        @Override
        public boolean canResume(JobState job) {
            return fake.canResume(job);
        }

        @Override
        public TaskId resume(JobState job, ProvisionListener listener) {
            return fake.resume(job, listener);
        }
    }

    @BeforeEach
    void createTheStore() {
        repository = createRepository();
    }

    @AfterEach
    void closeServices() {
        storeUp();
        services.forEach(ProvisioningService::close);
    }

    private ProvisioningService service(ClusterProvisioner provisioner) {
        ProvisioningService s = ProvisioningService.builder(repository, provisioner)
                .events(events)
                .clock(clock)
                .writeRetry(Duration.ofMillis(10), Duration.ofMillis(200))
                .build();
        services.add(s);
        return s;
    }

    private static ProvisionRequest request(String name) {
        return new ProvisionRequest(
                ClusterRef.of(SUB, "rg-matrix", name), "koreacentral", "Standard_E32s_v5", 3, "1.33");
    }

    /** The ARM side of a whole successful create, as the provisioner reports it. */
    private static final List<String> REPORTS = List.of("started", "checkpoint", "Creating", "Succeeded");

    private static void report(FakeClusterProvisioner fake, TaskId id, String report) {
        switch (report) {
            case "started" -> fake.start(id);
            case "checkpoint" ->
                fake.checkpoint(
                        id,
                        Map.of(
                                FakeClusterProvisioner.CHECKPOINT_KEY,
                                "op-1",
                                ProvisionListener.KEY_CREATED_BY_JOB,
                                "true"));
            default -> fake.publishState(id, report);
        }
    }

    /**
     * One provision with the store down from {@code downAt} (a report's name, or {@code create},
     * {@code stamp}) to the end of the ARM side, which {@code ending} finishes.
     */
    private void run(String fault, String downAt, JobStatus truth, BiConsumer<ProvisioningService, Run> ending) {
        Hooked provisioner = new Hooked();
        ProvisioningService service = service(provisioner);
        if (downAt.equals("create")) {
            storeDown();
        } else if (downAt.equals("stamp")) {
            provisioner.onBegin = this::storeDown;
        }
        ProvisionAccepted a = service.provision(OWNER, request("m" + matrix.size()));
        provisioner.onBegin = () -> {};
        Run run = new Run(provisioner.fake, a.taskId());
        for (String r : REPORTS) {
            if (r.equals(downAt)) {
                storeDown();
            }
            report(provisioner.fake, a.taskId(), r);
        }
        ending.accept(service, run);
        storeUp();
        waitUntil(() -> service.pendingWrites() == 0, fault);
        record(fault, a.jobId(), truth, service.recoveredWrites());
    }

    private void waitUntil(java.util.function.BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + recoveryTimeout().toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + ": queued writes did not land within " + recoveryTimeout());
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
    }

    /** A running provision's fake and task. */
    private record Run(FakeClusterProvisioner fake, TaskId taskId) {}

    private void record(String fault, JobId jobId, JobStatus truth, long recovered) {
        expected.put(jobId, truth);
        Optional<JobState> row = repository.get(jobId);
        matrix.put(
                fault,
                new Cell(fault, 1, truth, row.map(r -> r.status().wireName()).orElse("missing"), recovered));
    }

    @Test
    void every_accepted_provision_has_one_row_in_its_true_terminal_state_after_the_store_returns() {
        BiConsumer<ProvisioningService, Run> succeed = (s, r) -> r.fake.succeed(r.taskId);
        BiConsumer<ProvisioningService, Run> fail =
                (s, r) -> r.fake.fail(r.taskId, ArmError.of("QuotaExceeded", "no cores"));
        BiConsumer<ProvisioningService, Run> armCancel = (s, r) -> r.fake.cancel(r.taskId);
        BiConsumer<ProvisioningService, Run> userCancel = (s, r) -> {
            CancelOutcome c = s.cancel(OWNER, r.taskId, CancelMode.STOP);
            assertThat(c.result()).isEqualTo(CancelOutcome.Result.CANCELLED);
        };

        run("store down at row create", "create", JobStatus.SUCCEEDED, succeed);
        run("store down at task-id stamp", "stamp", JobStatus.SUCCEEDED, succeed);
        for (String r : REPORTS) {
            run("store down at report '" + r + "'", r, JobStatus.SUCCEEDED, succeed);
        }
        run("store down at terminal report (succeeded)", "end", JobStatus.SUCCEEDED, (s, r) -> {
            storeDown();
            succeed.accept(s, r);
        });
        run("store down at terminal report (failed)", "end", JobStatus.FAILED, (s, r) -> {
            storeDown();
            fail.accept(s, r);
        });
        run("store down at terminal report (ARM cancelled)", "end", JobStatus.CANCELLED, (s, r) -> {
            storeDown();
            armCancel.accept(s, r);
        });
        run("store down at cancel", "end", JobStatus.CANCELLED, (s, r) -> {
            storeDown();
            userCancel.accept(s, r);
        });
        run("store down from row create to cancel", "create", JobStatus.CANCELLED, userCancel);
        processKilledMidProvision();
        pollingReplicaGone();

        printMatrix();
        long rows = countRows();
        assertThat(rows).as("exactly one row per accepted provision").isEqualTo(expected.size());
        assertThat(repository.findUnfinished(ProvisioningService.JOB_TYPE))
                .as("none left queued or running")
                .isEmpty();
        expected.forEach((id, truth) -> assertThat(repository.get(id))
                .as("job %s", id)
                .hasValueSatisfying(r -> assertThat(r.status()).isEqualTo(truth)));
    }

    /** The process dies while its create polls (row running, checkpoint kept): a new process resumes it. */
    private void processKilledMidProvision() {
        Hooked first = new Hooked();
        ProvisionAccepted a = service(first).provision(OWNER, request("killed"));
        report(first.fake, a.taskId(), "started");
        report(first.fake, a.taskId(), "checkpoint");
        report(first.fake, a.taskId(), "Creating");
        first.fake.stop(a.taskId()); // the process is gone: nothing reports any more

        Hooked second = new Hooked();
        ProvisioningService restarted = service(second);
        assertThat(restarted.resumeUnfinished(Duration.ofMinutes(10)).resumed()).contains(a.jobId());
        second.fake.publishState(a.taskId(), "Succeeded");
        second.fake.succeed(a.taskId());
        record("process killed mid-provision (resumed from checkpoint)", a.jobId(), JobStatus.SUCCEEDED, 0);
    }

    /** The polling replica is gone before any checkpoint: the leader's sweep ends the row interrupted. */
    private void pollingReplicaGone() {
        Hooked first = new Hooked();
        ProvisionAccepted a = service(first).provision(OWNER, request("gone"));
        report(first.fake, a.taskId(), "started");
        first.fake.stop(a.taskId());
        clock.advance(Duration.ofHours(1));

        ProvisioningService leader = service(new Hooked());
        assertThat(leader.resumeUnfinished(Duration.ofMinutes(10)).interrupted())
                .contains(a.jobId());
        record("polling replica gone (interrupted by the sweep)", a.jobId(), JobStatus.FAILED, 0);
    }

    private void printMatrix() {
        StringBuilder sb =
                new StringBuilder("\nProvisioning fault matrix (" + getClass().getSimpleName() + ")\n");
        sb.append(
                String.format("%-58s %8s %10s %10s %15s%n", "fault", "accepted", "expected", "row", "recovered(svc)"));
        for (Cell c : matrix.values()) {
            sb.append(String.format(
                    "%-58s %8d %10s %10s %15d%n", c.fault, c.accepted, c.expected.wireName(), c.actual, c.recovered));
        }
        sb.append(String.format(
                "total: %d accepted, %d rows, %d unfinished%n",
                expected.size(),
                countRows(),
                repository.findUnfinished(ProvisioningService.JOB_TYPE).size()));
        System.out.println(sb);
    }
}
