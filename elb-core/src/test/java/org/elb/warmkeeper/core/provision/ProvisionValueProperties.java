package org.elb.warmkeeper.core.provision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.elb.warmkeeper.core.cluster.NameRules.assertRejected;

import java.util.HashMap;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.elb.warmkeeper.core.cluster.ClusterRef;
import org.elb.warmkeeper.core.cluster.NameRules;
import org.elb.warmkeeper.core.cluster.ValidNames;

/** TaskId, JobId and ProvisionRequest: accepted iff valid, rejections name field and rule, payload round trip. */
class ProvisionValueProperties {

    static final ClusterRef CLUSTER = ClusterRef.of("0f1e2d3c-4b5a-6978-8695-a4b3c2d1e0f9", "rg-elb", "elb-aks-1");

    @Provide
    Arbitrary<String> taskIdLike() {
        return Arbitraries.oneOf(
                ValidNames.printableTokens(200),
                Arbitraries.strings().all().ofMaxLength(205),
                Arbitraries.strings().withCharRange('!', '~').ofLength(201));
    }

    @Property
    void task_id_is_accepted_iff_printable_ascii_without_whitespace(@ForAll("taskIdLike") String id) {
        if (NameRules.isPrintableToken(id, 200)) {
            assertThat(TaskId.of(id).toString()).isEqualTo(id);
        } else {
            assertRejected(() -> TaskId.of(id), "taskId", "1-200 printable ASCII characters without whitespace");
        }
    }

    @Property
    void job_id_parses_uuids_and_names_the_field_otherwise(@ForAll("jobIdLike") String s) {
        boolean uuid = s.matches("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
        if (uuid) {
            assertThat(JobId.parse(s).value()).isEqualTo(java.util.UUID.fromString(s));
        } else {
            assertRejected(() -> JobId.parse(s), "jobId", "must be a UUID");
        }
    }

    @Provide
    Arbitrary<String> jobIdLike() {
        return Arbitraries.oneOf(ValidNames.subscriptionIds(), NameRules.nameLike(40), Arbitraries.of("", "1-2-3-4-5"));
    }

    @Provide
    Arbitrary<String> regionLike() {
        return Arbitraries.oneOf(
                Arbitraries.strings().withChars("abkz019").ofMinLength(1).ofMaxLength(40),
                NameRules.nameLike(44),
                Arbitraries.of("koreacentral", "eastus2", "Korea Central", "west-europe"));
    }

    @Property
    void region_is_an_azure_location_name(@ForAll("regionLike") String region) {
        boolean ok = region.length() >= 1
                && region.length() <= 40
                && region.chars().allMatch(c -> (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'));
        if (ok) {
            assertThat(new ProvisionRequest(CLUSTER, region, "Standard_E32s_v5", 3, null).region())
                    .isEqualTo(region);
        } else {
            assertRejected(
                    () -> new ProvisionRequest(CLUSTER, region, "Standard_E32s_v5", 3, null),
                    "region",
                    "an Azure location name: 1-40 lower-case letters and digits");
        }
    }

    @Property
    void vm_size_is_letters_digits_and_underscore(@ForAll("vmSizeLike") String vmSize) {
        boolean ok = vmSize.length() >= 1 && vmSize.length() <= 64 && NameRules.allOf(vmSize, "_");
        if (ok) {
            assertThat(new ProvisionRequest(CLUSTER, "koreacentral", vmSize, 3, null).vmSize())
                    .isEqualTo(vmSize);
        } else {
            assertRejected(
                    () -> new ProvisionRequest(CLUSTER, "koreacentral", vmSize, 3, null),
                    "vmSize",
                    "1-64 letters, digits and '_'");
        }
    }

    @Provide
    Arbitrary<String> vmSizeLike() {
        return Arbitraries.oneOf(
                NameRules.nameLike(70), Arbitraries.of("Standard_E32s_v5", "Standard_D4s_v3", "Standard D4"));
    }

    @Property
    void node_count_is_between_1_and_1000(@ForAll @IntRange(min = -5, max = 1010) int nodes) {
        if (nodes >= 1 && nodes <= 1000) {
            assertThat(new ProvisionRequest(CLUSTER, "koreacentral", "Standard_E32s_v5", nodes, null).nodeCount())
                    .isEqualTo(nodes);
        } else {
            assertRejected(
                    () -> new ProvisionRequest(CLUSTER, "koreacentral", "Standard_E32s_v5", nodes, null),
                    "nodeCount",
                    "must be between 1 and 1000");
        }
    }

    @Property
    void kubernetes_version_is_optional_major_minor_patch(@ForAll("k8sLike") String version) {
        boolean ok = version.matches("\\d{1,3}\\.\\d{1,3}(\\.\\d{1,3})?");
        if (ok) {
            assertThat(new ProvisionRequest(CLUSTER, "koreacentral", "Standard_E32s_v5", 3, version)
                            .kubernetesVersion())
                    .isEqualTo(version);
        } else {
            assertRejected(
                    () -> new ProvisionRequest(CLUSTER, "koreacentral", "Standard_E32s_v5", 3, version),
                    "kubernetesVersion",
                    "MAJOR.MINOR or MAJOR.MINOR.PATCH");
        }
    }

    @Provide
    Arbitrary<String> k8sLike() {
        return Arbitraries.oneOf(
                Arbitraries.strings().withChars("0123456789.").ofMinLength(0).ofMaxLength(12),
                Arbitraries.of("1.33", "1.33.2", "v1.33", "1.33.2.1", "1..3", "latest"));
    }

    @Provide
    Arbitrary<ProvisionRequest> requests() {
        Arbitrary<String> regions = Arbitraries.strings()
                .withChars("abcdefghijklmnopqrstuvwxyz0123456789")
                .ofMinLength(1)
                .ofMaxLength(40);
        Arbitrary<String> sizes = Arbitraries.strings()
                .withChars("ABCDEFstandard_0123456789")
                .ofMinLength(1)
                .ofMaxLength(64);
        Arbitrary<String> k8s = Arbitraries.of("1.33", "1.33.2", "1.30.10").injectNull(0.3);
        return Combinators.combine(
                        ValidNames.clusterRefs(),
                        regions,
                        sizes,
                        Arbitraries.integers().between(1, 1000),
                        k8s)
                .as(ProvisionRequest::new);
    }

    @Property
    void payload_round_trips_and_uses_the_dashboard_keys(@ForAll("requests") ProvisionRequest request) {
        Map<String, String> payload = request.toPayload();
        assertThat(ProvisionRequest.fromPayload(payload)).isEqualTo(request);
        assertThat(payload)
                .containsEntry("subscription_id", request.cluster().subscriptionId())
                .containsEntry("resource_group", request.cluster().resourceGroup())
                .containsEntry("cluster_name", request.cluster().clusterName())
                .containsEntry("region", request.region())
                .containsEntry("vm_size", request.vmSize())
                .containsEntry("node_count", Integer.toString(request.nodeCount()));
        assertThat(payload.containsKey("kubernetes_version")).isEqualTo(request.kubernetesVersion() != null);
    }

    @Property(tries = 200)
    void a_payload_missing_a_key_is_rejected_naming_the_key(
            @ForAll("requests") ProvisionRequest request, @ForAll("requiredKeys") String key) {
        Map<String, String> payload = new HashMap<>(request.toPayload());
        payload.remove(key);
        assertRejected(() -> ProvisionRequest.fromPayload(payload), key, "is required");
    }

    @Provide
    Arbitrary<String> requiredKeys() {
        return Arbitraries.of("subscription_id", "resource_group", "cluster_name", "region", "vm_size", "node_count");
    }

    @Example
    void a_non_numeric_node_count_in_a_payload_names_the_key() {
        Map<String, String> payload =
                new HashMap<>(new ProvisionRequest(CLUSTER, "koreacentral", "Standard_E32s_v5", 3, null).toPayload());
        payload.put("node_count", "three");
        assertThatThrownBy(() -> ProvisionRequest.fromPayload(payload))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'node_count' must be an integer, but was 'three'");
        assertRejected(
                () -> new ProvisionRequest(null, "koreacentral", "Standard_E32s_v5", 3, null),
                "cluster",
                "is required");
    }
}
