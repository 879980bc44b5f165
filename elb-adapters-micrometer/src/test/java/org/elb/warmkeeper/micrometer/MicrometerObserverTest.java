package org.elb.warmkeeper.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import org.elb.warmkeeper.core.cluster.ClusterRef;
import org.elb.warmkeeper.core.cluster.DatabaseName;
import org.elb.warmkeeper.core.cluster.OwnerId;
import org.elb.warmkeeper.core.provision.ArmError;
import org.elb.warmkeeper.core.provision.ErrorCategory;
import org.elb.warmkeeper.core.provision.JobStatus;
import org.elb.warmkeeper.core.provision.ProvisionAccepted;
import org.elb.warmkeeper.core.provision.ProvisionRequest;
import org.elb.warmkeeper.core.provision.ProvisioningService;
import org.elb.warmkeeper.core.warm.AutoWarmPreference;
import org.elb.warmkeeper.core.warm.AutoWarmReconciler;
import org.elb.warmkeeper.core.warm.InflightKey;
import org.elb.warmkeeper.core.warm.SkipReason;
import org.elb.warmkeeper.core.warm.TickReport;
import org.elb.warmkeeper.core.warm.WarmStatus;
import org.elb.warmkeeper.inmemory.InMemoryWarmAttemptHistory;
import org.elb.warmkeeper.testkit.FakeClusterProvisioner;
import org.elb.warmkeeper.testkit.FakeReadinessProbe;
import org.elb.warmkeeper.testkit.FakeWarmStatusProbe;
import org.elb.warmkeeper.testkit.InMemoryAutoWarmPreferences;
import org.elb.warmkeeper.testkit.InMemoryDatabaseInventory;
import org.elb.warmkeeper.testkit.InMemoryInflightLock;
import org.elb.warmkeeper.testkit.InMemoryJobStateRepository;
import org.elb.warmkeeper.testkit.MutableClock;
import org.elb.warmkeeper.testkit.RecordingWarmupDispatcher;
import org.junit.jupiter.api.Test;

class MicrometerObserverTest {

    private static final ClusterRef A = ClusterRef.of("00000000-0000-4000-8000-000000000001", "rg", "alpha");
    private static final ClusterRef B = ClusterRef.of("00000000-0000-4000-8000-000000000001", "rg", "beta");
    private static final DatabaseName COLD = DatabaseName.of("core_nt");
    private static final DatabaseName HELD = DatabaseName.of("pdbaa");
    private static final DatabaseName MISSING = DatabaseName.of("nr");

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final MicrometerObserver observer = MicrometerObserver.of(registry);

    @Test
    void a_tick_records_ticks_enqueues_skips_by_reason_fail_open_and_probe_errors() {
        MutableClock clock = MutableClock.start();
        InMemoryAutoWarmPreferences prefs = new InMemoryAutoWarmPreferences()
                .put(new AutoWarmPreference(A, List.of(COLD, HELD, MISSING), true))
                .put(new AutoWarmPreference(B, List.of(COLD), true));
        InMemoryDatabaseInventory inventory = new InMemoryDatabaseInventory().markDownloaded(A, COLD, HELD);
        FakeWarmStatusProbe status = new FakeWarmStatusProbe().set(A, COLD, WarmStatus.ABSENT);
        status.faults(B).unavailable();
        InMemoryInflightLock lock = new InMemoryInflightLock(clock);
        lock.holdForOther(new InflightKey(A, HELD), Duration.ofMinutes(15));
        AutoWarmReconciler reconciler = AutoWarmReconciler.builder(
                        prefs, inventory, status, lock, new RecordingWarmupDispatcher(false))
                .readiness(new FakeReadinessProbe())
                .clock(clock)
                .observer(observer)
                .build();

        reconciler.tick();
        lock.faults().unavailable();
        status.set(A, HELD, WarmStatus.READY).set(A, COLD, WarmStatus.FAILED);
        reconciler.tick();

        assertThat(registry.get("elb.autowarm.ticks").timer().count()).isEqualTo(2);
        assertThat(registry.get("elb.autowarm.enqueued")
                        .tag("cluster", "alpha")
                        .counter()
                        .count())
                .isEqualTo(2);
        assertThat(registry.get("elb.autowarm.skipped")
                        .tags("cluster", "alpha", "reason", "inflight")
                        .counter()
                        .count())
                .isEqualTo(1);
        assertThat(registry.get("elb.autowarm.skipped")
                        .tags("cluster", "alpha", "reason", "not_downloaded")
                        .counter()
                        .count())
                .isEqualTo(2);
        assertThat(registry.get("elb.autowarm.lock.fail_open")
                        .tag("cluster", "alpha")
                        .counter()
                        .count())
                .isEqualTo(1);
        assertThat(registry.get("elb.autowarm.probe.errors")
                        .tags("cluster", "beta", "stage", "warm_status")
                        .counter()
                        .count())
                .isEqualTo(2);
    }

    @Test
    void provisioning_outcomes_are_counted_by_status_and_category_and_store_failures_by_operation() {
        InMemoryJobStateRepository repo = new InMemoryJobStateRepository();
        FakeClusterProvisioner provisioner = new FakeClusterProvisioner();
        ProvisioningService service = ProvisioningService.builder(repo, provisioner)
                .observer(observer)
                .build();
        ProvisionRequest request = new ProvisionRequest(A, "koreacentral", "Standard_E32s_v5", 3, null);
        OwnerId owner = OwnerId.of("owner-1");

        ProvisionAccepted ok = service.provision(owner, request);
        provisioner.fail(
                ok.taskId(),
                ArmError.of(
                        "InvalidTemplateDeployment",
                        "failed",
                        ArmError.of(
                                "QuotaExceeded", "Operation could not be completed as it results in exceeding quota")));
        repo.faults().unavailable();
        service.provision(owner, request);
        service.recentFailed(owner, null, null);

        assertThat(registry.get("elb.provision.requests")
                        .tag("region", "koreacentral")
                        .counter()
                        .count())
                .isEqualTo(2);
        assertThat(registry.get("elb.provision.outcomes")
                        .tags("status", "failed", "category", "quota_exceeded")
                        .counter()
                        .count())
                .isEqualTo(1);
        assertThat(registry.get("elb.provision.state_write.failures")
                        .tag("operation", "create")
                        .counter()
                        .count())
                .isEqualTo(1);
        assertThat(registry.get("elb.provision.recent_failed.degraded")
                        .counter()
                        .count())
                .isEqualTo(1);

        // The create that the store refused waits in memory: the queue's gauge shows it.
        observer.bindWriteQueue(service);
        assertThat(service.pendingWrites()).isPositive();
        assertThat(registry.get("elb.provision.pending_writes").gauge().value()).isEqualTo(service.pendingWrites());
        assertThat(registry.get("elb.provision.dropped_writes")
                        .functionCounter()
                        .count())
                .isZero();
        service.close();
    }

    @Test
    void databases_in_backoff_and_stuck_loading_are_gauges_of_the_last_tick() {
        MutableClock clock = MutableClock.start();
        InMemoryAutoWarmPreferences prefs = new InMemoryAutoWarmPreferences().enable(A, List.of(COLD, HELD, MISSING));
        InMemoryDatabaseInventory inventory = new InMemoryDatabaseInventory().markDownloaded(A, COLD, HELD, MISSING);
        FakeWarmStatusProbe status = new FakeWarmStatusProbe()
                .set(A, COLD, WarmStatus.ABSENT)
                .set(A, HELD, WarmStatus.ABSENT)
                .set(A, MISSING, WarmStatus.ABSENT);
        AutoWarmReconciler reconciler = AutoWarmReconciler.builder(
                        prefs, inventory, status, new InMemoryInflightLock(clock), new RecordingWarmupDispatcher(false))
                .clock(clock)
                .observer(observer)
                .history(InMemoryWarmAttemptHistory.create())
                .stuckLoadingAfter(Duration.ofHours(2))
                .build();
        reconciler.tick();
        status.set(A, COLD, WarmStatus.LOADING).set(A, HELD, WarmStatus.LOADING).set(A, MISSING, WarmStatus.LOADING);
        reconciler.tick();
        status.set(A, COLD, WarmStatus.FAILED).set(A, HELD, WarmStatus.FAILED);
        clock.advance(Duration.ofHours(2));

        reconciler.tick();

        assertThat(registry.get("elb.autowarm.backoff").gauge().value()).isEqualTo(2);
        assertThat(registry.get("elb.autowarm.stuck_loading").gauge().value()).isEqualTo(1);

        clock.advance(Duration.ofMinutes(15));
        status.set(A, MISSING, WarmStatus.READY);
        reconciler.tick();
        assertThat(registry.get("elb.autowarm.backoff").gauge().value()).isZero();
        assertThat(registry.get("elb.autowarm.stuck_loading").gauge().value()).isZero();
    }

    @Test
    void cluster_tag_can_be_turned_off() {
        MicrometerObserver untagged =
                MicrometerObserver.builder(registry).clusterTag(false).build();

        untagged.enqueued(A, COLD);
        untagged.enqueued(B, COLD);

        assertThat(registry.get("elb.autowarm.enqueued")
                        .tag("cluster", "all")
                        .counter()
                        .count())
                .isEqualTo(2);
    }

    @Test
    void the_age_of_each_informer_watch_is_a_gauge_per_cluster_and_informer() {
        observer.watchAge(A, "warm_status", Duration.ofSeconds(90));
        observer.watchAge(A, "nodes", Duration.ofMillis(1500));
        observer.watchAge(A, "warm_status", Duration.ofSeconds(200));

        assertThat(registry.get("elb.informer.watch.age")
                        .tag("cluster", "alpha")
                        .tag("informer", "warm_status")
                        .gauge()
                        .value())
                .isEqualTo(200.0);
        assertThat(registry.get("elb.informer.watch.age")
                        .tag("cluster", "alpha")
                        .tag("informer", "nodes")
                        .gauge()
                        .value())
                .isEqualTo(1.5);
    }

    /**
     * Every meter has a description, which Prometheus serves as its HELP text ({@code promtool check
     * metrics} flags a metric without one).
     */
    @Test
    void every_meter_has_a_description() {
        observer.tickCompleted(new TickReport(java.time.Instant.EPOCH, Duration.ZERO, false, List.of()), Duration.ZERO);
        observer.tickFailed(new IllegalStateException("x"));
        observer.enqueued(A, COLD);
        observer.skipped(A, COLD, SkipReason.INFLIGHT);
        observer.lockFailedOpen(A, COLD);
        observer.probeFailed(A, "warm_status", new IllegalStateException("x"));
        observer.provisionRequested(new ProvisionRequest(A, "koreacentral", "Standard_E32s_v5", 3, null));
        observer.provisionRefused(org.elb.warmkeeper.core.provision.ProvisionRule.MAX_NODES);
        observer.provisionEnded(JobStatus.FAILED, ErrorCategory.CAPACITY);
        observer.stateWriteFailed("create", new IllegalStateException("x"));
        observer.recentFailedDegraded(new IllegalStateException("x"));
        observer.watchAge(A, "nodes", Duration.ofSeconds(1));

        assertThat(registry.getMeters())
                .hasSize(14)
                .allSatisfy(meter -> assertThat(meter.getId().getDescription())
                        .as(meter.getId().getName())
                        .isNotBlank());
    }

    @Test
    void refusals_are_counted_by_rule_and_kind_and_unknown_regions_are_other() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        MicrometerObserver observer = MicrometerObserver.builder(registry)
                .regions(List.of("koreacentral"))
                .build();
        observer.provisionRefused(org.elb.warmkeeper.core.provision.ProvisionRule.MAX_NODES);
        observer.provisionRefused(org.elb.warmkeeper.core.provision.ProvisionRule.MAX_NODES);
        observer.provisionRefused(org.elb.warmkeeper.core.provision.ProvisionRule.OWNER_RATE);
        ClusterRef c = ClusterRef.of("0f1e2d3c-4b5a-6978-8695-a4b3c2d1e0f9", "rg", "c");
        observer.provisionRequested(new ProvisionRequest(c, "koreacentral", "Standard_E32s_v5", 3, null));
        observer.provisionRequested(new ProvisionRequest(c, "eastus", "Standard_E32s_v5", 3, null));
        observer.provisionRequested(new ProvisionRequest(c, "zz1", "Standard_E32s_v5", 3, null));

        assertThat(registry.get("elb.provision.refused")
                        .tag("rule", "max-nodes")
                        .tag("kind", "rule")
                        .counter()
                        .count())
                .isEqualTo(2);
        assertThat(registry.get("elb.provision.refused")
                        .tag("rule", "owner-rate")
                        .tag("kind", "quota")
                        .counter()
                        .count())
                .isEqualTo(1);
        assertThat(registry.get("elb.provision.requests")
                        .tag("region", "koreacentral")
                        .counter()
                        .count())
                .isEqualTo(1);
        assertThat(registry.get("elb.provision.requests")
                        .tag("region", "other")
                        .counter()
                        .count())
                .isEqualTo(2);
    }
}
