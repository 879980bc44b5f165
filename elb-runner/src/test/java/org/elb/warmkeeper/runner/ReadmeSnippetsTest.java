package org.elb.warmkeeper.runner;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.elb.warmkeeper.azure.AksClusterProvisioner;
import org.elb.warmkeeper.azure.ArmConnection;
import org.elb.warmkeeper.core.cluster.ClusterRef;
import org.elb.warmkeeper.core.cluster.DatabaseName;
import org.elb.warmkeeper.core.cluster.OwnerId;
import org.elb.warmkeeper.core.provision.ClusterProvisioner;
import org.elb.warmkeeper.core.provision.JobStateEvents;
import org.elb.warmkeeper.core.provision.JobStateRepository;
import org.elb.warmkeeper.core.provision.ProvisionRequest;
import org.elb.warmkeeper.core.provision.ProvisioningService;
import org.elb.warmkeeper.core.warm.AutoWarmPreference;
import org.elb.warmkeeper.core.warm.AutoWarmPreferences;
import org.elb.warmkeeper.core.warm.AutoWarmReconciler;
import org.elb.warmkeeper.core.warm.AutoWarmScheduler;
import org.elb.warmkeeper.core.warm.ClusterReadinessProbe;
import org.elb.warmkeeper.core.warm.ClusterStatus;
import org.elb.warmkeeper.core.warm.DatabaseInventory;
import org.elb.warmkeeper.core.warm.InflightLock;
import org.elb.warmkeeper.core.warm.TickReport;
import org.elb.warmkeeper.core.warm.WarmStatus;
import org.elb.warmkeeper.core.warm.WarmStatusProbe;
import org.elb.warmkeeper.core.warm.WarmupDispatcher;
import org.elb.warmkeeper.jdbi.JdbiStore;
import org.elb.warmkeeper.json.TickReportJson;
import org.elb.warmkeeper.k8s.Fabric8NodeReadinessProbe;
import org.elb.warmkeeper.k8s.Fabric8WarmStatusProbe;
import org.elb.warmkeeper.k8s.Fabric8WarmupDispatcher;
import org.elb.warmkeeper.k8s.KubernetesClientProvider;
import org.elb.warmkeeper.micrometer.MicrometerObserver;
import org.elb.warmkeeper.redis.RedissonClients;
import org.elb.warmkeeper.redis.RedissonInflightLock;
import org.elb.warmkeeper.redis.RedissonJobStateEvents;
import org.elb.warmkeeper.testkit.FakeLeaderElection;
import org.elb.warmkeeper.testkit.FakeReadinessProbe;
import org.elb.warmkeeper.testkit.FakeWarmStatusProbe;
import org.elb.warmkeeper.testkit.InMemoryAutoWarmPreferences;
import org.elb.warmkeeper.testkit.InMemoryDatabaseInventory;
import org.elb.warmkeeper.testkit.InMemoryInflightLock;
import org.elb.warmkeeper.testkit.MutableClock;
import org.elb.warmkeeper.testkit.RecordingWarmupDispatcher;
import org.junit.jupiter.api.Test;
import org.redisson.api.RedissonClient;

/**
 * Keeps the README's code honest: the quick start runs here on the fakes, and the adapter snippets are
 * compiled here (in {@link #adapterSnippets}, which needs real servers and is therefore only compiled),
 * so a change of API that would break the README breaks the build.
 */
class ReadmeSnippetsTest {

    private static final ClusterRef CLUSTER =
            ClusterRef.of("00000000-0000-4000-8000-000000000001", "rg-elb", "elb-cluster");
    private static final DatabaseName CORE_NT = DatabaseName.of("core_nt");

    @Test
    void the_quick_start_runs_as_written() throws Exception {
        MutableClock clock = MutableClock.start();
        AutoWarmPreferences preferences =
                new InMemoryAutoWarmPreferences().put(new AutoWarmPreference(CLUSTER, List.of(CORE_NT), true));
        DatabaseInventory inventory = new InMemoryDatabaseInventory().markDownloaded(CLUSTER, CORE_NT);
        WarmStatusProbe warmStatusProbe = new FakeWarmStatusProbe().set(CLUSTER, CORE_NT, WarmStatus.ABSENT);
        InflightLock inflightLock = new InMemoryInflightLock(clock);
        RecordingWarmupDispatcher dispatcher = new RecordingWarmupDispatcher();
        ClusterReadinessProbe aksReadiness = new FakeReadinessProbe();
        ClusterReadinessProbe nodeReadiness = new FakeReadinessProbe();
        MicrometerObserver metrics = MicrometerObserver.of(new SimpleMeterRegistry());
        FakeLeaderElection leaderElection = new FakeLeaderElection(true);

        // --- README: Quick start ---
        AutoWarmReconciler reconciler = AutoWarmReconciler.builder(
                        preferences, inventory, warmStatusProbe, inflightLock, dispatcher)
                .readiness(ClusterReadinessProbe.allOf(aksReadiness, nodeReadiness))
                .lockTtl(Duration.ofMinutes(15))
                .observer(metrics)
                .build();

        AutoWarmScheduler scheduler = AutoWarmScheduler.builder(reconciler)
                .interval(Duration.ofMinutes(1))
                .leaderElection(leaderElection)
                .build()
                .start();
        // ---
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (scheduler.completedTicks() < 1 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        scheduler.close();

        TickReport report = scheduler.lastReport().orElseThrow();
        assertThat(report.outcome(CLUSTER).orElseThrow().status()).isEqualTo(ClusterStatus.TRIGGERED);
        assertThat(TickReportJson.toJson(report))
                .startsWith("{\"status\":\"completed\"")
                .contains("\"enqueued\":[\"core_nt\"]");
        assertThat(dispatcher.enqueued()).hasSize(1);
    }

    /** The README's adapter snippets, compiled (they need real Redis, PostgreSQL, Kubernetes and Azure). */
    @SuppressWarnings("unused")
    static void adapterSnippets(
            AutoWarmPreferences prefs,
            DatabaseInventory inventory,
            WarmStatusProbe statusProbe,
            WarmupDispatcher dispatcher,
            ClusterProvisioner provisioner,
            JobStateRepository jobStore,
            ClusterReadinessProbe aksProbe,
            String password,
            OwnerId owner)
            throws Exception {
        ClusterRef cluster = CLUSTER;
        {
            RedissonClient redis = RedissonClients.create("redis://ops-redis:6379/2");
            InflightLock lock = RedissonInflightLock.of(redis);
            JobStateEvents events = RedissonJobStateEvents.of(redis);
            AutoWarmReconciler reconciler = AutoWarmReconciler.builder(prefs, inventory, statusProbe, lock, dispatcher)
                    .build();
            redis.shutdown();
        }
        InflightLock lock = new InMemoryInflightLock(MutableClock.start());
        {
            JdbiStore store = JdbiStore.builder("jdbc:postgresql://db:5432/elb")
                    .credentials("elb", password)
                    .build();
            ProvisioningService provisioning = ProvisioningService.builder(store.jobStateRepository(), provisioner)
                    .build();
            AutoWarmReconciler reconciler = AutoWarmReconciler.builder(
                            store.autoWarmPreferences(), store.databaseInventory(), statusProbe, lock, dispatcher)
                    .build();
            store.autoWarmPreferences().enable(cluster, List.of(DatabaseName.of("core_nt")));
        }
        {
            KubernetesClientProvider clients = KubernetesClientProvider.fromKubeconfigContexts();
            Job template = Serialization.unmarshal(Files.readString(Path.of("warmup-job.yaml")), Job.class);
            var probe = Fabric8WarmStatusProbe.builder(clients).namespace("elb").build();
            var k8sDispatcher = Fabric8WarmupDispatcher.builder(clients, template)
                    .namespace("elb")
                    .build();
            var reconciler = AutoWarmReconciler.builder(prefs, inventory, probe, lock, k8sDispatcher)
                    .readiness(ClusterReadinessProbe.allOf(aksProbe, Fabric8NodeReadinessProbe.of(clients)))
                    .build();
        }
        {
            ArmConnection arm = ArmConnection.defaultCredential();
            AksClusterProvisioner aks = AksClusterProvisioner.builder(arm).build();
            ProvisioningService provisioning = ProvisioningService.builder(jobStore, aks)
                    .tenant("contoso.onmicrosoft.com")
                    .build();
            provisioning.resumeUnfinished(Duration.ofMinutes(15));
            provisioning.provision(owner, new ProvisionRequest(cluster, "koreacentral", "Standard_E32s_v5", 3, "1.33"));
        }
        {
            ArmConnection arm = ArmConnection.defaultCredential();
            ClusterReadinessProbe armReady = org.elb.warmkeeper.core.warm.CachedReadinessProbe.builder(
                            org.elb.warmkeeper.azure.AksReadinessProbe.of(arm))
                    .build();
        }
    }
}
