package org.elb.warmkeeper.core.cluster;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * Generators of valid Azure and BLAST names, written from the naming rules (not from the production
 * patterns), shared by the property tests of several packages.
 */
public final class ValidNames {

    private static final String LETTERS_DIGITS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

    private ValidNames() {}

    /** A GUID, 8-4-4-4-12 hex digits, in any case mix. */
    public static Arbitrary<String> subscriptionIds() {
        net.jqwik.api.arbitraries.StringArbitrary hex = Arbitraries.strings().withChars("0123456789abcdefABCDEF");
        return Combinators.combine(hex.ofLength(8), hex.ofLength(4), hex.ofLength(4), hex.ofLength(4), hex.ofLength(12))
                .as((a, b, c, d, e) -> a + "-" + b + "-" + c + "-" + d + "-" + e);
    }

    /** 1-90 of letters, digits, {@code _ . ( ) -}, not ending in {@code .}. */
    public static Arbitrary<String> resourceGroups() {
        Arbitrary<String> body = Arbitraries.strings()
                .withChars(LETTERS_DIGITS + "_.()-")
                .ofMinLength(0)
                .ofMaxLength(89);
        Arbitrary<Character> last = Arbitraries.of((LETTERS_DIGITS + "_()-").toCharArray());
        return Combinators.combine(body, last).as((b, l) -> b + l);
    }

    /** 1-63 of letters, digits, {@code _ -}, starting and ending with a letter or digit. */
    public static Arbitrary<String> clusterNames() {
        Arbitrary<Character> edge = alnum();
        Arbitrary<String> middle = Arbitraries.strings()
                .withChars(LETTERS_DIGITS + "_-")
                .ofMinLength(0)
                .ofMaxLength(61);
        Arbitrary<String> longName = Combinators.combine(edge, middle, edge).as((a, m, z) -> a + m + z);
        return Arbitraries.oneOf(edge.map(String::valueOf), longName);
    }

    /** 1-100 of letters, digits, {@code _ . -}, starting with a letter or digit. */
    public static Arbitrary<String> databaseNames() {
        Arbitrary<String> rest = Arbitraries.strings()
                .withChars(LETTERS_DIGITS + "_.-")
                .ofMinLength(0)
                .ofMaxLength(99);
        return Combinators.combine(alnum(), rest).as((a, r) -> a + r);
    }

    public static Arbitrary<ClusterRef> clusterRefs() {
        return Combinators.combine(subscriptionIds(), resourceGroups(), clusterNames())
                .as(ClusterRef::new);
    }

    public static Arbitrary<DatabaseName> databases() {
        return databaseNames().map(DatabaseName::new);
    }

    /** 1-max printable ASCII characters without whitespace ({@code 0x21-0x7E}). */
    public static Arbitrary<String> printableTokens(int max) {
        return Arbitraries.strings().withCharRange('!', '~').ofMinLength(1).ofMaxLength(max);
    }

    private static Arbitrary<Character> alnum() {
        return Arbitraries.of(LETTERS_DIGITS.toCharArray());
    }
}
