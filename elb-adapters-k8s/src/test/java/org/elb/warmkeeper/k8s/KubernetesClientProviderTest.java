package org.elb.warmkeeper.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.elb.warmkeeper.core.BackendUnavailableException;
import org.elb.warmkeeper.core.cluster.ClusterRef;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KubernetesClientProviderTest {

    private static final ClusterRef A = ClusterRef.of("00000000-0000-0000-0000-0000000000c1", "rg", "alpha");
    private static final ClusterRef B = ClusterRef.of("00000000-0000-0000-0000-0000000000c2", "rg", "beta");

    private final MockCluster cluster = MockCluster.start();

    @AfterEach
    void stop() {
        cluster.close();
    }

    @Test
    void clients_are_cached_per_cluster_invalidated_and_closed() {
        KubernetesClientProvider provider = KubernetesClientProvider.builder(
                        KubernetesConfigSource.of(Map.of(A, cluster.config(), B, cluster.config())))
                .build();
        KubernetesClient a1 = provider.client(A);
        assertThat(provider.client(A)).isSameAs(a1);
        KubernetesClient b1 = provider.client(B);
        assertThat(b1).isNotSameAs(a1);

        provider.invalidate(A);
        assertThat(a1.getHttpClient().isClosed()).isTrue();
        KubernetesClient a2 = provider.client(A);
        assertThat(a2).isNotSameAs(a1);

        provider.close();
        assertThat(a2.getHttpClient().isClosed()).isTrue();
        assertThat(b1.getHttpClient().isClosed()).isTrue();
        assertThatThrownBy(() -> provider.client(A)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void tuning_is_applied_to_every_client() {
        try (KubernetesClientProvider provider = KubernetesClientProvider.builder(
                        KubernetesConfigSource.of(Map.of(A, cluster.config())))
                .requestTimeout(Duration.ofMillis(1234))
                .connectTimeout(Duration.ofMillis(567))
                .retries(2)
                .build()) {
            KubernetesClient client = provider.client(A);
            assertThat(client.getConfiguration().getRequestTimeout()).isEqualTo(1234);
            assertThat(client.getConfiguration().getConnectionTimeout()).isEqualTo(567);
            assertThat(client.getConfiguration().getRequestRetryBackoffLimit()).isEqualTo(2);
        }
    }

    @Test
    void a_kubeconfig_document_reaches_the_cluster_and_its_token_stays_out_of_to_string() {
        String kubeconfig = """
                apiVersion: v1
                kind: Config
                clusters:
                - name: beta
                  cluster:
                    server: http://localhost:%d
                contexts:
                - name: beta
                  context:
                    cluster: beta
                    user: clusterUser_rg_beta
                current-context: beta
                users:
                - name: clusterUser_rg_beta
                  user:
                    token: s3cr3t-token-value
                """.formatted(cluster.port());
        try (KubernetesClientProvider provider = KubernetesClientProvider.builder(
                        KubernetesConfigSource.kubeconfigDocuments(ref -> kubeconfig))
                .build()) {
            KubernetesClient client = provider.client(B);
            assertThat(client.namespaces().list().getItems()).isEmpty();
            assertThat(cluster.requests()).anySatisfy(r -> assertThat(r).startsWith("GET /api/v1/namespaces"));
            assertThat(provider.toString()).doesNotContain("s3cr3t");
        }
    }

    @Test
    void kubeconfig_contexts_are_chosen_by_cluster_name_and_a_missing_context_is_refused(@TempDir Path dir)
            throws Exception {
        Path file = dir.resolve("config");
        Files.writeString(file, """
                apiVersion: v1
                kind: Config
                clusters:
                - name: beta
                  cluster:
                    server: http://localhost:%d
                contexts:
                - name: beta
                  context:
                    cluster: beta
                    user: u
                current-context: beta
                users:
                - name: u
                  user:
                    token: t
                """.formatted(cluster.port()));
        String previous = System.getProperty("kubeconfig");
        System.setProperty("kubeconfig", file.toString());
        try (KubernetesClientProvider provider = KubernetesClientProvider.fromKubeconfigContexts()) {
            assertThat(provider.client(B).getMasterUrl().getPort()).isEqualTo(cluster.port());
            assertThatThrownBy(() -> provider.client(A))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'alpha'");
        } finally {
            if (previous == null) {
                System.clearProperty("kubeconfig");
            } else {
                System.setProperty("kubeconfig", previous);
            }
        }
    }

    @Test
    void an_unusable_configuration_is_a_core_exception_without_the_document() {
        try (KubernetesClientProvider provider = KubernetesClientProvider.builder(
                        KubernetesConfigSource.kubeconfigDocuments(ref -> "token: s3cr3t\n: : not yaml ["))
                .build()) {
            assertThatThrownBy(() -> provider.client(A))
                    .isInstanceOf(BackendUnavailableException.class)
                    .hasMessageNotContaining("s3cr3t");
        }
    }

    @Test
    void an_unknown_cluster_is_rejected_by_name() {
        try (KubernetesClientProvider provider = KubernetesClientProvider.builder(KubernetesConfigSource.of(Map.of()))
                .build()) {
            assertThatThrownBy(() -> provider.client(A))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(A.display());
        }
    }

    @Test
    void builder_rejects_bad_tuning_naming_the_field() {
        KubernetesClientProvider.Builder b = KubernetesClientProvider.builder(KubernetesConfigSource.of(Map.of()));
        assertThatThrownBy(() -> b.requestTimeout(Duration.ZERO)).hasMessageContaining("requestTimeout");
        assertThatThrownBy(() -> b.retries(-1)).hasMessageContaining("retries");
    }
}
