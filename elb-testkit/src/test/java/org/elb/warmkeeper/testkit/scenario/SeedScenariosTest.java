package org.elb.warmkeeper.testkit.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.elb.warmkeeper.core.cluster.ClusterRef;
import org.elb.warmkeeper.core.cluster.DatabaseName;
import org.elb.warmkeeper.core.cluster.OwnerId;
import org.elb.warmkeeper.core.provision.CancelMode;
import org.elb.warmkeeper.core.provision.CancelOutcome;
import org.elb.warmkeeper.core.provision.ProvisionAccepted;
import org.elb.warmkeeper.core.provision.ProvisionRequest;
import org.elb.warmkeeper.core.provision.ProvisioningService;
import org.elb.warmkeeper.core.provision.RecentFailedProvisions;
import org.elb.warmkeeper.core.version.GateDecision;
import org.elb.warmkeeper.core.version.ImageTag;
import org.elb.warmkeeper.core.version.ImageTagSource;
import org.elb.warmkeeper.core.version.ServiceName;
import org.elb.warmkeeper.core.version.VersionGateService;
import org.elb.warmkeeper.core.warm.AutoWarmPreference;
import org.elb.warmkeeper.core.warm.AutoWarmReconciler;
import org.elb.warmkeeper.core.warm.ClusterOutcome;
import org.elb.warmkeeper.core.warm.ClusterStatus;
import org.elb.warmkeeper.core.warm.InflightKey;
import org.elb.warmkeeper.core.warm.Skip;
import org.elb.warmkeeper.core.warm.SkipReason;
import org.elb.warmkeeper.core.warm.TickReport;
import org.elb.warmkeeper.core.warm.WarmStatus;
import org.elb.warmkeeper.json.TickReportJson;
import org.elb.warmkeeper.testkit.FakeClusterProvisioner;
import org.elb.warmkeeper.testkit.FakeDeployedVersionProbe;
import org.elb.warmkeeper.testkit.FakeImageRegistry;
import org.elb.warmkeeper.testkit.FakeReadinessProbe;
import org.elb.warmkeeper.testkit.FakeWarmStatusProbe;
import org.elb.warmkeeper.testkit.InMemoryAutoWarmPreferences;
import org.elb.warmkeeper.testkit.InMemoryDatabaseInventory;
import org.elb.warmkeeper.testkit.InMemoryInflightLock;
import org.elb.warmkeeper.testkit.InMemoryJobStateRepository;
import org.elb.warmkeeper.testkit.MutableClock;
import org.elb.warmkeeper.testkit.RecordingWarmupDispatcher;
import org.elb.warmkeeper.testkit.SimulatedWorld;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The seeds' scenarios (seeds/000: auto-warm re-enqueues stale DBs, the update panel hides when up to
 * date; seeds/004: server-side last-failed, cancel with a partial cluster), replayed with the testkit.
 */
class SeedScenariosTest {

    static final String SUB = "0f1e2d3c-4b5a-6978-8695-a4b3c2d1e0f9";
    static final ClusterRef CLUSTER = ClusterRef.of(SUB, "rg-elb", "elb-aks-koreacentral");
    static final DatabaseName CORE_NT = DatabaseName.of("core_nt");
    static final DatabaseName SWISSPROT = DatabaseName.of("swissprot");
    static final DatabaseName NR = DatabaseName.of("nr");

    @Nested
    class AutoWarm {
        final MutableClock clock = MutableClock.start();
        final InMemoryAutoWarmPreferences preferences = new InMemoryAutoWarmPreferences();
        final FakeReadinessProbe readiness = new FakeReadinessProbe();
        final InMemoryDatabaseInventory inventory = new InMemoryDatabaseInventory();
        final FakeWarmStatusProbe statuses = new FakeWarmStatusProbe();
        final InMemoryInflightLock lock = new InMemoryInflightLock(clock);
        final RecordingWarmupDispatcher dispatcher = new RecordingWarmupDispatcher();
        final AutoWarmReconciler reconciler = AutoWarmReconciler.builder(
                        preferences, inventory, statuses, lock, dispatcher)
                .readiness(readiness)
                .clock(clock)
                .build();

        ClusterOutcome tick() {
            return reconciler.tick().outcome(CLUSTER).orElseThrow();
        }

        @Test
        void cold_db_is_reenqueued_even_when_cluster_was_already_ready() {
            preferences.put(new AutoWarmPreference(CLUSTER, List.of(CORE_NT), true)); // last_ready=True, as in the seed
            inventory.markDownloaded(CLUSTER, CORE_NT);
            statuses.set(CLUSTER, CORE_NT, WarmStatus.ABSENT);

            ClusterOutcome outcome = tick(); // no force

            assertThat(outcome.status()).isEqualTo(ClusterStatus.TRIGGERED);
            assertThat(outcome.enqueued()).containsExactly(CORE_NT);
            assertThat(dispatcher.enqueued()).singleElement().satisfies(r -> {
                assertThat(r.database()).isEqualTo(CORE_NT);
                assertThat(r.force()).isFalse();
            });
        }

        @Test
        void a_held_inflight_lock_is_skipped_with_reason_inflight() {
            preferences.enable(CLUSTER, List.of(CORE_NT));
            inventory.markDownloaded(CLUSTER, CORE_NT);
            statuses.set(CLUSTER, CORE_NT, WarmStatus.ABSENT);
            lock.holdForOther(new InflightKey(CLUSTER, CORE_NT), Duration.ofMinutes(15));

            TickReport report = reconciler.tick();

            ClusterOutcome outcome = report.outcome(CLUSTER).orElseThrow();
            assertThat(outcome.skipped()).containsExactly(new Skip(CORE_NT, SkipReason.INFLIGHT));
            assertThat(outcome.enqueued()).isEmpty();
            assertThat(TickReportJson.toJson(report))
                    .contains("\"skipped\":[{\"db\":\"core_nt\",\"reason\":\"inflight\"}]");
            assertThat(dispatcher.enqueued()).isEmpty();
        }

        @Test
        void ready_and_loading_dbs_are_never_enqueued_even_with_force() {
            preferences.enable(CLUSTER, List.of(CORE_NT, SWISSPROT));
            inventory.markDownloaded(CLUSTER, CORE_NT, SWISSPROT);
            statuses.set(CLUSTER, CORE_NT, WarmStatus.READY).set(CLUSTER, SWISSPROT, WarmStatus.LOADING);

            assertThat(tick().status()).isEqualTo(ClusterStatus.READY_NOOP);
            assertThat(reconciler.tick(true).outcome(CLUSTER).orElseThrow().status())
                    .isEqualTo(ClusterStatus.READY_NOOP);
            assertThat(dispatcher.enqueued()).isEmpty();
        }
    }

    @Nested
    class UpdatePanel {
        final ServiceName openapi = ServiceName.of("elb-openapi");
        final FakeDeployedVersionProbe deployed = new FakeDeployedVersionProbe();
        final FakeImageRegistry registry = new FakeImageRegistry();

        GateDecision check(String pinned, String running) {
            registry.push(openapi, ImageTag.of(pinned));
            deployed.reports(openapi, running);
            return VersionGateService.builder(
                            ImageTagSource.of(Map.of(openapi, ImageTag.of(pinned))), deployed, registry)
                    .build()
                    .check(openapi);
        }

        @Test
        void pinned_equal_to_deployed_hides_the_update() {
            assertThat(check("v4.9", "v4.9").offerUpdate()).isFalse();
            assertThat(check("v4.9", "4.9")).isInstanceOf(GateDecision.UpToDate.class);
            assertThat(check("4.9", "v4.9")).isInstanceOf(GateDecision.UpToDate.class);
        }

        @Test
        void pinned_newer_than_deployed_offers_the_update() {
            assertThat(check("v4.9", "4.8").offerUpdate()).isTrue();
        }
    }

    @Nested
    class Provisioning {
        final OwnerId owner = OwnerId.of("user-oid");
        final InMemoryJobStateRepository repository = new InMemoryJobStateRepository();
        final FakeClusterProvisioner provisioner = new FakeClusterProvisioner();
        final ProvisioningService service = ProvisioningService.builder(repository, provisioner)
                .tenant("contoso.onmicrosoft.com")
                .clock(MutableClock.start())
                .build();

        @Test
        void a_repository_failure_in_recent_failed_is_degraded_with_an_empty_list() {
            repository.faults().unavailable();
            RecentFailedProvisions recent = service.recentFailed(owner, 24, 1);
            assertThat(recent.degraded()).isTrue();
            assertThat(recent.jobs()).isEmpty();
        }

        @Test
        void a_cancel_after_cluster_state_was_published_gives_the_partial_flag_and_the_portal_url() {
            ProvisionAccepted accepted = service.provision(
                    owner, new ProvisionRequest(CLUSTER, "koreacentral", "Standard_E32s_v5", 3, null));
            provisioner.publishState(accepted.taskId(), "Creating");

            CancelOutcome outcome = service.cancel(owner, accepted.taskId(), CancelMode.STOP);

            assertThat(outcome.result()).isEqualTo(CancelOutcome.Result.CANCELLED);
            assertThat(outcome.partialResourceLikely()).isTrue();
            assertThat(outcome.portalUrl())
                    .isEqualTo(
                            "https://portal.azure.com/#@contoso.onmicrosoft.com/resource/subscriptions/" + SUB
                                    + "/resourceGroups/rg-elb/providers/Microsoft.ContainerService/managedClusters/elb-aks-koreacentral/overview");
        }
    }

    @Nested
    class SimulatedRun {
        final ClusterRef late = ClusterRef.of(SUB, "rg-elb", "elb-aks-late");
        final MutableClock clock = MutableClock.start();
        final SimulatedWorld world = new SimulatedWorld(2, 2)
                .cluster(CLUSTER, 0)
                .database(CLUSTER, CORE_NT, true, WarmStatus.ABSENT)
                .database(CLUSTER, NR, false, WarmStatus.ABSENT)
                .database(CLUSTER, SWISSPROT, true, WarmStatus.ABSENT)
                .cluster(late, 2)
                .database(late, CORE_NT, true, WarmStatus.ABSENT);
        final InMemoryAutoWarmPreferences preferences = new InMemoryAutoWarmPreferences()
                .enable(CLUSTER, List.of(CORE_NT, NR, SWISSPROT))
                .enable(late, List.of(CORE_NT));
        final InMemoryInflightLock lock = new InMemoryInflightLock(clock);
        final AutoWarmReconciler reconciler = AutoWarmReconciler.builder(preferences, world, world, lock, world)
                .readiness(world)
                .clock(clock)
                .build();

        List<TickReport> run(int ticks) {
            List<TickReport> reports = new ArrayList<>();
            for (int i = 0; i < ticks; i++) {
                reports.add(reconciler.tick());
                world.advance();
                clock.advance(Duration.ofMinutes(1));
            }
            return reports;
        }

        List<ClusterStatus> statuses(List<TickReport> reports, ClusterRef c) {
            return reports.stream()
                    .map(r -> r.outcome(c).orElseThrow().status())
                    .toList();
        }

        @Test
        void cold_dbs_go_triggered_then_in_flight_then_ready_noop() {
            // another replica already holds swissprot's lock
            lock.holdForOther(new InflightKey(CLUSTER, SWISSPROT), Duration.ofMinutes(3));

            List<TickReport> reports = run(8);

            List<ClusterStatus> main = statuses(reports, CLUSTER);
            assertThat(main.get(0)).isEqualTo(ClusterStatus.TRIGGERED);
            assertThat(main.get(1))
                    .as("in flight, not yet visible to Kubernetes")
                    .isEqualTo(ClusterStatus.WAITING);
            assertThat(reports.get(0).outcome(CLUSTER).orElseThrow().skipped())
                    .containsExactlyInAnyOrder(
                            new Skip(NR, SkipReason.NOT_DOWNLOADED), new Skip(SWISSPROT, SkipReason.INFLIGHT));
            assertThat(reports.get(1).outcome(CLUSTER).orElseThrow().skipped())
                    .contains(new Skip(CORE_NT, SkipReason.INFLIGHT));
            assertThat(world.enqueues(CLUSTER, CORE_NT))
                    .as("enqueued once, the lock covers the hidden phase")
                    .isEqualTo(1);
            assertThat(world.enqueues(CLUSTER, SWISSPROT))
                    .as("enqueued once the other replica's lock expired")
                    .isEqualTo(1);
            assertThat(world.status(CLUSTER, CORE_NT)).isEqualTo(WarmStatus.READY);
            assertThat(world.status(CLUSTER, SWISSPROT)).isEqualTo(WarmStatus.READY);
            // nr is never downloaded: the cluster settles at waiting, never ready_noop
            assertThat(main.get(main.size() - 1)).isEqualTo(ClusterStatus.WAITING);

            // tick by tick: swissprot is enqueued when the other replica's 3-minute lock has expired
            assertThat(main)
                    .containsExactly(
                            ClusterStatus.TRIGGERED,
                            ClusterStatus.WAITING,
                            ClusterStatus.WAITING,
                            ClusterStatus.TRIGGERED,
                            ClusterStatus.WAITING,
                            ClusterStatus.WAITING,
                            ClusterStatus.WAITING,
                            ClusterStatus.WAITING);

            // the late cluster: not ready, then its cold DB is triggered, in flight (hidden phase), loading, ready
            assertThat(statuses(reports, late))
                    .containsExactly(
                            ClusterStatus.CLUSTER_NOT_READY,
                            ClusterStatus.CLUSTER_NOT_READY,
                            ClusterStatus.TRIGGERED,
                            ClusterStatus.WAITING,
                            ClusterStatus.READY_NOOP,
                            ClusterStatus.READY_NOOP,
                            ClusterStatus.READY_NOOP,
                            ClusterStatus.READY_NOOP);
            assertThat(world.enqueues(late, CORE_NT)).isEqualTo(1);
        }

        @Test
        void a_db_evicted_after_the_cluster_was_ready_is_warmed_again() {
            run(6);
            assertThat(statuses(List.of(reconciler.tick()), late)).containsExactly(ClusterStatus.READY_NOOP);
            assertThat(preferences.enabledClusters()).allMatch(AutoWarmPreference::lastReady);

            world.evict(late, CORE_NT);
            clock.advance(Duration.ofMinutes(15)); // the first warmup's lock has expired
            TickReport after = reconciler.tick();

            assertThat(after.outcome(late).orElseThrow().status()).isEqualTo(ClusterStatus.TRIGGERED);
            assertThat(world.enqueues(late, CORE_NT)).isEqualTo(2);
        }
    }
}
