package org.elb.warmkeeper.runner;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Stream;
import org.elb.warmkeeper.testservers.TestKubernetes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Kubernetes manifests under {@code deploy/kubernetes} parse, apply to Fabric8's mock API server,
 * and say what the runner needs: 2 replicas probed on {@code /healthz} and {@code /readyz}, a
 * disruption budget over them, Workload Identity, RBAC limited to what the runner calls, and a
 * configuration every key of which the runner reads.
 */
class DeployManifestsTest {

    private static final Path DIR = Path.of("..", "deploy", "kubernetes");

    private TestKubernetes kube;
    /** What {@code kubectl apply -k} applies: the files the kustomization lists. */
    private final List<HasMetadata> items = new ArrayList<>();
    /** The examples beside them ({@code *.example.yaml}), which it must never apply. */
    private final List<HasMetadata> examples = new ArrayList<>();

    @BeforeEach
    void load() throws IOException {
        kube = TestKubernetes.start();
        List<Path> files;
        try (Stream<Path> s = Files.list(DIR)) {
            files = s.filter(p -> p.toString().endsWith(".yaml"))
                    .filter(p -> !p.getFileName().toString().equals("kustomization.yaml"))
                    .sorted()
                    .toList();
        }
        assertThat(files).hasSizeGreaterThanOrEqualTo(9);
        String kustomization = Files.readString(DIR.resolve("kustomization.yaml"));
        for (Path f : files) {
            String name = f.getFileName().toString();
            boolean example = name.endsWith(".example.yaml");
            assertThat(kustomization.contains("- " + name))
                    .as("kustomization lists %s (examples are never listed)", name)
                    .isEqualTo(!example);
            try (InputStream in = Files.newInputStream(f)) {
                (example ? examples : items).addAll(kube.admin().load(in).items());
            }
        }
    }

    @AfterEach
    void stop() {
        kube.close();
    }

    private <T extends HasMetadata> List<T> all(Class<T> type) {
        return items.stream().filter(type::isInstance).map(type::cast).toList();
    }

    private <T extends HasMetadata> T one(Class<T> type) {
        return one(items, type);
    }

    private static <T extends HasMetadata> T one(List<HasMetadata> from, Class<T> type) {
        List<T> found = from.stream().filter(type::isInstance).map(type::cast).toList();
        assertThat(found).as(type.getSimpleName()).hasSize(1);
        return found.get(0);
    }

    @Test
    void every_manifest_applies_to_the_api_server() {
        for (HasMetadata item : items) {
            HasMetadata created = kube.admin().resource(item).create();
            assertThat(created.getMetadata().getName())
                    .isEqualTo(item.getMetadata().getName());
        }
        Deployment stored = kube.admin()
                .apps()
                .deployments()
                .inNamespace("elb")
                .withName("elb-runner")
                .get();
        assertThat(stored.getSpec().getReplicas()).isEqualTo(2);
        assertThat(kube.admin()
                        .policy()
                        .v1()
                        .podDisruptionBudget()
                        .inNamespace("elb")
                        .list()
                        .getItems())
                .hasSize(1);
    }

    @Test
    void the_deployment_runs_two_probed_replicas_under_a_budget_with_workload_identity() {
        Deployment d = one(Deployment.class);
        assertThat(d.getSpec().getReplicas()).isEqualTo(2);
        Map<String, String> podLabels = d.getSpec().getTemplate().getMetadata().getLabels();
        assertThat(podLabels).containsEntry("azure.workload.identity/use", "true");
        assertThat(podLabels).containsAllEntriesOf(d.getSpec().getSelector().getMatchLabels());
        Container c = d.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(c.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
        assertThat(c.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
        assertThat(c.getPorts().get(0).getContainerPort()).isEqualTo(8080);
        assertThat(c.getArgs()).contains("run", "--config", "/etc/elb/elb.properties");

        PodDisruptionBudget pdb = one(PodDisruptionBudget.class);
        assertThat(podLabels).containsAllEntriesOf(pdb.getSpec().getSelector().getMatchLabels());
        assertThat(pdb.getSpec().getMinAvailable().getIntVal()).isBetween(1, 1);

        ServiceAccount sa = one(ServiceAccount.class);
        assertThat(d.getSpec().getTemplate().getSpec().getServiceAccountName())
                .isEqualTo(sa.getMetadata().getName());
        assertThat(sa.getMetadata().getAnnotations()).containsKey("azure.workload.identity/client-id");
    }

    @Test
    void rbac_grants_only_what_the_runner_calls_and_never_a_wildcard() {
        Set<String> namespaced = Set.of("pods", "batch/jobs", "coordination.k8s.io/leases");
        Set<String> granted = new java.util.HashSet<>();
        for (Role r : all(Role.class)) {
            for (PolicyRule rule : r.getRules()) {
                assertThat(rule.getVerbs()).doesNotContain("*").isNotEmpty();
                assertThat(rule.getVerbs()).isSubsetOf("get", "list", "watch", "create", "update", "delete");
                for (String group : rule.getApiGroups()) {
                    for (String res : rule.getResources()) {
                        String what = group.isEmpty() ? res : group + "/" + res;
                        granted.add(what);
                        if (what.equals("coordination.k8s.io/leases")
                                && !rule.getVerbs().equals(List.of("create"))) {
                            // Only create cannot be scoped by name; reading and renewing are for our Lease alone.
                            assertThat(rule.getResourceNames())
                                    .as("lease verbs %s are scoped by resourceNames", rule.getVerbs())
                                    .containsExactly("elb-warmkeeper");
                        }
                    }
                }
            }
        }
        assertThat(granted)
                .as("no services/proxy: the runner reads versions from URLs")
                .containsExactlyInAnyOrderElementsOf(namespaced);
        ClusterRole nodes = one(ClusterRole.class);
        assertThat(nodes.getRules()).hasSize(1);
        assertThat(nodes.getRules().get(0).getResources()).containsExactly("nodes");
        assertThat(nodes.getRules().get(0).getVerbs()).containsExactly("get", "list", "watch");
    }

    @Test
    void every_configured_key_is_one_the_runner_reads_and_secrets_come_from_the_secret() throws IOException {
        ConfigMap cm = one(ConfigMap.class);
        Properties p = new Properties();
        p.load(new StringReader(cm.getData().get("elb.properties")));
        Map<String, String> values = new HashMap<>();
        p.stringPropertyNames().forEach(k -> values.put(k, p.getProperty(k).strip()));
        assertThat(values).doesNotContainKeys("elb.jdbc.password", "elb.redis.url");

        assertThat(all(Secret.class))
                .as("apply -k never overwrites the real Secret")
                .isEmpty();
        Secret secret = one(examples, Secret.class);
        Map<String, String> env = new HashMap<>(secret.getStringData());
        for (String name : env.keySet()) {
            assertThat(RunConfig.KNOWN.stream().map(RunConfig::envName))
                    .as("secret key %s is the environment name of a runner key", name)
                    .contains(name);
        }
        Path file = Files.createTempFile("elb", ".properties");
        try {
            Files.writeString(file, cm.getData().get("elb.properties"));
            RunConfig config = RunConfig.load(file, env);
            RunSettings settings = RunSettings.from(config);
            assertThat(config.unread()).as("keys the runner does not read").isEmpty();
            assertThat(settings.httpHost).isEqualTo("0.0.0.0");
            assertThat(settings.identity)
                    .as("shipped callers prove who they are")
                    .isEqualTo(RunSettings.IdentityMode.JWT);
            assertThat(settings.redisUrl).startsWith("rediss://");
        } finally {
            Files.delete(file);
        }
    }

    @Test
    void a_network_policy_admits_only_the_gateway_and_the_metrics_scraper() {
        io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy np =
                one(io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy.class);
        Deployment d = one(Deployment.class);
        assertThat(d.getSpec().getTemplate().getMetadata().getLabels())
                .containsAllEntriesOf(np.getSpec().getPodSelector().getMatchLabels());
        assertThat(np.getSpec().getPolicyTypes()).contains("Ingress");
        assertThat(np.getSpec().getIngress()).isNotEmpty().allSatisfy(rule -> {
            assertThat(rule.getFrom()).as("no rule open to every peer").isNotEmpty();
            assertThat(rule.getFrom()).allSatisfy(peer -> {
                assertThat(peer.getIpBlock()).isNull();
                assertThat(peer.getNamespaceSelector().getMatchLabels()).isNotEmpty();
                assertThat(peer.getPodSelector().getMatchLabels()).isNotEmpty();
            });
            assertThat(rule.getPorts())
                    .singleElement()
                    .satisfies(p -> assertThat(p.getPort().getStrVal()).isEqualTo("http"));
        });
        assertThat(np.getSpec().getIngress().stream()
                        .flatMap(r -> r.getFrom().stream())
                        .map(p -> p.getPodSelector().getMatchLabels().get("app.kubernetes.io/name")))
                .containsExactlyInAnyOrder("elb-gateway", "prometheus");
    }
}
