package org.elb.warmkeeper.jdbi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.elb.warmkeeper.core.BackendUnavailableException;
import org.elb.warmkeeper.core.cluster.ClusterRef;
import org.elb.warmkeeper.core.cluster.OwnerId;
import org.elb.warmkeeper.core.provision.JobId;
import org.elb.warmkeeper.core.provision.JobStoreException;
import org.elb.warmkeeper.core.provision.NewJob;
import org.elb.warmkeeper.core.provision.ProvisioningService;
import org.elb.warmkeeper.core.provision.RecentFailedProvisions;
import org.elb.warmkeeper.testkit.FakeClusterProvisioner;
import org.elb.warmkeeper.testkit.MutableClock;
import org.elb.warmkeeper.testservers.TcpProxy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL frozen behind a TCP proxy that stops forwarding (connections stay open, nothing answers):
 * {@code recentFailed} answers {@code degraded} within about two seconds, and every other store call
 * fails within its timeouts instead of hanging. After the thaw the store works again. Time bounds are
 * generous "it finishes" bounds, far below the hang they rule out.
 */
class PostgresFrozenTest {

    private static final OwnerId ALICE = OwnerId.of("alice");
    private static final Duration GENEROUS = Duration.ofSeconds(6);

    private TestDatabase direct;
    private TcpProxy proxy;
    private JdbiStore store;

    @BeforeEach
    void open() {
        direct = TestDatabase.postgres(); // creates and migrates a schema of its own, not through the proxy
        String url = TestDatabase.postgresUrl();
        URI uri = URI.create(url.substring("jdbc:".length()));
        proxy = new TcpProxy(uri.getHost(), uri.getPort() < 0 ? 5432 : uri.getPort());
    }

    private JdbiStore throughProxy(java.util.function.UnaryOperator<JdbiStore.Builder> settings) {
        String url = TestDatabase.postgresUrl();
        URI uri = URI.create(url.substring("jdbc:".length()));
        String proxied = "jdbc:postgresql://127.0.0.1:" + proxy.port() + uri.getRawPath()
                + (uri.getRawQuery() != null ? "?" + uri.getRawQuery() : "");
        store = settings.apply(JdbiStore.builder(proxied).schema(direct.schema).migrate(false))
                .build();
        return store;
    }

    @AfterEach
    void close() {
        if (store != null) {
            store.close();
        }
        proxy.close();
        direct.close();
    }

    private static ProvisioningService service(JdbiStore s) {
        return ProvisioningService.builder(s.jobStateRepository(), new FakeClusterProvisioner())
                .clock(MutableClock.start())
                .build();
    }

    private static NewJob job() {
        return new NewJob(
                JobId.random(),
                "aks_provision",
                ALICE,
                Map.of(
                        "cluster",
                        ClusterRef.of("00000000-0000-4000-8000-000000000001", "rg", "elb")
                                .clusterName()),
                Instant.parse("2026-03-01T12:00:00Z"));
    }

    @Test
    void recent_failed_answers_degraded_within_about_two_seconds_with_the_default_timeouts() {
        JdbiStore s = throughProxy(b -> b);
        ProvisioningService service = service(s);
        assertThat(service.recentFailed(ALICE, null, null).degraded())
                .as("before the freeze")
                .isFalse();

        proxy.freeze();

        for (int i = 0; i < 2; i++) { // the pooled connection, then a new one that cannot log in
            long t0 = System.nanoTime();
            RecentFailedProvisions recent =
                    assertTimeoutPreemptively(GENEROUS.multipliedBy(2), () -> service.recentFailed(ALICE, null, null));
            Duration took = Duration.ofNanos(System.nanoTime() - t0);
            assertThat(recent.degraded()).isTrue();
            assertThat(recent.jobs()).isEmpty();
            assertThat(took).as("call %d", i).isLessThan(GENEROUS);
        }

        proxy.thaw();
        await().atMost(Duration.ofSeconds(60))
                .until(() -> !service.recentFailed(ALICE, null, null).degraded());
    }

    @Test
    void every_store_call_fails_instead_of_hanging() {
        JdbiStore s = throughProxy(b -> b.socketTimeout(Duration.ofSeconds(2)).statementTimeout(Duration.ofSeconds(1)));
        s.jobStateRepository().create(job());
        assertThat(s.autoWarmPreferences().enabledClusters()).isEmpty();

        proxy.freeze();

        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            assertThatThrownBy(() -> s.jobStateRepository().create(job())).isInstanceOf(JobStoreException.class);
            assertThatThrownBy(() -> s.jobStateRepository().findUnfinished("aks_provision"))
                    .isInstanceOf(JobStoreException.class);
            assertThatThrownBy(() -> s.autoWarmPreferences().enabledClusters())
                    .isInstanceOf(BackendUnavailableException.class);
        });
    }

    @Test
    void the_builder_validates_the_timeouts_and_documents_the_defaults() {
        JdbiStore.Builder b = JdbiStore.builder("jdbc:postgresql://127.0.0.1:1/test");
        assertThatThrownBy(() -> b.connectTimeout(Duration.ZERO))
                .hasMessageContaining("'connectTimeout' must be positive");
        assertThatThrownBy(() -> b.socketTimeout(Duration.ofSeconds(-1)))
                .hasMessageContaining("'socketTimeout' must be positive");
        assertThatThrownBy(() -> b.statementTimeout(Duration.ZERO))
                .hasMessageContaining("'statementTimeout' must be positive");
        assertThatThrownBy(() -> b.recentFailedTimeout(Duration.ZERO))
                .hasMessageContaining("'recentFailedTimeout' must be positive");
        assertThat(JdbiStore.DEFAULT_SOCKET_TIMEOUT).isGreaterThan(JdbiStore.DEFAULT_STATEMENT_TIMEOUT);
        assertThat(JdbiStore.DEFAULT_RECENT_FAILED_TIMEOUT).isLessThan(Duration.ofSeconds(2));
    }
}
