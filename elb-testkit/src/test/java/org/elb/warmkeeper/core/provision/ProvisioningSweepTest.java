package org.elb.warmkeeper.core.provision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.elb.warmkeeper.core.cluster.ClusterRef;
import org.elb.warmkeeper.core.cluster.OwnerId;
import org.elb.warmkeeper.testkit.FakeClusterProvisioner;
import org.elb.warmkeeper.testkit.InMemoryJobStateRepository;
import org.elb.warmkeeper.testkit.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The leader's continuous sweep: heartbeats while polling, dead rows resumed or interrupted whenever
 * their worker goes, a maximum age for a stuck operation, and retention of finished rows in batches.
 */
class ProvisioningSweepTest {

    static final OwnerId ALICE = OwnerId.of("alice-oid");
    static final String SUB = "0f1e2d3c-4b5a-6978-8695-a4b3c2d1e0f9";
    static final SweepPolicy POLICY = SweepPolicy.ofDefaults()
            .withStaleAfter(Duration.ofMinutes(10))
            .withMaxAge(Duration.ofHours(6))
            .withRetention(Duration.ofDays(30))
            .withBatches(2, 3);

    final MutableClock clock = MutableClock.start();
    final InMemoryJobStateRepository repository = new InMemoryJobStateRepository();
    final FakeClusterProvisioner replicaA = new FakeClusterProvisioner();
    final FakeClusterProvisioner replicaB = new FakeClusterProvisioner();
    final ProvisioningService a = service(replicaA);
    final ProvisioningService b = service(replicaB);

    ProvisioningService service(FakeClusterProvisioner p) {
        return ProvisioningService.builder(repository, p)
                .clock(clock)
                .heartbeatInterval(Duration.ofMinutes(1))
                .build();
    }

    @AfterEach
    void close() {
        a.close();
        b.close();
    }

    static ProvisionRequest request(String name) {
        return new ProvisionRequest(ClusterRef.of(SUB, "rg-elb", name), "koreacentral", "Standard_E32s_v5", 3, "1.33");
    }

    JobState row(ProvisionAccepted p) {
        return repository.get(p.jobId()).orElseThrow();
    }

    @Test
    void heartbeats_while_polling_keep_a_long_create_alive_and_are_throttled() {
        ProvisionAccepted p = a.provision(ALICE, request("long"));
        replicaA.publishState(p.taskId(), "Creating");
        for (int minute = 0; minute < 60; minute++) {
            clock.advance(Duration.ofSeconds(20));
            replicaA.poll(p.taskId()); // three polls a minute, one heartbeat a minute
        }
        assertThat(repository.findStale(
                        ProvisioningService.JOB_TYPE, clock.instant().minus(Duration.ofMinutes(2))))
                .isEmpty();

        SweepReport report = b.sweep(POLICY); // another replica leads: the row is alive
        assertThat(report.interrupted()).isEmpty();
        assertThat(row(p).status()).isEqualTo(JobStatus.RUNNING);
        assertThat(row(p).version()).as("heartbeats never bump the version").isEqualTo(2);
    }

    @Test
    void a_replica_that_dies_later_is_swept_on_the_next_sweep_not_only_at_start() {
        ProvisionAccepted early = a.provision(ALICE, request("early"));
        replicaA.publishState(early.taskId(), "Creating");
        assertThat(b.sweep(POLICY).isEmpty()).as("young rows are left alone").isTrue();

        clock.advance(Duration.ofMinutes(30)); // replica A died: no heartbeat since
        ProvisionAccepted resumable = a.provision(ALICE, request("resumable"));
        replicaA.checkpoint(resumable.taskId(), Map.of(FakeClusterProvisioner.CHECKPOINT_KEY, "op-1"));
        clock.advance(Duration.ofMinutes(30));

        SweepReport report = b.sweep(POLICY);

        assertThat(report.interrupted()).containsExactly(early.jobId());
        assertThat(report.resumed()).containsExactly(resumable.jobId());
        assertThat(row(early).status()).isEqualTo(JobStatus.FAILED);
        assertThat(row(early).error().code()).isEqualTo(ProvisioningService.CODE_INTERRUPTED);
        assertThat(replicaB.resumed()).containsExactly(resumable.taskId());
        replicaB.start(resumable.taskId());
        replicaB.succeed(resumable.taskId());
        assertThat(row(resumable).status()).isEqualTo(JobStatus.SUCCEEDED);
    }

    @Test
    void a_row_this_process_polls_is_never_swept_as_dead() {
        ProvisionAccepted p = a.provision(ALICE, request("mine"));
        clock.advance(Duration.ofMinutes(30));

        assertThat(a.sweep(POLICY).interrupted()).isEmpty();
        assertThat(b.sweep(POLICY).interrupted()).containsExactly(p.jobId());
    }

    @Test
    void an_operation_stuck_in_progress_past_the_maximum_age_fails_timed_out_and_its_task_stops() {
        ProvisionAccepted p = a.provision(ALICE, request("stuck"));
        replicaA.publishState(p.taskId(), "Creating");
        for (int i = 0; i < 7 * 60; i++) {
            clock.advance(Duration.ofMinutes(1));
            replicaA.poll(p.taskId());
        }

        SweepReport report = a.sweep(POLICY);

        assertThat(report.timedOut()).containsExactly(p.jobId());
        assertThat(row(p).status()).isEqualTo(JobStatus.FAILED);
        assertThat(row(p).error().code()).isEqualTo(ProvisioningService.CODE_TIMED_OUT);
        assertThat(row(p).error().message()).contains("Creating");
        assertThat(replicaA.isRunning(p.taskId())).isFalse();
    }

    @Test
    void finished_rows_past_retention_are_purged_in_small_batches_and_counted() {
        Instant start = clock.instant();
        for (int i = 0; i < 7; i++) {
            ProvisionAccepted p = a.provision(ALICE, request("old" + i));
            replicaA.fail(p.taskId(), ArmError.of("QuotaExceeded", "no cores"));
        }
        ProvisionAccepted running = a.provision(ALICE, request("running"));
        clock.advance(Duration.ofDays(31));
        ProvisionAccepted recent = a.provision(ALICE, request("recent"));
        replicaA.succeed(recent.taskId());
        replicaA.poll(running.taskId());

        SweepReport first = a.sweep(POLICY);
        SweepReport second = a.sweep(POLICY);

        assertThat(first.purged()).as("3 batches of 2 per sweep").isEqualTo(6);
        assertThat(second.purged()).isEqualTo(1);
        assertThat(repository.size()).isEqualTo(2);
        assertThat(repository.get(recent.jobId())).isPresent();
        assertThat(start).isBefore(clock.instant());
    }

    @Test
    void the_sweeper_sweeps_only_on_the_leader_and_survives_a_failing_store() {
        AtomicBoolean leading = new AtomicBoolean(false);
        try (ProvisioningSweeper sweeper = ProvisioningSweeper.builder(b)
                .policy(POLICY)
                .leaderElection(leading::get)
                .build()) {
            sweeper.runOnce();
            assertThat(sweeper.sweeps()).isZero();
            leading.set(true);
            sweeper.runOnce();
            assertThat(sweeper.sweeps()).isEqualTo(1);
            repository.faults().unavailable();
            sweeper.runOnce();
            assertThat(sweeper.failures()).isEqualTo(1);
            repository.faults().heal();
            sweeper.runOnce();
            assertThat(sweeper.sweeps()).isEqualTo(2);
        }
    }

    @Test
    void the_policy_validates_eagerly() {
        assertThatThrownBy(() -> POLICY.withMaxAge(Duration.ofMinutes(1)))
                .hasMessageContaining("'maxAge' must be at least");
        assertThatThrownBy(() -> POLICY.withBatches(0, 1)).hasMessageContaining("'batchSize'");
        assertThatThrownBy(() -> POLICY.withRetention(Duration.ZERO)).hasMessageContaining("'retention'");
    }
}
