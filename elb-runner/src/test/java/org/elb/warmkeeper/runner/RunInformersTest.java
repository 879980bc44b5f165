package org.elb.warmkeeper.runner;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.elb.warmkeeper.core.cluster.DatabaseName;
import org.elb.warmkeeper.k8s.WarmupNames;
import org.elb.warmkeeper.testservers.LocalArm;
import org.elb.warmkeeper.testservers.TcpProxy;
import org.elb.warmkeeper.testservers.TestKubernetes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code run} on its default wiring (informer-backed warm status and node readiness, ARM readiness
 * cached): once the informers have synced, ticks make no Kubernetes request and no ARM request, {@code
 * /readyz} says the informers are synced, and a stopped runner leaves no connection to the API server.
 * The API server is Fabric8's mock server in CRUD mode behind a TCP proxy that counts connections.
 */
class RunInformersTest {

    private static final String SUB = OneShotCommandsTest.SUB;
    private static final DatabaseName DB = DatabaseName.of("core_nt");

    @TempDir
    Path dir;

    private final TestKubernetes kube = TestKubernetes.start();
    private final TcpProxy proxy = new TcpProxy("127.0.0.1", kube.port());
    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final AtomicInteger exit = new AtomicInteger(-1);
    private LocalArm arm;
    private Thread thread;

    @AfterEach
    void stop() throws Exception {
        if (thread != null && thread.isAlive()) {
            thread.interrupt();
            thread.join(30_000);
        }
        if (arm != null) {
            arm.close();
        }
        proxy.close();
        kube.close();
    }

    private void seed() {
        kube.admin()
                .nodes()
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
        // core_nt is warm: a Running, Ready warmup pod (no controller runs in the mock server)
        kube.admin()
                .pods()
                .inNamespace("default")
                .resource(new PodBuilder()
                        .withNewMetadata()
                        .withName("elb-warmup-core-nt-1")
                        .addToLabels(WarmupNames.COMPONENT_LABEL, WarmupNames.DEFAULT_COMPONENT)
                        .addToLabels(WarmupNames.DATABASE_KEY_LABEL, WarmupNames.key(DB))
                        .addToAnnotations(WarmupNames.DATABASE_ANNOTATION, DB.value())
                        .endMetadata()
                        .withNewSpec()
                        .addNewContainer()
                        .withName("warmup")
                        .withImage("elb/warmup:1")
                        .endContainer()
                        .endSpec()
                        .withNewStatus()
                        .withPhase("Running")
                        .addNewCondition()
                        .withType("Ready")
                        .withStatus("True")
                        .endCondition()
                        .endStatus()
                        .build())
                .create();
    }

    private Path kubeconfig() throws Exception {
        Path file = dir.resolve("kubeconfig");
        Files.writeString(
                file,
                String.join(
                        "\n",
                        "apiVersion: v1",
                        "kind: Config",
                        "clusters:",
                        "- name: mock",
                        "  cluster:",
                        "    server: http://127.0.0.1:" + proxy.port(),
                        "contexts:",
                        "- name: elb-cluster",
                        "  context:",
                        "    cluster: mock",
                        "    user: tester",
                        "    namespace: default",
                        "current-context: elb-cluster",
                        "users:",
                        "- name: tester",
                        "  user:",
                        "    token: not-a-real-token",
                        ""));
        return file;
    }

    private JsonNode get(int port, String path) throws Exception {
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .timeout(Duration.ofSeconds(20))
                        .header("X-Elb-Owner", "ops")
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        return json.readTree(r.body());
    }

    /** Polls {@code condition} every 100 ms until it holds; fails after {@code limit}. */
    private static void until(Duration limit, java.util.concurrent.Callable<Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.call()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + limit);
            }
            Thread.sleep(100);
        }
    }

    @Test
    void once_synced_ticks_make_no_kubernetes_or_arm_request_and_a_stop_closes_the_informers() throws Exception {
        seed();
        arm = new LocalArm().existing("elb-cluster");
        Cli cli = new Cli();
        Path config = Cli.properties(
                dir,
                "elb.jdbc.url=jdbc:h2:file:" + dir.resolve("store").toAbsolutePath(),
                "elb.http.port=0",
                "elb.http.identity=header",
                "elb.autowarm.interval=PT0.2S",
                "elb.azure.auth=none",
                "elb.azure.endpoint=" + arm.base(),
                "elb.kube.config=" + kubeconfig(),
                "elb.clusters=elb-cluster",
                "elb.cluster.elb-cluster.subscription=" + SUB,
                "elb.cluster.elb-cluster.resource-group=rg-informers",
                "elb.cluster.elb-cluster.databases=core_nt");
        var commandLine = cli.commandLine();
        thread = new Thread(() -> exit.set(commandLine.execute("run", "--config", config.toString())), "run-command");
        thread.start();
        Pattern listening = Pattern.compile("listening on http://127\\.0\\.0\\.1:(\\d+)");
        until(
                Duration.ofSeconds(60),
                () -> listening.matcher(cli.out.toString()).find() || !thread.isAlive());
        Matcher m = listening.matcher(cli.out.toString());
        int port = m.find() ? Integer.parseInt(m.group(1)) : -1;
        assertThat(port).as("run started: %s %s", cli.out, cli.err).isPositive();
        assertThat(cli.out.toString()).containsPattern("informers\\s+ok\\s+2 informer\\(s\\) synced and watching");

        until(
                Duration.ofSeconds(30),
                () -> get(port, "/api/autowarm/status")
                        .path("clusters")
                        .path(0)
                        .path("status")
                        .asText()
                        .equals("ready_noop"));
        JsonNode informers = get(port, "/readyz").get("components").get("informers");
        assertThat(informers.get("status").asText()).isEqualTo("up");
        assertThat(informers.get("detail").asText()).contains("synced and watching");

        int kubeBefore = kube.requestCount();
        long armBefore = arm.requests().size();
        Set<String> ticks = new HashSet<>();
        until(Duration.ofSeconds(30), () -> {
            ticks.add(get(port, "/api/autowarm/status").path("started_at").asText());
            return ticks.size() >= 6;
        });
        assertThat(get(port, "/api/autowarm/status")
                        .path("clusters")
                        .path(0)
                        .path("status")
                        .asText())
                .isEqualTo("ready_noop");
        assertThat(kube.requestCount() - kubeBefore)
                .as("Kubernetes requests over 5 steady-state ticks")
                .isZero();
        assertThat(arm.requests().size() - armBefore)
                .as("ARM requests over 5 steady-state ticks (readiness cached for 5 min)")
                .isZero();
        assertThat(proxy.openConnections()).as("the watches").isPositive();

        thread.interrupt();
        thread.join(30_000);
        assertThat(exit.get()).isZero();
        // the informers were stopped and the clients closed: nothing is left connected (on JDK 17 a
        // closed HTTP client's idle connection goes when the client is collected)
        until(Duration.ofSeconds(20), () -> {
            System.gc();
            return proxy.openConnections() == 0;
        });
    }
}
