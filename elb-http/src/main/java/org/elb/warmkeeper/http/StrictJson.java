package org.elb.warmkeeper.http;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import org.jspecify.annotations.Nullable;

/**
 * Request bodies, read strictly: one JSON object and nothing after it, no key twice, and values of the
 * type the field means: an integer is a JSON integer ({@code 3.9}, {@code 3.0}, {@code 1e3} and
 * {@code "3"} are refused, never rounded or coerced), a string is a JSON string ({@code 1.30} is not
 * {@code "1.30"}). Keys the API does not know are ignored, except
 * where a body refuses them ({@link #onlyFields}).
 */
public final class StrictJson {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private StrictJson() {}

    /** The body as a JSON object, or a 400 saying why not (without quoting the body). */
    public static JsonNode object(byte[] body) {
        if (body.length == 0) {
            throw HttpProblem.badRequest("the request body must be a JSON object, but was empty");
        }
        JsonNode node;
        try {
            node = MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw HttpProblem.badRequest("the request body is not a single valid JSON object: "
                    + HttpProblem.echo(e.getOriginalMessage()) + location(e));
        } catch (java.io.IOException e) {
            throw HttpProblem.badRequest("the request body could not be read");
        }
        if (node == null || !node.isObject()) {
            throw HttpProblem.badRequest("the request body must be a JSON object");
        }
        return node;
    }

    private static String location(JsonProcessingException e) {
        return e.getLocation() == null
                ? ""
                : " (at character " + e.getLocation().getCharOffset() + ")";
    }

    /** A required string field. */
    public static String string(JsonNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null || !v.isTextual()) {
            throw HttpProblem.badRequest("'" + field + "' is required and must be a JSON string");
        }
        return v.textValue();
    }

    /** An optional string field: absent or {@code null} is null; anything but a string is a 400. */
    public static @Nullable String optionalString(JsonNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw HttpProblem.badRequest("'" + field + "' must be a JSON string when given, but was " + kind(v));
        }
        return v.textValue();
    }

    /** A required integer field that fits an int. */
    public static int integer(JsonNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null || !v.isIntegralNumber() || !v.canConvertToInt()) {
            throw HttpProblem.badRequest("'" + field + "' is required and must be a JSON integer, but was "
                    + (v == null ? "absent" : kind(v)));
        }
        return v.intValue();
    }

    /** An optional boolean field: absent is null; {@code null} or anything but true/false is a 400. */
    public static @Nullable Boolean optionalBoolean(JsonNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null) {
            return null;
        }
        if (!v.isBoolean()) {
            throw HttpProblem.badRequest("'" + field + "' must be true or false when given, but was " + kind(v));
        }
        return v.booleanValue();
    }

    /** An optional array of strings: absent is null; anything else is a 400. */
    public static java.util.@Nullable List<String> optionalStrings(JsonNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null) {
            return null;
        }
        if (!v.isArray()) {
            throw HttpProblem.badRequest("'" + field + "' must be a JSON array of strings, but was " + kind(v));
        }
        java.util.List<String> out = new java.util.ArrayList<>();
        for (JsonNode e : v) {
            if (!e.isTextual()) {
                throw HttpProblem.badRequest("'" + field + "' must be a JSON array of strings, but holds " + kind(e));
            }
            out.add(e.textValue());
        }
        return out;
    }

    /** A 400 naming the first key of {@code body} not in {@code known} (for bodies that refuse unknown keys). */
    public static void onlyFields(JsonNode body, java.util.Set<String> known) {
        java.util.Iterator<String> names = body.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!known.contains(name)) {
                throw HttpProblem.badRequest("unknown field '" + HttpProblem.echo(name) + "': the body takes only "
                        + String.join(", ", new java.util.TreeSet<>(known)));
            }
        }
    }

    private static String kind(JsonNode v) {
        if (v.isIntegralNumber()) {
            return "an integer out of range";
        }
        if (v.isNumber()) {
            return "a number with a fraction or an exponent";
        }
        return "a JSON " + v.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    }
}
