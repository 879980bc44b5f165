package org.elb.warmkeeper.http;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Query strings and path segments read from the raw request target: each percent-decoded exactly once
 * (a {@code %2F} inside a value stays part of it, {@code %252e} stays {@code %2e}), strictly: malformed
 * escapes, bytes that are not UTF-8, control characters, a parameter given twice, or more than
 * {@value #MAX_PARAMETERS} parameters are an {@link HttpProblem} 400 naming what was wrong.
 */
public final class QueryString {

    /** The most parameters one query string may hold. */
    public static final int MAX_PARAMETERS = 32;

    private QueryString() {}

    /** The parameters of a raw query string (without the {@code ?}; null or empty: none), in order. */
    public static Map<String, String> parse(@Nullable String raw) {
        Map<String, String> q = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return q;
        }
        String[] pairs = raw.split("&", -1);
        if (pairs.length > MAX_PARAMETERS) {
            throw HttpProblem.badRequest(
                    "at most " + MAX_PARAMETERS + " query parameters, but there were " + pairs.length);
        }
        for (String pair : pairs) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String k = decode(eq < 0 ? pair : pair.substring(0, eq), true, "a query parameter name");
            String v = eq < 0
                    ? ""
                    : decode(pair.substring(eq + 1), true, "the query parameter '" + HttpProblem.echo(k) + "'");
            if (q.putIfAbsent(k, v) != null) {
                throw HttpProblem.badRequest("the query parameter '" + HttpProblem.echo(k) + "' must be given once");
            }
        }
        return q;
    }

    /**
     * Percent-decodes once, strictly: {@code %} and two hex digits, UTF-8, no control characters.
     *
     * @param plusIsSpace whether {@code +} means a space (a query string; not a path segment)
     * @param what the value's name in the 400's message
     */
    public static String decode(String raw, boolean plusIsSpace, String what) {
        if (raw.indexOf('%') < 0 && !(plusIsSpace && raw.indexOf('+') >= 0)) {
            return checkControls(raw, what);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                int hi = i + 1 < raw.length() ? Character.digit(raw.charAt(i + 1), 16) : -1;
                int lo = i + 2 < raw.length() ? Character.digit(raw.charAt(i + 2), 16) : -1;
                if (hi < 0 || lo < 0 || raw.charAt(i + 1) > 0x7f || raw.charAt(i + 2) > 0x7f) {
                    throw HttpProblem.badRequest(
                            "malformed percent-encoding in " + what + ": '%' must be followed by two hex digits");
                }
                bytes.write(hi * 16 + lo);
                i += 2;
            } else if (c == '+' && plusIsSpace) {
                bytes.write(' ');
            } else {
                int cp = raw.codePointAt(i);
                byte[] b = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8);
                bytes.write(b, 0, b.length);
                i += Character.charCount(cp) - 1;
            }
        }
        try {
            String s = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray()))
                    .toString();
            return checkControls(s, what);
        } catch (CharacterCodingException e) {
            throw HttpProblem.badRequest("malformed percent-encoding in " + what + ": the bytes are not UTF-8");
        }
    }

    /** An integer parameter of ASCII digits (an optional '-'), or null when absent or empty. */
    public static @Nullable Integer intParam(Map<String, String> query, String name) {
        String v = query.get(name);
        if (v == null || v.isEmpty()) {
            return null;
        }
        if (!v.matches("-?[0-9]{1,9}")) {
            throw HttpProblem.badRequest(
                    "'" + name + "' must be an integer of ASCII digits, but was '" + HttpProblem.echo(v) + "'");
        }
        return Integer.valueOf(v);
    }

    /** A boolean parameter (true/1/yes, false/0/no); false when absent or empty. */
    public static boolean boolParam(Map<String, String> query, String name) {
        String v = query.get(name);
        if (v == null || v.isEmpty()) {
            return false;
        }
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes" -> true;
            case "false", "0", "no" -> false;
            default ->
                throw HttpProblem.badRequest(
                        "'" + name + "' must be true or false, but was '" + HttpProblem.echo(v) + "'");
        };
    }

    private static String checkControls(String s, String what) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                throw HttpProblem.badRequest(what + " must not hold control characters");
            }
        }
        return s;
    }
}
