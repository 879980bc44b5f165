package org.elb.warmkeeper.core;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.elb.warmkeeper.core.provision.ErrorCategory;
import org.elb.warmkeeper.core.provision.ErrorClassification;

/** A generated secret, in any of the places a credential travels in text, never survives {@link Secrets#mask}. */
class SecretsProperties {

    /** Printable ASCII without whitespace, quotes or angle brackets: what a URL password can hold unencoded. */
    private static final String USERINFO_CHARS = "abcXYZ0189/@:?#&=+%!$*,;.~_-";
    /** What a percent-encoded query or JDBC parameter value holds (base64 signatures included). */
    private static final String PARAM_CHARS = "abcXYZ0189%+/=._~-";

    /** A place in text where a secret travels: {@code %s} is the secret. */
    record Carrier(String template, String survivor) {
        String with(String secret) {
            return template.replace("%s", secret);
        }
    }

    @Provide
    Arbitrary<String> userinfoSecret() {
        return Arbitraries.strings().withChars(USERINFO_CHARS).ofMinLength(8).ofMaxLength(48);
    }

    @Provide
    Arbitrary<String> paramSecret() {
        return Arbitraries.strings().withChars(PARAM_CHARS).ofMinLength(8).ofMaxLength(48);
    }

    @Provide
    Arbitrary<Carrier> userinfoCarrier() {
        return Arbitraries.of(
                new Carrier("redis://:%s@cache.example.net:6380/2", "cache.example.net:6380/2"),
                new Carrier("rediss://default:%s@cache.example.net", "cache.example.net"),
                new Carrier(
                        "https://user:%s@arm.example.net/subscriptions?api-version=2024-05-01",
                        "arm.example.net/subscriptions"),
                new Carrier(
                        "GET https://%s@registry.example.net/v2/ failed: 401", "registry.example.net/v2/ failed: 401"),
                new Carrier(
                        "connecting to jdbc:postgresql://app:%s@db.example.net:5432/elb timed out",
                        "db.example.net:5432/elb timed out"));
    }

    @Provide
    Arbitrary<Carrier> paramCarrier() {
        return Arbitraries.of(
                new Carrier("https://host.example.net/spec.json?token=%s&format=json", "format=json"),
                new Carrier("https://host.example.net/op?access_token=%s", "host.example.net/op"),
                new Carrier("https://acct.blob.core.windows.net/c/b?sv=2024&sig=%s&se=2030", "se=2030"),
                new Carrier("jdbc:postgresql://db.example.net/elb?user=app&password=%s&ssl=true", "ssl=true"),
                new Carrier("jdbc:h2:tcp://h2.example.net/elb;USER=app;PASSWORD=%s;MODE=PostgreSQL", "MODE=PostgreSQL"),
                new Carrier("{\"client_secret\": \"%s\", \"tenant\": \"t\"}", "\"tenant\": \"t\""),
                new Carrier("Authorization: Bearer %s", "Authorization"),
                new Carrier("refused: api_key=%s (retry later)", "(retry later)"));
    }

    @Provide
    Arbitrary<String> prose() {
        return Arbitraries.strings().withChars("abcdefgh ,:()").ofMaxLength(30);
    }

    @Property
    void a_url_password_never_survives_even_with_slash_at_or_colon(
            @ForAll("userinfoSecret") String secret,
            @ForAll("userinfoCarrier") Carrier carrier,
            @ForAll("prose") String before,
            @ForAll("prose") String after) {
        Assume.that(!before.contains(secret)
                && !after.contains(secret)
                && !carrier.template().contains(secret));
        String text = before + " " + carrier.with(secret) + " " + after;

        String masked = Secrets.masked(text);

        assertThat(masked).doesNotContain(secret).contains(carrier.survivor()).contains(Secrets.MASK);
        assertThat(Secrets.masked(masked)).isEqualTo(masked);
    }

    @Property
    void a_parameter_token_signature_or_password_never_survives(
            @ForAll("paramSecret") String secret,
            @ForAll("paramCarrier") Carrier carrier,
            @ForAll("prose") String before) {
        Assume.that(!before.contains(secret) && !carrier.template().contains(secret));
        String text = before + " " + carrier.with(secret);

        String masked = Secrets.masked(text);

        assertThat(masked).doesNotContain(secret).contains(carrier.survivor());
        assertThat(Secrets.masked(masked)).isEqualTo(masked);
    }

    @Property
    void several_secrets_in_one_message_are_all_hidden(
            @ForAll("userinfoSecret") String a, @ForAll("paramSecret") String b) {
        Assume.that(!a.contains(b) && !b.contains(a));
        String text = "redis://:" + a + "@r.example.net failed, then https://h.example.net/x?sig=" + b + " failed";

        assertThat(Secrets.masked(text)).doesNotContain(a).doesNotContain(b).contains("r.example.net failed, then");
    }

    @Property
    void text_without_credentials_is_unchanged(@ForAll("prose") String text) {
        assertThat(Secrets.mask(text)).isEqualTo(text);
    }

    @Property
    void exceptions_and_stored_errors_carry_no_secret(@ForAll("userinfoSecret") String secret) {
        String text = "redis://:" + secret + "@cache.example.net unreachable";

        assertThat(new BackendUnavailableException("redis", "acquire", text).getMessage())
                .doesNotContain(secret);
        assertThat(new BackendUnavailableException("redis", "acquire", text).toString())
                .doesNotContain(secret);
        assertThat(new ErrorClassification(ErrorCategory.UNKNOWN, "X", text).message())
                .doesNotContain(secret);
    }

    @Example
    void a_plain_url_and_null_pass_through() {
        assertThat(Secrets.mask("https://arm.example.net/subscriptions/x?api-version=1"))
                .isEqualTo("https://arm.example.net/subscriptions/x?api-version=1");
        assertThat(Secrets.mask(null)).isNull();
        assertThat(Secrets.masked("redis://:pa/ss@host:6379")).isEqualTo("redis://****@host:6379");
        assertThat(Secrets.mask("invalid bearer token: expired")).isEqualTo("invalid bearer token: expired");
    }

    @Example
    void a_huge_message_is_masked_in_bounded_time() {
        String huge = "token=".repeat(20_000) + "a".repeat(200_000) + "://" + "b".repeat(200_000);
        long start = System.nanoTime();

        Secrets.masked(huge);

        assertThat((System.nanoTime() - start) / 1_000_000).as("ms").isLessThan(5_000);
    }
}
