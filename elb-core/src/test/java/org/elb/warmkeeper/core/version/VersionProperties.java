package org.elb.warmkeeper.core.version;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * The version comparator and the pure gate: normalisation (trim, a leading v/V, trailing
 * .0 parts), a total order that agrees with equals, pre-releases before their release, and decisions
 * that never offer an update between equal versions.
 */
class VersionProperties {

    /** A version before rendering: numeric parts and pre-release identifiers. */
    record Spec(List<BigInteger> numbers, List<String> preRelease) {
        String plain() {
            return numbers.stream().map(BigInteger::toString).collect(Collectors.joining("."))
                    + (preRelease.isEmpty() ? "" : "-" + String.join(".", preRelease));
        }

        /** The same version spelled differently. */
        String render(String prefix, int extraZeros, String leading, String trailing, boolean build) {
            return leading
                    + prefix
                    + numbers.stream().map(BigInteger::toString).collect(Collectors.joining("."))
                    + ".0".repeat(extraZeros)
                    + (preRelease.isEmpty() ? "" : "-" + String.join(".", preRelease))
                    + (build ? "+build.7" : "")
                    + trailing;
        }

        Version version() {
            return Version.parse(plain()).orElseThrow();
        }
    }

    /** Small numbers and a small pre-release pool, so that equal and adjacent versions are frequent. */
    @Provide
    Arbitrary<Spec> specs() {
        Arbitrary<List<BigInteger>> numbers = Arbitraries.integers()
                .between(0, 3)
                .map(BigInteger::valueOf)
                .list()
                .ofMinSize(1)
                .ofMaxSize(4);
        Arbitrary<List<String>> pre = Arbitraries.of("rc", "alpha", "beta", "1", "2", "10", "01", "rc-1", "0")
                .list()
                .ofMinSize(0)
                .ofMaxSize(2);
        Arbitrary<List<String>> maybePre = Arbitraries.oneOf(Arbitraries.just(List.of()), pre);
        return Combinators.combine(numbers, maybePre).as(Spec::new);
    }

    /** Wide numbers (beyond long), for the numeric comparison. */
    @Provide
    Arbitrary<Spec> wideSpecs() {
        Arbitrary<List<BigInteger>> numbers = Arbitraries.bigIntegers()
                .between(BigInteger.ZERO, new BigInteger("9".repeat(30)))
                .list()
                .ofMinSize(1)
                .ofMaxSize(5);
        Arbitrary<List<String>> pre = Arbitraries.strings()
                .withChars("abc123-")
                .ofMinLength(1)
                .ofMaxLength(4)
                .list()
                .ofMaxSize(3);
        return Combinators.combine(numbers, pre).as(Spec::new);
    }

    @Provide
    Arbitrary<String> spaces() {
        return Arbitraries.strings().withChars(" \t\n\r\u2003").ofMaxLength(3);
    }

    @Provide
    Arbitrary<String> prefixes() {
        return Arbitraries.of("", "v", "V");
    }

    /** Tags that are not dotted numeric versions. */
    @Provide
    Arbitrary<String> unparseable() {
        return Arbitraries.oneOf(
                Arbitraries.of(
                        "latest",
                        "stable",
                        "sha-1a2b3c",
                        "main",
                        "4.x",
                        "v",
                        "4..9",
                        ".4.9",
                        "4.9.",
                        "4.9-",
                        "vv4.9",
                        "4.9-rc..1",
                        ""),
                Arbitraries.strings()
                        .withChars("abcdefghijklmnopqrstuwxyz")
                        .ofMinLength(1)
                        .ofMaxLength(8),
                Arbitraries.strings()
                        .withChars("abcxyz")
                        .ofMinLength(1)
                        .ofMaxLength(3)
                        .map(s -> "4.9" + s));
    }

    // ---- normalisation ---------------------------------------------------------------------------

    @Property
    void parsing_ignores_a_v_prefix_trailing_zero_parts_surrounding_whitespace_and_build_metadata(
            @ForAll("wideSpecs") Spec spec,
            @ForAll("prefixes") String prefix,
            @ForAll @IntRange(min = 0, max = 5) int zeros,
            @ForAll("spaces") String leading,
            @ForAll("spaces") String trailing,
            @ForAll boolean build) {
        Version plain = spec.version();
        Optional<Version> spelled = Version.parse(spec.render(prefix, zeros, leading, trailing, build));
        assertThat(spelled).contains(plain);
        assertThat(spelled.get().compareTo(plain)).isZero();
        assertThat(spelled.get().hashCode()).isEqualTo(plain.hashCode());
        assertThat(VersionGate.sameVersion(spec.render(prefix, zeros, leading, trailing, build), spec.plain()))
                .isTrue();
    }

    // ---- the order -------------------------------------------------------------------------------

    @Property
    @SuppressWarnings("SelfComparison") // reflexivity is compareTo on the same object
    void the_order_is_antisymmetric_and_reflexive(@ForAll("specs") Spec a, @ForAll("specs") Spec b) {
        Version va = a.version();
        Version vb = b.version();
        assertThat(Integer.signum(va.compareTo(vb))).isEqualTo(-Integer.signum(vb.compareTo(va)));
        assertThat(va.compareTo(va)).isZero();
    }

    @Property
    void the_order_is_transitive(@ForAll("specs") Spec a, @ForAll("specs") Spec b, @ForAll("specs") Spec c) {
        Version va = a.version();
        Version vb = b.version();
        Version vc = c.version();
        if (va.compareTo(vb) <= 0 && vb.compareTo(vc) <= 0) {
            assertThat(va.compareTo(vc)).isLessThanOrEqualTo(0);
        }
        if (va.compareTo(vb) < 0 && vb.compareTo(vc) <= 0) {
            assertThat(va.compareTo(vc)).isLessThan(0);
        }
    }

    @Property(tries = 300)
    void a_sorted_list_is_ordered_pairwise(@ForAll("specLists") List<Spec> specs) {
        List<Version> sorted = new ArrayList<>(specs.stream().map(Spec::version).toList());
        sorted.sort(null);
        for (int i = 0; i < sorted.size(); i++) {
            for (int j = i + 1; j < sorted.size(); j++) {
                assertThat(sorted.get(i).compareTo(sorted.get(j))).isLessThanOrEqualTo(0);
            }
        }
    }

    @Provide
    Arbitrary<List<Spec>> specLists() {
        return specs().list().ofMinSize(2).ofMaxSize(12);
    }

    @Property
    void equals_and_hash_code_agree_with_the_order(@ForAll("specs") Spec a, @ForAll("specs") Spec b) {
        Version va = a.version();
        Version vb = b.version();
        assertThat(va.equals(vb)).isEqualTo(va.compareTo(vb) == 0);
        if (va.equals(vb)) {
            assertThat(va.hashCode()).isEqualTo(vb.hashCode());
        }
    }

    @Property
    void a_pre_release_sorts_before_its_release(@ForAll("wideSpecs") Spec spec) {
        net.jqwik.api.Assume.that(!spec.preRelease().isEmpty());
        Version pre = spec.version();
        Version release = new Spec(spec.numbers(), List.of()).version();
        assertThat(pre).isLessThan(release);
        assertThat(pre.isPreRelease()).isTrue();
        assertThat(release.isPreRelease()).isFalse();
    }

    @Property
    void numeric_parts_compare_as_numbers(
            @ForAll("wideSpecs") Spec spec, @ForAll @IntRange(min = 0, max = 4) int index) {
        net.jqwik.api.Assume.that(index < spec.numbers().size());
        List<BigInteger> bigger = new ArrayList<>(spec.numbers());
        bigger.set(index, bigger.get(index).add(BigInteger.ONE));
        // a larger part wins whatever follows it and whatever the pre-release
        Spec larger = new Spec(bigger.subList(0, index + 1), List.of("alpha"));
        assertThat(spec.version()).isLessThan(larger.version());
    }

    // ---- direction and the gate ------------------------------------------------------------------

    @Property
    void direction_agrees_with_the_order(
            @ForAll("specs") Spec deployed, @ForAll("specs") Spec pinned, @ForAll("prefixes") String prefix) {
        int c = pinned.version().compareTo(deployed.version());
        Direction d = VersionGate.direction(prefix + deployed.plain(), pinned.plain());
        assertThat(d == Direction.UPGRADE).isEqualTo(c > 0);
        assertThat(d == Direction.DOWNGRADE).isEqualTo(c < 0);
    }

    @Property
    void an_unparseable_side_gives_unordered(@ForAll("unparseable") String tag, @ForAll("specs") Spec other) {
        assertThat(Version.parse(tag)).isEmpty();
        assertThat(VersionGate.direction(tag, other.plain())).isEqualTo(Direction.UNORDERED);
        assertThat(VersionGate.direction(other.plain(), tag)).isEqualTo(Direction.UNORDERED);
    }

    @Property
    void equal_versions_are_up_to_date_and_never_offer_an_update(
            @ForAll("specs") Spec spec,
            @ForAll("prefixes") String reportedPrefix,
            @ForAll("prefixes") String pinnedPrefix,
            @ForAll @IntRange(min = 0, max = 3) int zeros,
            @ForAll("spaces") String space) {
        String reported = spec.render(reportedPrefix, zeros, space, space, false);
        ImageTag pinned = ImageTag.of(spec.render(pinnedPrefix, 0, "", "", false));
        GateDecision decision = VersionGate.decide(DeployedVersion.reported(reported), pinned);
        assertThat(decision).isInstanceOf(GateDecision.UpToDate.class);
        assertThat(decision.offerUpdate()).isFalse();
        assertThat(decision.wireName()).isEqualTo("up_to_date");
    }

    @Property
    void an_update_is_offered_exactly_when_the_versions_differ(
            @ForAll("reportedLike") String reported, @ForAll("pinnedLike") String pinnedTag) {
        ImageTag pinned = ImageTag.of(pinnedTag);
        GateDecision decision = VersionGate.decide(DeployedVersion.reported(reported), pinned);
        if (VersionGate.sameVersion(reported, pinnedTag)) {
            assertThat(decision).isEqualTo(new GateDecision.UpToDate(reported.strip()));
        } else {
            assertThat(decision)
                    .isEqualTo(new GateDecision.UpdateAvailable(
                            reported.strip(), pinnedTag, VersionGate.direction(reported, pinnedTag)));
            assertThat(decision.offerUpdate()).isTrue();
        }
    }

    @Provide
    Arbitrary<String> reportedLike() {
        return Arbitraries.oneOf(
                specs().map(Spec::plain),
                specs().map(s -> " v" + s.plain() + ".0 "),
                unparseable().filter(s -> !s.isBlank()));
    }

    @Provide
    Arbitrary<String> pinnedLike() {
        return Arbitraries.oneOf(
                specs().map(Spec::plain),
                specs().map(s -> "v" + s.plain()),
                Arbitraries.of("latest", "sha-1a2b3c", "stable"));
    }

    @Property
    void unreachable_and_unknown_never_offer_an_update(
            @ForAll("pinnedLike") String pinnedTag, @ForAll("reasons") String reason) {
        ImageTag pinned = ImageTag.of(pinnedTag);
        assertThat(VersionGate.decide(DeployedVersion.unreachable(reason), pinned))
                .isEqualTo(new GateDecision.ServiceUnreachable(reason));
        assertThat(VersionGate.decide(DeployedVersion.unknown(reason), pinned))
                .isEqualTo(new GateDecision.DeployedVersionUnknown(reason));
    }

    @Provide
    Arbitrary<String> reasons() {
        return Arbitraries.of("connection refused", "timeout", "spec has no info.version", "");
    }

    @Example
    void the_seed_examples() {
        assertThat(VersionGate.sameVersion("v4.9", "4.9")).isTrue();
        assertThat(VersionGate.sameVersion("4.9", "v4.9.0")).isTrue();
        assertThat(VersionGate.sameVersion(" V4.9.0 ", "4.9")).isTrue();
        assertThat(VersionGate.direction("4.9", "4.10")).isEqualTo(Direction.UPGRADE);
        assertThat(VersionGate.direction("4.10", "v4.9")).isEqualTo(Direction.DOWNGRADE);
        assertThat(VersionGate.direction("latest", "v4.9")).isEqualTo(Direction.UNORDERED);
        assertThat(VersionGate.decide(DeployedVersion.reported("4.9"), ImageTag.of("v4.9")))
                .isEqualTo(new GateDecision.UpToDate("4.9"));
        assertThat(VersionGate.decide(DeployedVersion.reported("4.8.2"), ImageTag.of("v4.9")))
                .isEqualTo(new GateDecision.UpdateAvailable("4.8.2", "v4.9", Direction.UPGRADE));
    }

    @Example
    void semver_precedence_chain() {
        List<String> chain = List.of(
                "1.0.0-alpha",
                "1.0.0-alpha.1",
                "1.0.0-alpha.beta",
                "1.0.0-beta",
                "1.0.0-beta.2",
                "1.0.0-beta.11",
                "1.0.0-rc.1",
                "1.0.0",
                "1.0.1",
                "1.1",
                "v2");
        for (int i = 0; i + 1 < chain.size(); i++) {
            assertThat(Version.parse(chain.get(i)).orElseThrow())
                    .as("%s < %s", chain.get(i), chain.get(i + 1))
                    .isLessThan(Version.parse(chain.get(i + 1)).orElseThrow());
        }
        assertThat(Version.parse("4.9.0").orElseThrow()).hasToString("4.9");
    }
}
