package org.elb.warmkeeper.core.version;

import static org.assertj.core.api.Assertions.assertThat;
import static org.elb.warmkeeper.core.cluster.NameRules.assertRejected;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.elb.warmkeeper.core.cluster.NameRules;

/** ImageTag and ServiceName accept exactly what their rule allows and name field and rule when not. */
class VersionValueProperties {

    /** Docker's tag rule: 1-128 of {@code [A-Za-z0-9_.-]}, not starting with {@code .} or {@code -}. */
    static boolean isImageTag(String s) {
        return s.length() >= 1
                && s.length() <= 128
                && NameRules.allOf(s, "_.-")
                && s.charAt(0) != '.'
                && s.charAt(0) != '-';
    }

    /** A DNS label: 1-63 lower-case letters, digits and '-', starting and ending with a letter or digit. */
    static boolean isServiceName(String s) {
        return s.length() >= 1
                && s.length() <= 63
                && s.chars().allMatch(c -> (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')
                && s.charAt(0) != '-'
                && s.charAt(s.length() - 1) != '-';
    }

    @Provide
    Arbitrary<String> tagLike() {
        return Arbitraries.oneOf(
                NameRules.nameLike(132),
                Arbitraries.of("v4.9", "V4.9.0", "latest", "sha-1a2b3c", "4.9.0-rc.1"),
                Arbitraries.strings().withChars("abc019_.-").ofMinLength(120).ofMaxLength(130));
    }

    @Provide
    Arbitrary<String> serviceLike() {
        return Arbitraries.oneOf(
                NameRules.nameLike(66),
                NameRules.nameLike(12).map(s -> s.toLowerCase(java.util.Locale.ROOT)),
                Arbitraries.strings().withChars("abz09-").ofMinLength(1).ofMaxLength(66),
                Arbitraries.of("elb-openapi", "elb-janitor", "-elb", "elb-", "ELB"));
    }

    @Property
    void image_tag_is_accepted_iff_the_registry_rule_allows_it(@ForAll("tagLike") String tag) {
        if (isImageTag(tag)) {
            assertThat(ImageTag.of(tag).value()).isEqualTo(tag);
        } else {
            assertRejected(() -> ImageTag.of(tag), "imageTag", "1-128 characters from letters, digits");
        }
    }

    @Property
    void service_name_is_accepted_iff_it_is_a_dns_label(@ForAll("serviceLike") String name) {
        if (isServiceName(name)) {
            assertThat(ServiceName.of(name).toString()).isEqualTo(name);
        } else {
            assertRejected(() -> ServiceName.of(name), "serviceName", "1-63 lower-case letters, digits and '-'");
        }
    }

    @Example
    void nulls_are_rejected_as_required() {
        assertRejected(() -> new ImageTag(null), "imageTag", "is required");
        assertRejected(() -> new ServiceName(null), "serviceName", "is required");
    }
}
