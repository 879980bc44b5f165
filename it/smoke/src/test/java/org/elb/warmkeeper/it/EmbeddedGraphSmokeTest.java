package org.elb.warmkeeper.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.core.http.HttpPipelineBuilder;
import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.elb.warmkeeper.azure.AksClusterProvisioner;
import org.elb.warmkeeper.azure.AksReadinessProbe;
import org.elb.warmkeeper.azure.ArmConnection;
import org.elb.warmkeeper.core.cluster.ClusterRef;
import org.elb.warmkeeper.core.cluster.DatabaseName;
import org.elb.warmkeeper.core.cluster.OwnerId;
import org.elb.warmkeeper.core.provision.JobState;
import org.elb.warmkeeper.core.provision.JobStatus;
import org.elb.warmkeeper.core.provision.ProvisionAccepted;
import org.elb.warmkeeper.core.provision.ProvisionRequest;
import org.elb.warmkeeper.core.provision.ProvisioningService;
import org.elb.warmkeeper.core.warm.AutoWarmReconciler;
import org.elb.warmkeeper.core.warm.ClusterReadinessProbe;
import org.elb.warmkeeper.core.warm.ClusterStatus;
import org.elb.warmkeeper.core.warm.InflightKey;
import org.elb.warmkeeper.core.warm.InflightKeyCodec;
import org.elb.warmkeeper.core.warm.TickReport;
import org.elb.warmkeeper.core.warm.WarmStatus;
import org.elb.warmkeeper.jdbi.JdbiStore;
import org.elb.warmkeeper.k8s.Fabric8NodeReadinessProbe;
import org.elb.warmkeeper.k8s.Fabric8WarmStatusProbe;
import org.elb.warmkeeper.k8s.Fabric8WarmupDispatcher;
import org.elb.warmkeeper.k8s.KubernetesClientProvider;
import org.elb.warmkeeper.k8s.KubernetesConfigSource;
import org.elb.warmkeeper.k8s.WarmupNames;
import org.elb.warmkeeper.micrometer.MicrometerObserver;
import org.elb.warmkeeper.redis.RedissonClients;
import org.elb.warmkeeper.redis.RedissonInflightLock;
import org.elb.warmkeeper.testkit.MutableClock;
import org.elb.warmkeeper.testservers.LocalArm;
import org.elb.warmkeeper.testservers.TestKubernetes;
import org.elb.warmkeeper.testservers.TestRedis;
import org.junit.jupiter.api.Test;
import org.redisson.api.RedissonClient;

/**
 * What an embedder's build gets from elb-bom alone, exercised in one JVM: the Redis lock on a real Redis,
 * the Fabric8 status probe, node readiness and dispatcher on Fabric8's mock server, the AKS readiness
 * probe and one create through the local ARM, the JDBI store on H2, and the Micrometer observer; a
 * classpath that mixes Jackson or Netty lines fails here with a linkage error.
 */
class EmbeddedGraphSmokeTest {

    private static final DatabaseName CORE_NT = DatabaseName.of("core_nt");
    private static final DatabaseName NR = DatabaseName.of("nr");

    @Test
    void every_adapter_works_in_one_jvm_on_the_graph_elb_bom_gives() throws Exception {
        String name = "elb-it-" + UUID.randomUUID().toString().substring(0, 8);
        ClusterRef cluster = ClusterRef.of(UUID.randomUUID().toString(), "rg-elb-it", name);
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        RedissonClient redis = RedissonClients.create(TestRedis.url());
        try (TestKubernetes kube = TestKubernetes.start();
                LocalArm arm = new LocalArm().existing(name);
                JdbiStore store = JdbiStore.builder("jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1").build()) {
            Config config = kube.config();
            KubernetesClient admin = kube.admin();
            admin.nodes().resource(new io.fabric8.kubernetes.api.model.NodeBuilder()
                            .withNewMetadata().withName("node-1").endMetadata()
                            .withNewStatus().addNewCondition().withType("Ready").withStatus("True").endCondition()
                            .endStatus().build())
                    .create();
            // nr is already warm: a Running warmup pod of the kind the probe reads.
            admin.pods().resource(new PodBuilder()
                            .withNewMetadata().withName("warm-nr").withLabels(Map.of(
                                    WarmupNames.COMPONENT_LABEL, WarmupNames.DEFAULT_COMPONENT,
                                    WarmupNames.DATABASE_KEY_LABEL, WarmupNames.key(NR)))
                            .withAnnotations(Map.of(WarmupNames.DATABASE_ANNOTATION, NR.value()))
                            .endMetadata()
                            .withNewStatus().withPhase("Running").endStatus().build())
                    .create();

            KubernetesClientProvider clients =
                    KubernetesClientProvider.builder(KubernetesConfigSource.of(Map.of(cluster, config))).build();
            ArmConnection connection = ArmConnection.of(new HttpPipelineBuilder()
                    .httpClient(new JdkHttpClientBuilder().build()).build(), arm.base());

            store.autoWarmPreferences().enable(cluster, List.of(CORE_NT, NR));
            store.databaseInventory().markDownloaded(cluster, CORE_NT, NR);

            Fabric8WarmStatusProbe statusProbe = Fabric8WarmStatusProbe.builder(clients).namespace("default").build();
            Map<DatabaseName, WarmStatus> statuses = statusProbe.statuses(cluster, Set.of(CORE_NT, NR));
            assertThat(statuses).containsEntry(CORE_NT, WarmStatus.ABSENT);

            RedissonInflightLock lock = RedissonInflightLock.of(redis);
            AutoWarmReconciler reconciler = AutoWarmReconciler.builder(
                            store.autoWarmPreferences(),
                            store.databaseInventory(),
                            statusProbe,
                            lock,
                            Fabric8WarmupDispatcher.builder(clients, template()).namespace("default").build())
                    .readiness(ClusterReadinessProbe.allOf(
                            AksReadinessProbe.of(connection), Fabric8NodeReadinessProbe.of(clients)))
                    .observer(MicrometerObserver.of(meters))
                    .build();
            TickReport report = reconciler.tick(false);
            reconciler.close(); // its worker threads end here, not when the JVM does
            lock.close();

            assertThat(report.outcome(cluster).orElseThrow().status())
                    .as(report.toString())
                    .isEqualTo(ClusterStatus.TRIGGERED);
            assertThat(report.outcome(cluster).orElseThrow().enqueued()).containsExactly(CORE_NT);
            assertThat(admin.batch().v1().jobs().inNamespace("default").list().getItems()).hasSize(1);
            assertThat(redis.getKeys().countExists(InflightKeyCodec.encode(new InflightKey(cluster, CORE_NT)))).isEqualTo(1);
            assertThat(meters.getMeters()).isNotEmpty();

            AksClusterProvisioner aks =
                    AksClusterProvisioner.builder(connection).pollInterval(Duration.ofMillis(20)).build();
            ProvisioningService provisioning =
                    ProvisioningService.builder(store.jobStateRepository(), aks).build();
            OwnerId owner = OwnerId.of("it-owner");
            ClusterRef fresh = ClusterRef.of(cluster.subscriptionId(), cluster.resourceGroup(), name + "-new");
            ProvisionAccepted accepted = provisioning.provision(
                    owner, new ProvisionRequest(fresh, "koreacentral", "Standard_E32s_v5", 3, "1.33"));
            assertThat(accepted.stateRecorded()).isTrue();
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            JobState row = provisioning.job(owner, accepted.taskId()).orElseThrow();
            while (row.status() != JobStatus.RUNNING && System.nanoTime() < deadline) {
                Thread.sleep(20);
                row = provisioning.job(owner, accepted.taskId()).orElseThrow();
            }
            assertThat(row.status()).as("the create reached ARM and its row says so").isEqualTo(JobStatus.RUNNING);
            assertThat(arm.count("PUT")).isEqualTo(1);
            aks.close();
        } finally {
            redis.shutdown();
        }
    }

    private static Job template() {
        return new JobBuilder()
                .withNewMetadata().withName("elb-warmup").endMetadata()
                .withNewSpec()
                .withBackoffLimit(2)
                .withNewTemplate()
                .withNewSpec()
                .withRestartPolicy("Never")
                .addNewContainer().withName("warmup").withImage("busybox").endContainer()
                .endSpec()
                .endTemplate()
                .endSpec()
                .build();
    }
}
