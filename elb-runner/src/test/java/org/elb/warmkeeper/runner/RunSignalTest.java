package org.elb.warmkeeper.runner;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.elb.warmkeeper.testservers.LocalArm;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code run} as a real process: SIGTERM lets the request in flight (a reconcile waiting on a slow
 * Resource Manager) finish with its report, then the process exits 0 within the drain bound.
 */
class RunSignalTest {

    @TempDir
    Path dir;

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private LocalArm arm;
    private Process process;
    private Path log;

    @AfterEach
    void stop() throws Exception {
        if (process != null && process.isAlive()) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        if (arm != null) {
            arm.close();
        }
    }

    @Test
    void sigterm_drains_the_request_in_flight_and_exits_0() throws Exception {
        arm = new LocalArm().existing("elb-cluster");
        Path config = Cli.properties(
                dir,
                "elb.jdbc.url=jdbc:h2:file:" + dir.resolve("store").toAbsolutePath(),
                "elb.http.port=0",
                "elb.http.identity=header",
                "elb.http.drain-timeout=PT10S",
                "elb.autowarm.interval=PT1H",
                "elb.azure.auth=none",
                "elb.azure.endpoint=" + arm.base(),
                "elb.azure.readiness-cache=PT0S", // the reconcile below must reach the slow ARM
                "elb.clusters=elb-cluster",
                "elb.cluster.elb-cluster.subscription=" + OneShotCommandsTest.SUB,
                "elb.cluster.elb-cluster.resource-group=rg-elb",
                "elb.cluster.elb-cluster.databases=core_nt");
        ProcessBuilder pb = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        Runner.class.getName(),
                        "run",
                        "--config",
                        config.toString())
                .redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("ELB_"));
        Path log = dir.resolve("run.log");
        pb.redirectOutput(log.toFile());
        process = pb.start();
        this.log = log;
        int port = awaitPort();

        arm.delay(Duration.ofMillis(2_000));
        CompletableFuture<HttpResponse<String>> reconcile = http.sendAsync(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/autowarm/reconcile"))
                        .timeout(Duration.ofSeconds(30))
                        .header("X-Elb-Owner", "ops")
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        Thread.sleep(500);
        assertThat(reconcile).isNotDone();

        long signalled = System.nanoTime();
        process.destroy(); // SIGTERM
        HttpResponse<String> report = reconcile.get(30, TimeUnit.SECONDS);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        long stopMillis = (System.nanoTime() - signalled) / 1_000_000;
        String output = java.nio.file.Files.readString(log);

        assertThat(report.statusCode()).as(report.body()).isEqualTo(200);
        assertThat(report.body()).contains("\"cluster_name\":\"elb-cluster\"");
        assertThat(process.exitValue()).as(output.toString()).isZero();
        assertThat(output.toString()).contains("stopped").doesNotContain("\tat ");
        assertThat(stopMillis).as("SIGTERM to exit, ms").isLessThan(15_000);
        System.out.println("SIGTERM to exit 0 with one request in flight: " + stopMillis + " ms");
    }

    private int awaitPort() throws Exception {
        Pattern listening = Pattern.compile("listening on http://127\\.0\\.0\\.1:(\\d+)");
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            Matcher m = listening.matcher(java.nio.file.Files.readString(log));
            if (m.find()) {
                return Integer.parseInt(m.group(1));
            }
            if (!process.isAlive()) {
                break;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("run did not start:\n" + java.nio.file.Files.readString(log));
    }
}
