package org.elb.warmkeeper.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.elb.warmkeeper.core.cluster.ClusterRef;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An API server that sends a response's headers and then stalls its body: Fabric8's request timeout
 * does not cover the body, so without a bound of our own the call waits for ever.
 */
class StalledBodyTest {

    private static final ClusterRef CLUSTER = ClusterRef.of("00000000-0000-0000-0000-000000000001", "rg", "stalled");

    private ServerSocket server;
    private final List<Socket> held = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread accept = new Thread(() -> {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    held.add(s);
                    s.getInputStream().read(new byte[8192]); // the request (enough of it)
                    OutputStream out = s.getOutputStream();
                    out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n"
                                    + "{\"kind\":\"PodList\",\"items\":[")
                            .getBytes(StandardCharsets.US_ASCII));
                    out.flush(); // ... and nothing more
                } catch (IOException e) {
                    return;
                }
            }
        });
        accept.setDaemon(true);
        accept.start();
    }

    @AfterEach
    void stop() throws IOException {
        server.close();
        for (Socket s : held) {
            s.close();
        }
    }

    @Test
    void a_stalled_body_is_abandoned_at_the_providers_bound() {
        try (KubernetesClientProvider clients = KubernetesClientProvider.builder(KubernetesConfigSource.of(Map.of(
                        CLUSTER,
                        new ConfigBuilder()
                                .withMasterUrl("http://127.0.0.1:" + server.getLocalPort())
                                .build())))
                .connectTimeout(Duration.ofMillis(500))
                .requestTimeout(Duration.ofMillis(500))
                .build()) {
            assertThat(clients.callTimeout()).isEqualTo(Duration.ofSeconds(6));
            assertTimeoutPreemptively(
                    Duration.ofSeconds(60),
                    () -> assertThatThrownBy(() -> clients.withClient(
                                    CLUSTER,
                                    c -> c.pods().inNamespace("default").list()))
                            .isInstanceOf(KubernetesClientException.class)
                            .hasMessageContaining("no answer within PT6S"));
        }
        assertThat(Thread.getAllStackTraces().keySet().stream()
                        .filter(Thread::isAlive)
                        .map(Thread::getName)
                        .filter(n -> n.startsWith("elb-k8s-call-")))
                .as("the provider's call threads after close")
                .isEmpty();
    }
}
