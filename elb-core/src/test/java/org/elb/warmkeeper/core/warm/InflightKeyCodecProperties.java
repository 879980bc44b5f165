package org.elb.warmkeeper.core.warm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.elb.warmkeeper.core.cluster.ClusterRef;
import org.elb.warmkeeper.core.cluster.DatabaseName;
import org.elb.warmkeeper.core.cluster.ValidNames;

/**
 * The lock key {@code autowarmup:inflight:<sub>:<rg>:<cluster>:<db>}: the seed's format, injective over
 * every valid key, decoded back exactly, and malformed strings decode to empty.
 */
class InflightKeyCodecProperties {

    @Provide
    Arbitrary<InflightKey> keys() {
        return Combinators.combine(ValidNames.clusterRefs(), ValidNames.databases())
                .as(InflightKey::new);
    }

    /**
     * Keys from tiny alphabets so that equal components and near misses (a character moved across a
     * component boundary, a case change) are frequent.
     */
    @Provide
    Arbitrary<InflightKey> crowdedKeys() {
        Arbitrary<String> sub = Arbitraries.of(
                "00000000-0000-0000-0000-000000000000",
                "00000000-0000-0000-0000-00000000000A",
                "00000000-0000-0000-0000-00000000000a");
        Arbitrary<String> rg = Arbitraries.strings()
                .withChars("aA-.")
                .ofMinLength(0)
                .ofMaxLength(2)
                .map(s -> s + "a");
        Arbitrary<String> cluster = Arbitraries.strings()
                .withChars("aA-")
                .ofMinLength(0)
                .ofMaxLength(1)
                .map(s -> "a" + s + "a");
        Arbitrary<String> db = Arbitraries.strings()
                .withChars("aA.-")
                .ofMinLength(0)
                .ofMaxLength(2)
                .map(s -> "a" + s);
        return Combinators.combine(sub, rg, cluster, db)
                .as((s, r, c, d) -> new InflightKey(ClusterRef.of(s, r, c), DatabaseName.of(d)));
    }

    @Property
    void the_format_is_the_seeds(@ForAll("keys") InflightKey key) {
        ClusterRef c = key.cluster();
        assertThat(InflightKeyCodec.encode(key))
                .isEqualTo("autowarmup:inflight:" + c.subscriptionId() + ":" + c.resourceGroup() + ":" + c.clusterName()
                        + ":" + key.database().value());
        assertThat(key.encode()).isEqualTo(InflightKeyCodec.encode(key));
    }

    @Property
    void decode_inverts_encode(@ForAll("keys") InflightKey key) {
        assertThat(InflightKeyCodec.decode(InflightKeyCodec.encode(key))).contains(key);
    }

    @Property
    void distinct_keys_never_share_an_encoding(
            @ForAll("crowdedKeys") InflightKey a, @ForAll("crowdedKeys") InflightKey b) {
        assertThat(InflightKeyCodec.encode(a).equals(InflightKeyCodec.encode(b)))
                .isEqualTo(a.equals(b));
    }

    @Property
    void distinct_random_keys_never_share_an_encoding(@ForAll("keys") InflightKey a, @ForAll("keys") InflightKey b) {
        assertThat(InflightKeyCodec.encode(a).equals(InflightKeyCodec.encode(b)))
                .isEqualTo(a.equals(b));
    }

    @Property
    void a_string_decodes_only_to_the_key_that_encodes_to_it(@ForAll("keyLikeStrings") String s) {
        Optional<InflightKey> decoded = InflightKeyCodec.decode(s);
        decoded.ifPresent(k -> assertThat(InflightKeyCodec.encode(k)).isEqualTo(s));
    }

    @Provide
    Arbitrary<String> keyLikeStrings() {
        Arbitrary<String> parts =
                Arbitraries.strings().withChars("autowarmup:inflight0-9aA._").ofMaxLength(60);
        return Arbitraries.oneOf(
                parts,
                parts.map(p -> InflightKeyCodec.PREFIX + p),
                keys().map(InflightKeyCodec::encode),
                Arbitraries.strings().all().ofMaxLength(80));
    }

    /** Ways to break a well-formed key, each of which must decode to empty. */
    enum Damage {
        NO_PREFIX,
        OTHER_PREFIX,
        EXTRA_PART,
        MISSING_DB,
        EMPTY_DB,
        EMPTY_GROUP,
        BAD_SUBSCRIPTION,
        SPACE_IN_DB,
        UPPER_PREFIX,
        TRAILING_COLON
    }

    @Property
    void malformed_strings_are_rejected(@ForAll("keys") InflightKey key, @ForAll Damage damage) {
        String ok = InflightKeyCodec.encode(key);
        ClusterRef c = key.cluster();
        String db = key.database().value();
        String bad = switch (damage) {
            case NO_PREFIX -> ok.substring(InflightKeyCodec.PREFIX.length());
            case OTHER_PREFIX -> "autowarmup:done:" + ok.substring(InflightKeyCodec.PREFIX.length());
            case EXTRA_PART -> ok + ":extra";
            case MISSING_DB ->
                InflightKeyCodec.PREFIX + c.subscriptionId() + ":" + c.resourceGroup() + ":" + c.clusterName();
            case EMPTY_DB ->
                InflightKeyCodec.PREFIX + c.subscriptionId() + ":" + c.resourceGroup() + ":" + c.clusterName() + ":";
            case EMPTY_GROUP -> InflightKeyCodec.PREFIX + c.subscriptionId() + "::" + c.clusterName() + ":" + db;
            case BAD_SUBSCRIPTION ->
                InflightKeyCodec.PREFIX + "not-a-guid:" + c.resourceGroup() + ":" + c.clusterName() + ":" + db;
            case SPACE_IN_DB -> ok + " ";
            case UPPER_PREFIX -> "AUTOWARMUP:INFLIGHT:" + ok.substring(InflightKeyCodec.PREFIX.length());
            case TRAILING_COLON -> ok + ":";
        };
        assertThat(InflightKeyCodec.decode(bad)).as(bad).isEmpty();
    }

    @Example
    void the_seed_key_for_core_nt() {
        InflightKey key = new InflightKey(
                ClusterRef.of("0f1e2d3c-4b5a-6978-8695-a4b3c2d1e0f9", "rg-elb", "elb-aks-1"),
                DatabaseName.of("core_nt"));
        assertThat(key.encode())
                .isEqualTo("autowarmup:inflight:0f1e2d3c-4b5a-6978-8695-a4b3c2d1e0f9:rg-elb:elb-aks-1:core_nt");
    }
}
