package org.elb.warmkeeper.spring.boot.web;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * Request bodies read as strictly as the runner reads them: one JSON object and nothing after it, no key
 * twice, an integer is a JSON integer ({@code 3.9}, {@code 1e3}, {@code "3"} are refused), a string a
 * JSON string; unknown keys are ignored unless a body lists its keys ({@link #onlyFields}). The messages are the runner's.
 */
final class ElbStrictJson {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private ElbStrictJson() {}

    static JsonNode object(byte[] body) {
        if (body.length == 0) {
            throw ElbWebProblem.badRequest("the request body must be a JSON object, but was empty");
        }
        JsonNode node;
        try {
            node = MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            String at = e.getLocation() == null
                    ? ""
                    : " (at character " + e.getLocation().getCharOffset() + ")";
            throw ElbWebProblem.badRequest("the request body is not a single valid JSON object: "
                    + ElbWebProblem.echo(e.getOriginalMessage()) + at);
        } catch (java.io.IOException e) {
            throw ElbWebProblem.badRequest("the request body could not be read");
        }
        if (node == null || !node.isObject()) {
            throw ElbWebProblem.badRequest("the request body must be a JSON object");
        }
        return node;
    }

    static String string(JsonNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null || !v.isTextual()) {
            throw ElbWebProblem.badRequest("'" + field + "' is required and must be a JSON string");
        }
        return v.textValue();
    }

    static @Nullable String optionalString(JsonNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw ElbWebProblem.badRequest("'" + field + "' must be a JSON string when given, but was " + kind(v));
        }
        return v.textValue();
    }

    static int integer(JsonNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null || !v.isIntegralNumber() || !v.canConvertToInt()) {
            throw ElbWebProblem.badRequest("'" + field + "' is required and must be a JSON integer, but was "
                    + (v == null ? "absent" : kind(v)));
        }
        return v.intValue();
    }

    /** An optional boolean field: absent is null; {@code null} or anything but true/false is a 400. */
    static @Nullable Boolean optionalBoolean(JsonNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null) {
            return null;
        }
        if (!v.isBoolean()) {
            throw ElbWebProblem.badRequest("'" + field + "' must be true or false when given, but was " + kind(v));
        }
        return v.booleanValue();
    }

    /** An optional array of strings: absent is null; anything else is a 400. */
    static @Nullable List<String> optionalStrings(JsonNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null) {
            return null;
        }
        if (!v.isArray()) {
            throw ElbWebProblem.badRequest("'" + field + "' must be a JSON array of strings, but was " + kind(v));
        }
        List<String> out = new ArrayList<>();
        for (JsonNode e : v) {
            if (!e.isTextual()) {
                throw ElbWebProblem.badRequest("'" + field + "' must be a JSON array of strings, but holds " + kind(e));
            }
            out.add(e.textValue());
        }
        return out;
    }

    /** A 400 naming the first key of {@code body} not in {@code known} (for bodies that refuse unknown keys). */
    static void onlyFields(JsonNode body, Set<String> known) {
        Iterator<String> names = body.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!known.contains(name)) {
                throw ElbWebProblem.badRequest("unknown field '" + ElbWebProblem.echo(name) + "': the body takes only "
                        + String.join(", ", new TreeSet<>(known)));
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
        return "a JSON " + v.getNodeType().name().toLowerCase(Locale.ROOT);
    }
}
