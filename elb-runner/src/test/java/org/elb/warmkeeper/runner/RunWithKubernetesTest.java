package org.elb.warmkeeper.runner;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.elb.warmkeeper.redis.RedissonClients;
import org.elb.warmkeeper.testservers.LocalArm;
import org.elb.warmkeeper.testservers.TestRedis;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

/**
 * {@code run} end to end with Kubernetes: a kubeconfig file whose context points at Fabric8's mock
 * server (CRUD mode), the real Redis lock, an H2 file store, a local Resource Manager, a Lease for
 * leader-only ticks and a local OpenAPI spec. The endpoints reach every real adapter: a reconcile creates
 * warmup Jobs in the cluster and in-flight keys in Redis in the dashboard's format.
 */
class RunWithKubernetesTest {

    static final String SUB = OneShotCommandsTest.SUB;

    static {
        java.util.logging.Logger.getLogger("io.fabric8.mockwebserver").setLevel(java.util.logging.Level.WARNING);
    }

    @TempDir
    Path dir;

    private final String resourceGroup = "rg-" + UUID.randomUUID().toString().substring(0, 8);
    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final AtomicInteger exit = new AtomicInteger(-1);
    private KubernetesMockServer kube;
    private KubernetesClient admin;
    private LocalArm arm;
    private HttpServer openapi;
    private RedissonClient redis;
    private Thread thread;
    private Cli cli;

    @BeforeEach
    void start() throws Exception {
        var expectations = new HashMap<
                io.fabric8.mockwebserver.ServerRequest, java.util.Queue<io.fabric8.mockwebserver.ServerResponse>>();
        kube = new KubernetesMockServer(
                new Context(), new MockWebServer(), expectations, new KubernetesMixedDispatcher(expectations), false);
        kube.init();
        admin = new KubernetesClientBuilder()
                .withConfig(new ConfigBuilder(Config.empty())
                        .withMasterUrl("http://localhost:" + kube.getPort())
                        .withNamespace("default")
                        .build())
                .build();
        admin.nodes()
                .resource(new NodeBuilder()
                        .withNewMetadata()
                        .withName("aks-pool-0")
                        .endMetadata()
                        .withNewStatus()
                        .addNewCondition()
                        .withType("Ready")
                        .withStatus("True")
                        .endCondition()
                        .endStatus()
                        .build())
                .create();
        arm = new LocalArm().existing("elb-cluster");
        openapi = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        openapi.createContext("/openapi.json", ex -> {
            byte[] body = "{\"openapi\":\"3.0.0\",\"info\":{\"title\":\"elb\",\"version\":\"4.8.0\"}}"
                    .getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        openapi.start();
        redis = RedissonClients.create(TestRedis.url());
    }

    @AfterEach
    void stop() throws Exception {
        if (thread != null && thread.isAlive()) {
            thread.interrupt();
            thread.join(30_000);
        }
        redis.getKeys().deleteByPattern("autowarmup:inflight:" + SUB + ":" + resourceGroup + ":*");
        redis.shutdown();
        openapi.stop(0);
        arm.close();
        admin.close();
        kube.destroy();
    }

    private Path kubeconfig() throws Exception {
        Path file = dir.resolve("kubeconfig");
        Files.writeString(file, kubeconfigYaml());
        return file;
    }

    private String kubeconfigYaml() {
        return String.join(
                "\n",
                "apiVersion: v1",
                "kind: Config",
                "clusters:",
                "- name: mock",
                "  cluster:",
                "    server: http://localhost:" + kube.getPort(),
                "contexts:",
                "- name: elb-cluster-admin",
                "  context:",
                "    cluster: mock",
                "    user: tester",
                "    namespace: default",
                "current-context: elb-cluster-admin",
                "users:",
                "- name: tester",
                "  user:",
                "    token: not-a-real-token",
                "");
    }

    private int startRun() throws Exception {
        return startRun(Cli.properties(
                dir,
                "elb.jdbc.url=jdbc:h2:file:" + dir.resolve("store").toAbsolutePath(),
                "elb.redis.url=" + TestRedis.url(),
                "elb.http.port=0",
                "elb.http.identity=header",
                "elb.autowarm.interval=PT0.3S",
                "elb.azure.auth=none",
                "elb.azure.endpoint=" + arm.base(),
                "elb.kube.source=kubeconfig",
                "elb.kube.config=" + kubeconfig(),
                "elb.kube.namespace=default",
                "elb.leader.lease=elb-warmkeeper",
                "elb.clusters=elb-cluster",
                "elb.cluster.elb-cluster.subscription=" + SUB,
                "elb.cluster.elb-cluster.resource-group=" + resourceGroup,
                "elb.cluster.elb-cluster.kube-context=elb-cluster-admin",
                "elb.cluster.elb-cluster.databases=core_nt,swissprot",
                "elb.image.elb-openapi=v4.9",
                "elb.openapi.elb-openapi=http://127.0.0.1:"
                        + openapi.getAddress().getPort() + "/openapi.json"));
    }

    private int startRun(Path config) throws Exception {
        cli = new Cli();
        var commandLine = cli.commandLine();
        thread = new Thread(() -> exit.set(commandLine.execute("run", "--config", config.toString())), "run-command");
        thread.start();
        Pattern listening = Pattern.compile("listening on http://127\\.0\\.0\\.1:(\\d+)");
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline && thread.isAlive()) {
            Matcher m = listening.matcher(cli.out.toString());
            if (m.find()) {
                return Integer.parseInt(m.group(1));
            }
            Thread.sleep(20);
        }
        throw new AssertionError("run did not start: exit " + exit.get() + "\nout: " + cli.out + "\nerr: " + cli.err);
    }

    private JsonNode call(int port, String method, String path) throws Exception {
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .timeout(Duration.ofSeconds(20))
                        .header("X-Elb-Owner", "ops")
                        .method(method, HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return json.readTree(r.body());
    }

    @Test
    void with_aks_credentials_the_kubeconfig_comes_from_arm_and_a_reconcile_creates_the_warmup_jobs() throws Exception {
        arm.kubeconfig("elb-cluster", kubeconfigYaml());
        int port = startRun(Cli.properties(
                dir,
                "elb.jdbc.url=jdbc:h2:file:" + dir.resolve("store").toAbsolutePath(),
                "elb.redis.url=" + TestRedis.url(),
                "elb.http.port=0",
                "elb.http.identity=header",
                "elb.autowarm.interval=PT1H",
                "elb.azure.auth=none",
                "elb.azure.endpoint=" + arm.base(),
                "elb.kube.source=aks",
                "elb.clusters=elb-cluster",
                "elb.cluster.elb-cluster.subscription=" + SUB,
                "elb.cluster.elb-cluster.resource-group=" + resourceGroup,
                "elb.cluster.elb-cluster.databases=core_nt"));
        assertThat(cli.out.toString())
                .containsPattern("kubernetes\\s+ok\\s+elb-cluster \\(AKS credentials, namespace default\\): ready")
                .doesNotContain("not-a-real-token");

        // the scheduler's first tick ran at start (single replica); a forced reconcile keeps to READY/LOADING rules
        long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < until
                && admin.batch()
                        .v1()
                        .jobs()
                        .inNamespace("default")
                        .list()
                        .getItems()
                        .isEmpty()) {
            Thread.sleep(50);
        }
        assertThat(admin.batch().v1().jobs().inNamespace("default").list().getItems())
                .singleElement()
                .satisfies(j -> assertThat(j.getMetadata().getAnnotations()).containsValue("core_nt"));
        assertThat(arm.requests())
                .anyMatch(r -> r.toLowerCase(java.util.Locale.ROOT).endsWith("/listclusterusercredential"));
        JsonNode status = call(port, "GET", "/api/autowarm/status");
        assertThat(status.get("clusters").get(0).get("enqueued"))
                .extracting(JsonNode::asText)
                .containsExactly("core_nt");
    }

    @Test
    void
            the_leaders_ticks_create_warmup_jobs_in_the_cluster_and_take_the_redis_locks_and_a_reconcile_over_http_skips_them_as_inflight()
                    throws Exception {
        int port = startRun();
        assertThat(cli.out.toString())
                .containsPattern(
                        "kubernetes\\s+ok\\s+elb-cluster \\(context elb-cluster-admin, namespace default\\): ready")
                .containsPattern("leader\\s+ok\\s+Lease default/elb-warmkeeper on elb-cluster")
                .containsPattern("openapi\\s+ok\\s+elb-openapi: reports version 4.8.0")
                .contains("leader-only: Lease default/elb-warmkeeper")
                .doesNotContain("not-a-real-token");

        // the leader's scheduled ticks: the first enqueues both databases
        long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < until
                && admin.batch()
                                .v1()
                                .jobs()
                                .inNamespace("default")
                                .list()
                                .getItems()
                                .size()
                        < 2) {
            Thread.sleep(50);
        }
        // the Jobs exist while the tick still runs: its report is recorded when it ends
        JsonNode status = call(port, "GET", "/api/autowarm/status");
        while (System.nanoTime() < until && status.get("status").asText().equals("no_tick_yet")) {
            Thread.sleep(50);
            status = call(port, "GET", "/api/autowarm/status");
        }
        assertThat(status.get("status").asText()).isEqualTo("completed");
        assertThat(status.get("clusters").get(0).get("cluster_name").asText()).isEqualTo("elb-cluster");

        List<Job> jobs = admin.batch().v1().jobs().inNamespace("default").list().getItems();
        assertThat(jobs).hasSize(2);
        assertThat(jobs)
                .allSatisfy(j -> assertThat(j.getSpec()
                                .getTemplate()
                                .getSpec()
                                .getContainers()
                                .get(0)
                                .getImage())
                        .isEqualTo("ncbi/elb:1.4.0"));
        String key = "autowarmup:inflight:" + SUB + ":" + resourceGroup + ":elb-cluster:core_nt";
        assertThat(redis.getBucket(key, StringCodec.INSTANCE).remainTimeToLive())
                .isBetween(1L, 900_000L);

        JsonNode second = call(port, "POST", "/api/autowarm/reconcile");
        assertThat(second.get("clusters").get(0).get("skipped"))
                .extracting(s -> s.get("reason").asText())
                .containsOnly("inflight");
        assertThat(second.get("clusters").get(0).get("status").asText()).isEqualTo("waiting");

        JsonNode gate = call(port, "GET", "/api/version-gate/elb-openapi");
        assertThat(gate.get("decision").asText()).isEqualTo("update_available");
        assertThat(gate.get("from").asText()).isEqualTo("4.8.0");
        assertThat(gate.get("to").asText()).isEqualTo("v4.9");

        String metrics = http.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
        assertThat(metrics).containsPattern("elb_autowarm_enqueued_total\\{cluster=\"elb-cluster\"[^}]*} 2\\.0");
        assertThat(metrics).contains("elb_autowarm_skipped_total{cluster=\"elb-cluster\",reason=\"inflight\"");

        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        Lease lease = null;
        while (System.nanoTime() < deadline && (lease == null || lease.getSpec().getHolderIdentity() == null)) {
            lease = admin.leases()
                    .inNamespace("default")
                    .withName("elb-warmkeeper")
                    .get();
            Thread.sleep(50);
        }
        assertThat(lease).isNotNull();
        assertThat(lease.getSpec().getHolderIdentity()).isNotBlank();

        thread.interrupt();
        thread.join(30_000);
        assertThat(exit.get()).isZero();
        Lease released =
                admin.leases().inNamespace("default").withName("elb-warmkeeper").get();
        assertThat(released.getSpec().getLeaseDurationSeconds())
                .as("a clean stop gives the Lease up: it expires in 1 s")
                .isEqualTo(1);
    }
}
