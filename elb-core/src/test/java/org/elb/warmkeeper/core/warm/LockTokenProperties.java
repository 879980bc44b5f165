package org.elb.warmkeeper.core.warm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.elb.warmkeeper.core.cluster.NameRules.assertRejected;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.elb.warmkeeper.core.cluster.NameRules;
import org.elb.warmkeeper.core.cluster.ValidNames;

/** A lock token is 1-200 printable ASCII characters without whitespace, so any Redis client reads it as text. */
class LockTokenProperties {

    @Provide
    Arbitrary<String> tokenLike() {
        return Arbitraries.oneOf(
                ValidNames.printableTokens(200),
                Arbitraries.strings().all().ofMaxLength(205),
                Arbitraries.strings().withCharRange('!', '~').ofLength(201),
                ValidNames.printableTokens(20).map(s -> s + " "));
    }

    @Property
    void token_is_accepted_iff_printable_ascii_without_whitespace(@ForAll("tokenLike") String token) {
        if (NameRules.isPrintableToken(token, 200)) {
            assertThat(LockToken.of(token).value()).isEqualTo(token);
        } else {
            assertRejected(
                    () -> LockToken.of(token), "lockToken", "1-200 printable ASCII characters without whitespace");
        }
    }

    @Example
    void random_tokens_are_valid_and_distinct() {
        LockToken a = LockToken.random();
        LockToken b = LockToken.random();
        assertThat(a).isNotEqualTo(b);
        assertThat(NameRules.isPrintableToken(a.value(), 200)).isTrue();
        assertRejected(() -> new LockToken(null), "lockToken", "is required");
    }
}
