package org.elb.warmkeeper.core.version;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.elb.warmkeeper.core.version.GateDecision.DeployedVersionUnknown;

/**
 * {@link Version#parse} is one bounded pass: it accepts exactly the documented shape, refuses null and
 * over-long input with an {@link IllegalArgumentException}, and a service reporting a huge
 * {@code info.version} is DEPLOYED_VERSION_UNKNOWN instead of a dead request thread.
 */
class HostileVersionProperties {

    /** The documented shape as a regular expression: the oracle for short strings only (it recurses per part). */
    private static final Pattern SHAPE = Pattern.compile(
            "(\\d{1,40}(?:\\.\\d{1,40}){0,9})(?:-([0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*))?(?:\\+[0-9A-Za-z.-]*)?");

    @Provide
    Arbitrary<String> versionish() {
        return Combinators.combine(
                        Arbitraries.of("", "v", " V"),
                        Arbitraries.strings().withChars("0129.-+aZ_ ").ofMaxLength(24))
                .as(String::concat);
    }

    @Property(tries = 2000)
    void parse_accepts_exactly_the_documented_shape(@ForAll("versionish") String s) {
        boolean shaped = SHAPE.matcher(Version.normalise(s)).matches();

        assertThat(Version.parse(s).isPresent()).as("'%s'", s).isEqualTo(shaped);
    }

    @Example
    void a_pre_release_of_two_thousand_parts_is_refused_cleanly_not_a_stack_overflow() {
        String hostile = "1.0-" + "a.".repeat(2_000) + "a";

        assertThatThrownBy(() -> Version.parse(hostile))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'version' must be at most 256 characters");
    }

    @Example
    void a_long_pre_release_within_the_bound_parses_in_one_pass() {
        String longest = "1.0-" + "a.".repeat(125) + "a";
        assertThat(longest.length()).isLessThanOrEqualTo(Version.MAX_LENGTH);

        assertThat(Version.parse(longest))
                .get()
                .extracting(Version::isPreRelease)
                .isEqualTo(true);
    }

    @Example
    void null_is_refused_naming_the_field() {
        assertThatThrownBy(() -> Version.parse(null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'version'");
    }

    @Example
    void a_huge_reported_version_is_deployed_version_unknown() {
        String huge = "4.9-" + "x.".repeat(20_000) + "x";

        GateDecision d = VersionGate.decide(DeployedVersion.reported(huge), ImageTag.of("v4.9"));

        assertThat(d).isInstanceOf(DeployedVersionUnknown.class);
        assertThat(((DeployedVersionUnknown) d).reason())
                .contains("longer than 256")
                .hasSizeLessThan(100);
        assertThat(VersionGate.sameVersion(huge, "v4.9")).isFalse();
        assertThat(VersionGate.direction(huge, "v4.9")).isEqualTo(Direction.UNORDERED);
    }
}
