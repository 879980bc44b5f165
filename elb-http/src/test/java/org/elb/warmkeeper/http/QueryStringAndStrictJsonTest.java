package org.elb.warmkeeper.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Query strings and bodies are read strictly: once-decoded, no repeats, no coercion. */
class QueryStringAndStrictJsonTest {

    private static void badRequest(Runnable r, String words) {
        assertThatThrownBy(r::run).isInstanceOfSatisfying(HttpProblem.class, p -> {
            assertThat(p.status()).isEqualTo(400);
            assertThat(p.getMessage()).contains(words);
        });
    }

    @Test
    void a_query_is_decoded_once_and_a_repeat_or_a_bad_escape_is_a_400() {
        assertThat(QueryString.parse("mode=a%252eb&x=1+2"))
                .containsEntry("mode", "a%2eb")
                .containsEntry("x", "1 2");
        assertThat(QueryString.decode("a+b%2Fc", false, "the path")).isEqualTo("a+b/c");
        badRequest(() -> QueryString.parse("limit=1&limit=2"), "'limit' must be given once");
        badRequest(() -> QueryString.parse("x=%zz"), "malformed percent-encoding");
        badRequest(() -> QueryString.parse("x=%ff"), "not UTF-8");
        badRequest(() -> QueryString.parse("x=%0a"), "control characters");
        badRequest(() -> QueryString.parse("a=1&".repeat(QueryString.MAX_PARAMETERS)), "at most 32");
        badRequest(() -> QueryString.intParam(QueryString.parse("hours=1e3"), "hours"), "ASCII digits");
        badRequest(() -> QueryString.boolParam(QueryString.parse("force=maybe"), "force"), "true or false");
    }

    @Test
    void a_body_is_one_object_without_repeated_keys_or_coerced_values() {
        byte[] ok = "{\"node_count\":3,\"name\":\"x\"}".getBytes(StandardCharsets.UTF_8);
        assertThat(StrictJson.integer(StrictJson.object(ok), "node_count")).isEqualTo(3);
        badRequest(() -> StrictJson.object("{\"a\":1,\"a\":2}".getBytes(StandardCharsets.UTF_8)), "not a single");
        badRequest(() -> StrictJson.object("{} {}".getBytes(StandardCharsets.UTF_8)), "not a single");
        badRequest(() -> StrictJson.object(new byte[0]), "was empty");
        badRequest(
                () -> StrictJson.integer(StrictJson.object("{\"n\":3.0}".getBytes(StandardCharsets.UTF_8)), "n"),
                "a number with a fraction");
        badRequest(
                () -> StrictJson.string(StrictJson.object("{\"s\":1.30}".getBytes(StandardCharsets.UTF_8)), "s"),
                "must be a JSON string");
    }

    @Test
    void an_error_body_quotes_at_most_80_characters_and_no_control_character() {
        String echoed = HttpProblem.echo("a\nb" + "x".repeat(200));
        assertThat(echoed).startsWith("a?b").hasSize(HttpProblem.MAX_ECHO + 1).endsWith("…");
        assertThat(new HttpProblem(404, "gone").json().toString()).isEqualTo("{\"error\":\"gone\"}");
    }
}
