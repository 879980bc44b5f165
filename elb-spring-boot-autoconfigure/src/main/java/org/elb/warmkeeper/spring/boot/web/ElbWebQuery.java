package org.elb.warmkeeper.spring.boot.web;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The query string read as the runner reads it, from the raw text: each parameter percent-decoded once,
 * strictly (two hex digits, UTF-8, no control characters); a parameter given twice, or more than
 * {@value #MAX_PARAMETERS}, is a 400.
 */
final class ElbWebQuery {

    static final int MAX_PARAMETERS = 32;

    private ElbWebQuery() {}

    static Map<String, String> parse(@Nullable String raw) {
        Map<String, String> q = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return q;
        }
        String[] pairs = raw.split("&", -1);
        if (pairs.length > MAX_PARAMETERS) {
            throw ElbWebProblem.badRequest(
                    "at most " + MAX_PARAMETERS + " query parameters, but there were " + pairs.length);
        }
        for (String pair : pairs) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String k = decode(eq < 0 ? pair : pair.substring(0, eq), "a query parameter name");
            String v =
                    eq < 0 ? "" : decode(pair.substring(eq + 1), "the query parameter '" + ElbWebProblem.echo(k) + "'");
            if (q.putIfAbsent(k, v) != null) {
                throw ElbWebProblem.badRequest(
                        "the query parameter '" + ElbWebProblem.echo(k) + "' must be given once");
            }
        }
        return q;
    }

    private static String decode(String raw, String what) {
        if (raw.indexOf('%') < 0 && raw.indexOf('+') < 0) {
            return checkControls(raw, what);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                int hi = i + 1 < raw.length() ? Character.digit(raw.charAt(i + 1), 16) : -1;
                int lo = i + 2 < raw.length() ? Character.digit(raw.charAt(i + 2), 16) : -1;
                if (hi < 0 || lo < 0 || raw.charAt(i + 1) > 0x7f || raw.charAt(i + 2) > 0x7f) {
                    throw ElbWebProblem.badRequest(
                            "malformed percent-encoding in " + what + ": '%' must be followed by two hex digits");
                }
                bytes.write(hi * 16 + lo);
                i += 2;
            } else if (c == '+') {
                bytes.write(' ');
            } else {
                int cp = raw.codePointAt(i);
                byte[] b = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8);
                bytes.write(b, 0, b.length);
                i += Character.charCount(cp) - 1;
            }
        }
        try {
            return checkControls(
                    StandardCharsets.UTF_8
                            .newDecoder()
                            .onMalformedInput(CodingErrorAction.REPORT)
                            .onUnmappableCharacter(CodingErrorAction.REPORT)
                            .decode(ByteBuffer.wrap(bytes.toByteArray()))
                            .toString(),
                    what);
        } catch (CharacterCodingException e) {
            throw ElbWebProblem.badRequest("malformed percent-encoding in " + what + ": the bytes are not UTF-8");
        }
    }

    private static String checkControls(String s, String what) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                throw ElbWebProblem.badRequest(what + " must not hold control characters");
            }
        }
        return s;
    }
}
