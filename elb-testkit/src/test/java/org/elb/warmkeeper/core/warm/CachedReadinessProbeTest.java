package org.elb.warmkeeper.core.warm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.elb.warmkeeper.core.warm.WarmWorld.cluster;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.elb.warmkeeper.core.BackendThrottledException;
import org.elb.warmkeeper.core.BackendUnavailableException;
import org.elb.warmkeeper.core.cluster.ClusterRef;
import org.elb.warmkeeper.testkit.MutableClock;
import org.junit.jupiter.api.Test;

/** CachedReadinessProbe: TTLs by answer, failures never cached, a throttle honoured per subscription. */
class CachedReadinessProbeTest {

    static final ClusterRef A = cluster("elb-a");
    static final ClusterRef B = cluster("elb-b");

    final MutableClock clock = MutableClock.start();
    final AtomicInteger calls = new AtomicInteger();
    final AtomicReference<Object> next = new AtomicReference<>(Readiness.ready());

    final ClusterReadinessProbe scripted = c -> {
        calls.incrementAndGet();
        Object n = next.get();
        if (n instanceof RuntimeException e) {
            throw e;
        }
        return (Readiness) n;
    };

    final CachedReadinessProbe cached = CachedReadinessProbe.builder(scripted)
            .clock(clock)
            .readyTtl(Duration.ofMinutes(5))
            .notReadyTtl(Duration.ofSeconds(30))
            .build();

    @Test
    void a_ready_answer_is_kept_for_its_ttl_so_a_minute_tick_costs_a_fifth_of_a_call() {
        for (int tick = 0; tick < 10; tick++) {
            assertThat(cached.probe(A).isReady()).isTrue();
            clock.advance(Duration.ofMinutes(1));
        }
        assertThat(calls.get()).isEqualTo(2);
    }

    @Test
    void a_not_ready_answer_is_kept_only_for_the_shorter_ttl() {
        next.set(Readiness.notReady("provisioningState is Creating"));
        cached.probe(A);
        clock.advance(Duration.ofSeconds(29));
        assertThat(cached.probe(A).reason()).isEqualTo("provisioningState is Creating");
        assertThat(calls.get()).isEqualTo(1);

        next.set(Readiness.ready());
        clock.advance(Duration.ofSeconds(2));
        assertThat(cached.probe(A).isReady()).isTrue();
        assertThat(calls.get()).isEqualTo(2);
    }

    @Test
    void a_failure_is_never_cached() {
        next.set(new BackendUnavailableException("arm", "get", "refused"));
        assertThatThrownBy(() -> cached.probe(A)).isInstanceOf(BackendUnavailableException.class);
        next.set(Readiness.ready());
        assertThat(cached.probe(A).isReady()).isTrue();
        assertThat(calls.get()).isEqualTo(2);
    }

    @Test
    void while_throttled_nobody_in_the_subscription_asks_and_known_answers_are_served() {
        cached.probe(A); // known ready
        clock.advance(Duration.ofMinutes(6)); // expired
        next.set(new BackendThrottledException("arm", "get", "429", Duration.ofSeconds(90), new RuntimeException()));

        assertThat(cached.probe(A).isReady())
                .as("the last answer while throttled")
                .isTrue();
        assertThatThrownBy(() -> cached.probe(B)).isInstanceOf(BackendThrottledException.class);
        assertThat(calls.get())
                .as("B is not asked: same subscription, throttled")
                .isEqualTo(2);

        next.set(Readiness.ready());
        clock.advance(Duration.ofSeconds(91));
        assertThat(cached.probe(B).isReady()).isTrue();
        assertThat(calls.get()).isEqualTo(3);
    }

    @Test
    void the_builder_validates_eagerly() {
        assertThatThrownBy(() -> CachedReadinessProbe.builder(scripted).readyTtl(Duration.ZERO))
                .hasMessageContaining("'readyTtl' must be positive");
        assertThatThrownBy(() -> CachedReadinessProbe.builder(null)).hasMessageContaining("'delegate' is required");
        assertThat(CachedReadinessProbe.DEFAULT_READY_TTL).isEqualTo(Duration.ofMinutes(5));
    }
}
