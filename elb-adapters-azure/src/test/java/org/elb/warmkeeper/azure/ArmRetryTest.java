package org.elb.warmkeeper.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.core.http.HttpClient;
import com.azure.core.http.HttpRequest;
import com.azure.core.http.HttpResponse;
import com.azure.core.util.Context;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.elb.warmkeeper.core.BackendUnavailableException;
import org.elb.warmkeeper.core.cluster.ClusterRef;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/**
 * The adapters' ARM retries: an ARM that refuses connections costs two attempts (not the SDK's four,
 * about 5.6 s), a throttled answer asking for a long wait is returned at once, a short one is waited
 * out and retried.
 */
class ArmRetryTest {

    /** Counts the attempts that reach the HTTP client (each retry is one more). */
    private static final class Counting implements HttpClient {
        final HttpClient delegate = ArmRetry.httpClient();
        final AtomicInteger attempts = new AtomicInteger();

        @Override
        public Mono<HttpResponse> send(HttpRequest request) {
            attempts.incrementAndGet();
            return delegate.send(request);
        }

        @Override
        public Mono<HttpResponse> send(HttpRequest request, Context context) {
            attempts.incrementAndGet();
            return delegate.send(request, context);
        }

        @Override
        public HttpResponse sendSync(HttpRequest request, Context context) {
            attempts.incrementAndGet();
            return delegate.sendSync(request, context);
        }
    }

    private static int closedPort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void a_refused_connection_is_tried_twice_and_answers_well_within_the_cluster_deadline() throws Exception {
        Counting client = new Counting();
        AksReadinessProbe probe =
                AksReadinessProbe.of(ArmConnection.of(ArmRetry.pipeline(client), "http://127.0.0.1:" + closedPort()));
        long start = System.nanoTime();
        assertThatThrownBy(() -> probe.probe(ClusterRef.of(FakeArm.SUB, "elb-rg", "gone")))
                .isInstanceOf(BackendUnavailableException.class)
                .hasMessageContaining("arm");
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(client.attempts.get()).as("attempts against a refused port").isEqualTo(2);
        // generous: the SDK's default retries took about 5.6 s here
        assertThat(took).isLessThan(Duration.ofSeconds(4));
    }

    @Test
    void a_short_retry_after_is_waited_out_and_retried_once() throws Exception {
        try (FakeArm arm = new FakeArm()) {
            FakeArm.Script s = arm.script("short");
            s.exists = true;
            s.state = "Succeeded";
            s.getThrottleTimes = 1;
            s.retryAfter = "1";
            AksReadinessProbe probe = AksReadinessProbe.of(ArmConnection.of(ArmRetry.pipeline(), arm.base()));
            assertThat(probe.probe(ClusterRef.of(FakeArm.SUB, "elb-rg", "short"))
                            .isReady())
                    .isTrue();
            assertThat(arm.count("GET /subscriptions/" + FakeArm.SUB
                            + "/resourceGroups/elb-rg/providers/Microsoft.ContainerService/managedClusters/short"))
                    .isEqualTo(2);
        }
    }

    @Test
    void the_strategy_retries_only_transient_answers_and_caps_its_delay() {
        ArmRetry r = ArmRetry.defaults();
        assertThat(r.getMaxRetries()).isEqualTo(1);
        assertThat(r.calculateRetryDelay(0)).isEqualTo(Duration.ofMillis(250));
        assertThat(ArmRetry.of(5, Duration.ofSeconds(1), Duration.ofSeconds(3)).calculateRetryDelay(4))
                .isEqualTo(Duration.ofSeconds(3));
        assertThatThrownBy(() -> ArmRetry.of(9, Duration.ofSeconds(1), Duration.ofSeconds(3)))
                .hasMessageContaining("'maxRetries' must be between 0 and 5");
        assertThatThrownBy(() -> ArmRetry.of(1, Duration.ofSeconds(3), Duration.ofSeconds(1)))
                .hasMessageContaining("'maxRetryAfter' must be at least 'delay'");
    }
}
