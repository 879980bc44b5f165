package org.elb.warmkeeper.examples.boot;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.elb.warmkeeper.core.cluster.ClusterRef;
import org.elb.warmkeeper.core.cluster.OwnerId;
import org.elb.warmkeeper.core.provision.JobState;
import org.elb.warmkeeper.core.provision.ProvisionAccepted;
import org.elb.warmkeeper.core.provision.ProvisionRequest;
import org.elb.warmkeeper.core.provision.ProvisioningService;
import org.elb.warmkeeper.testservers.LocalArm;
import org.elb.warmkeeper.testservers.TestKubernetes;
import org.elb.warmkeeper.testservers.TestPostgres;
import org.elb.warmkeeper.testservers.TestRedis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The example application started for real: PostgreSQL as its DataSource, Redis, Fabric8's mock
 * Kubernetes behind a kubeconfig file, and the local ARM. A tick enqueues the cold databases, the
 * health endpoint shows the components, a provision writes its row, and shutdown releases the Lease
 * and leaves no thread of ours behind.
 */
class ExampleApplicationTest {

    private static final String CLUSTER = "elb-cluster";

    @Test
    void ticks_reports_health_provisions_and_shuts_down_clean(@TempDir Path dir) throws Exception {
        String subscription = UUID.randomUUID().toString();
        String schema = TestPostgres.schema();
        try (TestKubernetes kube = TestKubernetes.start(); LocalArm arm = new LocalArm().existing(CLUSTER)) {
            kube.admin().nodes().resource(new NodeBuilder().withNewMetadata().withName("node-1").endMetadata()
                    .withNewStatus().addNewCondition().withType("Ready").withStatus("True").endCondition().endStatus()
                    .build()).create();
            Path kubeconfig = Files.writeString(dir.resolve("kubeconfig"), String.join("\n",
                    "apiVersion: v1", "kind: Config", "current-context: " + CLUSTER,
                    "clusters:", "- name: mock", "  cluster:", "    server: http://127.0.0.1:" + kube.port(),
                    "contexts:", "- name: " + CLUSTER, "  context:", "    cluster: mock", "    user: test",
                    "    namespace: default", "users:", "- name: test", "  user:", "    token: test-token", ""));

            ConfigurableApplicationContext app = SpringApplication.run(ExampleApplication.class,
                    "--server.port=0",
                    "--spring.datasource.url=" + TestPostgres.url(),
                    "--elb.jdbc.schema=" + schema,
                    "--elb.redis.url=" + TestRedis.url(),
                    "--elb.kube.config=" + kubeconfig,
                    "--elb.azure.auth=none",
                    "--elb.azure.endpoint=" + arm.base(),
                    "--elb.azure.poll-interval=50ms",
                    "--elb.cluster." + CLUSTER + ".subscription=" + subscription,
                    "--elb.autowarm.interval=200ms");
            try {
                await(() -> kube.admin().batch().v1().jobs().inNamespace("default").list().getItems().size() == 2);

                int port = Integer.parseInt(app.getEnvironment().getProperty("local.server.port", "0"));
                HttpResponse<String> health = HttpClient.newHttpClient().send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(health.statusCode()).as(health.body()).isEqualTo(200);
                assertThat(health.body()).contains("\"elb\"").contains("\"store\"").contains("\"lock\"")
                        .contains("\"leader\":\"leader\"").doesNotContain("test-token");
                // The informer caches of the cluster the tick probed (elb.kube.status-source=informer, the default).
                assertThat(health.body()).contains("\"elbInformers\"").contains("\"warmStatus\":\"synced\"")
                        .contains("\"nodes\":\"watching\"");

                HttpResponse<String> info = HttpClient.newHttpClient().send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/info")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(info.statusCode()).as(info.body()).isEqualTo(200);
                assertThat(info.body()).contains("\"elb\":{").contains("\"version\":\"0.1.0-SNAPSHOT\"")
                        .contains("\"clusters\":[\"" + CLUSTER + "\"]").contains("\"statusSource\":\"informer\"");

                // The web layer (elb.web.enabled=true): the runner's endpoint, its JSON and its 401.
                HttpResponse<String> status = HttpClient.newHttpClient().send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/autowarm/status"))
                                .header("X-Elb-Owner", "example-owner").build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(status.statusCode()).as(status.body()).isEqualTo(200);
                assertThat(status.body()).startsWith("{\"status\":");
                HttpResponse<String> anonymous = HttpClient.newHttpClient().send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/autowarm/status")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(anonymous.statusCode()).isEqualTo(401);
                assertThat(anonymous.body())
                        .isEqualTo("{\"error\":\"the caller's identity is required (header X-Elb-Owner)\"}");

                ProvisioningService provisioning = app.getBean(ProvisioningService.class);
                OwnerId owner = OwnerId.of("example-owner");
                ProvisionAccepted accepted = provisioning.provision(owner, new ProvisionRequest(
                        ClusterRef.of(subscription, "rg-elb", "elb-new"), "koreacentral", "Standard_E32s_v5", 3, "1.33"));
                JobState row = provisioning.job(owner, accepted.taskId()).orElseThrow();
                assertThat(row.type()).isEqualTo("aks_provision");
            } finally {
                app.close();
            }

            Lease lease = kube.admin().leases().inNamespace("default").withName("elb-warmkeeper").get();
            assertThat(lease).isNotNull();
            String holder = lease.getSpec().getHolderIdentity();
            assertThat(holder == null || holder.isEmpty()).as("Lease released, holder '%s'", holder).isTrue();
            await(() -> ourThreads().isEmpty());
            assertThat(ourThreads()).as("threads of ours alive after close").isEmpty();
        } finally {
            TestPostgres.drop(schema);
        }
    }

    private static List<String> ourThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(n -> n.startsWith("elb-") || n.startsWith("aks-provisioner") || n.startsWith("redisson"))
                .sorted().toList();
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
    }
}
