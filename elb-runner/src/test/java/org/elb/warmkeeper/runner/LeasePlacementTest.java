package org.elb.warmkeeper.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.elb.warmkeeper.k8s.InCluster;
import org.elb.warmkeeper.runner.RunConfig.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Where the leader Lease is: {@code elb.leader.cluster} (a managed cluster) when set; else the cluster the
 * runner runs in (detected from {@code KUBERNETES_SERVICE_HOST} and the service account's namespace file);
 * else the first managed cluster. The namespace: {@code elb.leader.namespace}, else the Pod's for its own
 * cluster, else {@code elb.kube.namespace}.
 */
class LeasePlacementTest {

    private static final String SUB = OneShotCommandsTest.SUB;
    private static final Optional<InCluster> IN_POD = Optional.of(new InCluster("elb-system"));

    private static Map<String, String> twoClusters(String... extra) {
        Map<String, String> m = new HashMap<>(Map.of(
                "elb.clusters", "elb-cluster,elb-east",
                "elb.cluster.elb-cluster.subscription", SUB,
                "elb.cluster.elb-cluster.resource-group", "rg-elb",
                "elb.cluster.elb-east.subscription", SUB,
                "elb.cluster.elb-east.resource-group", "rg-east",
                "elb.kube.config", "/tmp/kubeconfig",
                "elb.kube.namespace", "elb",
                "elb.leader.lease", "elb-warmkeeper"));
        for (int i = 0; i < extra.length; i += 2) {
            m.put(extra[i], extra[i + 1]);
        }
        return m;
    }

    private static RunSettings.LeasePlacement placement(Optional<InCluster> here, String... extra) {
        return RunSettings.from(RunConfig.of(twoClusters(extra)), here)
                .leasePlacement()
                .orElseThrow();
    }

    private static String clusterOf(RunSettings.LeasePlacement p) {
        RunSettings.Cluster c = p.cluster();
        return c == null ? "<own>" : c.name();
    }

    @Test
    void outside_a_pod_the_lease_is_on_the_first_managed_cluster_in_the_kube_namespace() {
        RunSettings.LeasePlacement p = placement(Optional.empty());

        assertThat(clusterOf(p)).isEqualTo("elb-cluster");
        assertThat(p.namespace()).isEqualTo("elb");
        assertThat(p.where()).isEqualTo("on elb-cluster");
    }

    @Test
    void in_a_pod_the_lease_is_in_the_runners_own_cluster_and_namespace() {
        RunSettings.LeasePlacement p = placement(IN_POD);

        assertThat(p.cluster()).isNull();
        assertThat(p.namespace()).isEqualTo("elb-system");
        assertThat(p.where()).isEqualTo("in the runner's own cluster (in-cluster)");
    }

    @Test
    void the_configured_cluster_and_namespace_win_in_a_pod_too() {
        RunSettings.LeasePlacement p =
                placement(IN_POD, "elb.leader.cluster", "elb-east", "elb.leader.namespace", "elb-ops");

        assertThat(clusterOf(p)).isEqualTo("elb-east");
        assertThat(p.namespace()).isEqualTo("elb-ops");
        assertThat(clusterOf(placement(IN_POD, "elb.leader.cluster", "elb-east")))
                .isEqualTo("elb-east");
        assertThat(placement(IN_POD, "elb.leader.cluster", "elb-east").namespace())
                .as("a managed cluster's Lease defaults to elb.kube.namespace")
                .isEqualTo("elb");
        assertThat(placement(IN_POD, "elb.leader.namespace", "elb-ops").namespace())
                .isEqualTo("elb-ops");
    }

    @Test
    void a_leader_cluster_that_is_not_configured_is_rejected_naming_the_key_and_the_choices() {
        assertThatThrownBy(() -> placement(IN_POD, "elb.leader.cluster", "elb-west"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("'elb.leader.cluster' must name one of 'elb.clusters' (elb-cluster, elb-east),"
                        + " but was 'elb-west'");
    }

    @Test
    void in_a_pod_a_lease_needs_no_managed_cluster() {
        Map<String, String> m = Map.of("elb.kube.config", "/tmp/kubeconfig", "elb.leader.lease", "elb-warmkeeper");

        assertThat(RunSettings.from(RunConfig.of(m), IN_POD).leasePlacement())
                .get()
                .extracting(RunSettings.LeasePlacement::namespace)
                .isEqualTo("elb-system");
        assertThatThrownBy(() -> RunSettings.from(RunConfig.of(m), Optional.empty()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("'elb.leader.lease' needs a cluster to hold the Lease: set 'elb.clusters'");
    }

    @Test
    void the_pod_is_detected_from_the_service_host_and_the_namespace_file(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("namespace");
        Map<String, String> pod = Map.of(InCluster.SERVICE_HOST, "10.0.0.1");

        assertThat(InCluster.detect(pod, file)).as("no namespace file").isEmpty();
        Files.writeString(file, "elb-system\n");
        assertThat(InCluster.detect(pod, file)).contains(new InCluster("elb-system"));
        assertThat(InCluster.detect(Map.of(), file))
                .as("no KUBERNETES_SERVICE_HOST")
                .isEmpty();
        assertThat(InCluster.detect(Map.of(InCluster.SERVICE_HOST, " "), file)).isEmpty();
        Files.writeString(file, "Not A Namespace");
        assertThat(InCluster.detect(pod, file)).isEmpty();
        assertThat(InCluster.detect(Map.of(), InCluster.SERVICE_ACCOUNT_NAMESPACE))
                .isEmpty();
    }

    @Test
    void the_runners_commands_read_the_environment_and_namespace_file_they_are_given(@TempDir Path dir)
            throws Exception {
        Path file = dir.resolve("namespace");
        Files.writeString(file, "elb-system");
        Path config = dir.resolve("elb.properties");
        // a Lease and no managed cluster: valid only in a Pod
        Files.writeString(config, "elb.kube.config=/tmp/kubeconfig\nelb.leader.lease=elb-warmkeeper\n");

        assertThat(settingsVia(Map.of(InCluster.SERVICE_HOST, "10.0.0.1"), file, config)
                        .leasePlacement())
                .get()
                .extracting(RunSettings.LeasePlacement::namespace)
                .isEqualTo("elb-system");
        assertThatThrownBy(() -> settingsVia(Map.of(), file, config))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("'elb.leader.lease' needs a cluster");
    }

    private static RunSettings settingsVia(Map<String, String> env, Path namespaceFile, Path config) {
        Runner runner = new Runner(env, false, namespaceFile);
        CommandLine cli = new CommandLine(runner);
        cli.setOut(new PrintWriter(new StringWriter()));
        cli.parseArgs("recent-failures", "--config", config.toString());
        return ((ConfiguredCommand) cli.getSubcommands().get("recent-failures").getCommand()).settings();
    }
}
