package org.elb.warmkeeper.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.function.Supplier;
import org.elb.warmkeeper.core.BackendUnavailableException;
import org.elb.warmkeeper.core.cluster.ClusterRef;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AksKubeconfigSourceTest {

    private static final String KUBECONFIG = "apiVersion: v1\nkind: Config\nclusters:\n- name: k1\n  cluster:\n"
            + "    server: https://k1.hcp.koreacentral.azmk8s.io:443\nusers:\n- name: clusterUser_elb-rg_k1\n  user:\n"
            + "    token: s3cr3t-t0ken\n";

    private FakeArm arm;
    private AksKubeconfigSource source;

    @BeforeEach
    void setUp() throws Exception {
        arm = new FakeArm();
        source = AksKubeconfigSource.of(arm.connection());
    }

    @AfterEach
    void tearDown() {
        arm.close();
    }

    @Test
    void the_base64_kubeconfig_from_list_cluster_user_credentials_is_decoded() {
        FakeArm.Script s = arm.script("k1");
        s.exists = true;
        s.kubeconfig = KUBECONFIG;
        ClusterRef ref = ClusterRef.of(FakeArm.SUB, "elb-rg", "k1");

        assertThat(source.kubeconfig(ref)).isEqualTo(KUBECONFIG);
        assertThat(new String(source.kubeconfigBytes(ref), java.nio.charset.StandardCharsets.UTF_8))
                .isEqualTo(KUBECONFIG);
        Supplier<String> supplier = source.supplier(ref);
        assertThat(supplier.get()).isEqualTo(KUBECONFIG);
        assertThat(supplier.toString()).contains("k1").doesNotContain("s3cr3t").doesNotContain("apiVersion");
        assertThat(source.toString()).doesNotContain("s3cr3t");
        assertThat(arm.count("POST /subscriptions/" + FakeArm.SUB + "/resourceGroups/elb-rg/providers/"
                        + "Microsoft.ContainerService/managedClusters/k1/listClusterUserCredential"))
                .isEqualTo(3);
    }

    @Test
    void a_missing_cluster_is_a_backend_unavailable_exception_without_the_kubeconfig() {
        assertThatThrownBy(() -> source.kubeconfig(ClusterRef.of(FakeArm.SUB, "elb-rg", "absent")))
                .isInstanceOf(BackendUnavailableException.class)
                .hasMessageContaining("listClusterUserCredentials");
    }
}
