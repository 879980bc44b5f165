package org.elb.warmkeeper.core.cluster;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Tuple;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** Plain-Java statements of the naming rules (test oracles) and a generator of strings near them. */
public final class NameRules {

    private NameRules() {}

    public static boolean isAsciiAlnum(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }

    public static boolean allOf(String s, String extra) {
        return s.chars().allMatch(c -> isAsciiAlnum((char) c) || extra.indexOf(c) >= 0);
    }

    public static boolean isPrintableToken(String s, int max) {
        return s.length() >= 1 && s.length() <= max && s.chars().allMatch(c -> c >= 0x21 && c <= 0x7E);
    }

    public static void assertRejected(ThrowingCallable construct, String field, String ruleFragment) {
        assertThatThrownBy(construct)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'" + field + "'")
                .hasMessageContaining(ruleFragment);
    }

    /** Strings near the rules: mostly name characters, some forbidden ones, lengths around the limits. */
    public static Arbitrary<String> nameLike(int maxLength) {
        Arbitrary<Character> chars = Arbitraries.frequencyOf(
                Tuple.of(12, Arbitraries.chars().alpha()),
                Tuple.of(6, Arbitraries.chars().numeric()),
                Tuple.of(4, Arbitraries.of('_', '-', '.', '(', ')')),
                Tuple.of(1, Arbitraries.of(':', '/', ' ', '\t', '\n', 'é', 'ß', '#', '*', '\u0000')));
        return chars.list().ofMinSize(0).ofMaxSize(maxLength).map(cs -> {
            StringBuilder b = new StringBuilder();
            cs.forEach(b::append);
            return b.toString();
        });
    }
}
