package org.elb.warmkeeper.core.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.elb.warmkeeper.core.cluster.NameRules.assertRejected;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * ClusterRef, DatabaseName and OwnerId accept exactly the strings their rule allows; a rejection is an
 * IllegalArgumentException whose message names the field and states the rule. Each rule is written
 * here again in plain Java (the oracle), independent of the production regex.
 */
class ClusterValueProperties {

    static final String GUID = "0f1e2d3c-4b5a-6978-8695-a4b3c2d1e0f9";

    // ---- oracles: the naming rules in plain words -------------------------------------------------

    static boolean isGuid(String s) {
        if (s.length() != 36) {
            return false;
        }
        for (int i = 0; i < 36; i++) {
            char c = s.charAt(i);
            boolean dash = i == 8 || i == 13 || i == 18 || i == 23;
            if (dash ? c != '-' : Character.digit(c, 16) < 0 || c > 'f') {
                return false;
            }
        }
        return true;
    }

    static boolean isResourceGroup(String s) {
        return s.length() >= 1 && s.length() <= 90 && NameRules.allOf(s, "_.()-") && !s.endsWith(".");
    }

    static boolean isClusterName(String s) {
        return s.length() >= 1
                && s.length() <= 63
                && NameRules.allOf(s, "_-")
                && NameRules.isAsciiAlnum(s.charAt(0))
                && NameRules.isAsciiAlnum(s.charAt(s.length() - 1));
    }

    static boolean isDatabaseName(String s) {
        return s.length() >= 1 && s.length() <= 100 && NameRules.allOf(s, "_.-") && NameRules.isAsciiAlnum(s.charAt(0));
    }

    // ---- generators -------------------------------------------------------------------------------

    @Provide
    Arbitrary<String> subscriptionLike() {
        Arbitrary<String> mutated = ValidNames.subscriptionIds()
                .flatMap(g -> Arbitraries.integers()
                        .between(0, 35)
                        .flatMap(i -> Arbitraries.of('g', 'G', ':', '-', '0', ' ', 'x')
                                .map(c -> g.substring(0, i) + c + g.substring(i + 1))));
        return Arbitraries.oneOf(
                ValidNames.subscriptionIds(),
                mutated,
                NameRules.nameLike(40),
                ValidNames.subscriptionIds().map(g -> g.replace("-", "")),
                ValidNames.subscriptionIds().map(g -> "{" + g + "}"));
    }

    @Provide
    Arbitrary<String> resourceGroupLike() {
        return Arbitraries.oneOf(
                ValidNames.resourceGroups(),
                NameRules.nameLike(95),
                ValidNames.resourceGroups().map(s -> s + "."));
    }

    @Provide
    Arbitrary<String> clusterNameLike() {
        return Arbitraries.oneOf(
                ValidNames.clusterNames(),
                NameRules.nameLike(66),
                ValidNames.clusterNames().map(s -> "-" + s),
                ValidNames.clusterNames().map(s -> s + "_"));
    }

    @Provide
    Arbitrary<String> databaseNameLike() {
        return Arbitraries.oneOf(
                ValidNames.databaseNames(),
                NameRules.nameLike(105),
                ValidNames.databaseNames().map(s -> "." + s),
                ValidNames.databaseNames().map(s -> s + ":x"));
    }

    @Provide
    Arbitrary<String> ownerLike() {
        return Arbitraries.oneOf(
                ValidNames.printableTokens(128),
                Arbitraries.strings().all().ofMinLength(0).ofMaxLength(132),
                ValidNames.printableTokens(10).map(s -> s + " " + s),
                Arbitraries.strings().withCharRange('!', '~').ofLength(129));
    }

    // ---- properties -------------------------------------------------------------------------------

    @Property
    void subscription_id_is_accepted_iff_it_is_a_guid(@ForAll("subscriptionLike") String sub) {
        if (isGuid(sub)) {
            assertThat(new ClusterRef(sub, "rg", "c1").subscriptionId()).isEqualTo(sub);
        } else {
            assertRejected(
                    () -> new ClusterRef(sub, "rg", "c1"), "subscriptionId", "must be a GUID (8-4-4-4-12 hex digits)");
        }
    }

    @Property
    void resource_group_is_accepted_iff_azure_allows_it(@ForAll("resourceGroupLike") String rg) {
        if (isResourceGroup(rg)) {
            assertThat(new ClusterRef(GUID, rg, "c1").resourceGroup()).isEqualTo(rg);
        } else {
            assertRejected(() -> new ClusterRef(GUID, rg, "c1"), "resourceGroup", "1-90 characters");
        }
    }

    @Property
    void cluster_name_is_accepted_iff_azure_allows_it(@ForAll("clusterNameLike") String name) {
        if (isClusterName(name)) {
            assertThat(new ClusterRef(GUID, "rg", name).clusterName()).isEqualTo(name);
        } else {
            assertRejected(() -> new ClusterRef(GUID, "rg", name), "clusterName", "1-63 characters");
        }
    }

    @Property
    void database_name_is_accepted_iff_it_follows_the_documented_rule(@ForAll("databaseNameLike") String name) {
        if (isDatabaseName(name)) {
            assertThat(DatabaseName.of(name).value()).isEqualTo(name);
            assertThat(DatabaseName.of(name).toString()).isEqualTo(name);
        } else {
            assertRejected(() -> DatabaseName.of(name), "databaseName", DatabaseName.RULE);
        }
    }

    @Property
    void owner_id_is_accepted_iff_printable_ascii_without_whitespace(@ForAll("ownerLike") String owner) {
        if (NameRules.isPrintableToken(owner, 128)) {
            assertThat(OwnerId.of(owner).value()).isEqualTo(owner);
        } else {
            assertRejected(() -> OwnerId.of(owner), "ownerId", "1-128 printable ASCII characters without whitespace");
        }
    }

    @Property
    void valid_refs_are_kept_as_given_and_name_their_arm_resource(
            @ForAll("validSubscription") String sub,
            @ForAll("validGroup") String rg,
            @ForAll("validCluster") String name) {
        ClusterRef ref = ClusterRef.of(sub, rg, name);
        assertThat(ref).isEqualTo(new ClusterRef(sub, rg, name));
        assertThat(ref.resourceId())
                .isEqualTo("/subscriptions/" + sub + "/resourceGroups/" + rg
                        + "/providers/Microsoft.ContainerService/managedClusters/" + name);
        assertThat(ref.display()).isEqualTo(sub + "/" + rg + "/" + name);
    }

    @Provide
    Arbitrary<String> validSubscription() {
        return ValidNames.subscriptionIds();
    }

    @Provide
    Arbitrary<String> validGroup() {
        return ValidNames.resourceGroups();
    }

    @Provide
    Arbitrary<String> validCluster() {
        return ValidNames.clusterNames();
    }

    @Example
    void null_components_are_rejected_as_required() {
        assertRejected(() -> new ClusterRef(null, "rg", "c"), "subscriptionId", "is required");
        assertRejected(() -> new ClusterRef(GUID, null, "c"), "resourceGroup", "is required");
        assertRejected(() -> new ClusterRef(GUID, "rg", null), "clusterName", "is required");
        assertRejected(() -> new DatabaseName(null), "databaseName", "is required");
        assertRejected(() -> new OwnerId(null), "ownerId", "is required");
    }

    @Example
    void limits_are_exact() {
        assertThat(new ClusterRef(GUID, "r".repeat(90), "c".repeat(63))).isNotNull();
        assertRejected(() -> new ClusterRef(GUID, "r".repeat(91), "c"), "resourceGroup", "1-90 characters");
        assertRejected(() -> new ClusterRef(GUID, "rg", "c".repeat(64)), "clusterName", "1-63 characters");
        assertThat(DatabaseName.of("d".repeat(100))).isNotNull();
        assertRejected(() -> DatabaseName.of("d".repeat(101)), "databaseName", DatabaseName.RULE);
        assertThat(DatabaseName.of("16S_ribosomal_RNA").value()).isEqualTo("16S_ribosomal_RNA");
        assertThat(DatabaseName.of("core_nt")).isEqualTo(DatabaseName.of("core_nt"));
    }

    @Example
    void a_rejected_value_is_shown_printable_and_shortened() {
        assertThatThrownBy(() -> DatabaseName.of("bad\nname"))
                .hasMessage("'databaseName' must be " + DatabaseName.RULE + ", but was 'bad?name'");
        assertThatThrownBy(() -> DatabaseName.of("x".repeat(100) + ":")).hasMessageEndingWith("…'");
    }
}
