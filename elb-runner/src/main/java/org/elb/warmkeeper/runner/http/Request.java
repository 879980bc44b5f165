package org.elb.warmkeeper.runner.http;

import com.sun.net.httpserver.HttpExchange;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One request as the routes see it: the method, the path's segments and the query's parameters, each
 * percent-decoded exactly once from the raw request target (a {@code %2F} inside a task id stays part
 * of the id, {@code %252e} stays {@code %2e}), and single-valued headers. Malformed escapes, bytes that
 * are not UTF-8, control characters and repeated parameters are a 400.
 */
final class Request {

    private static final int MAX_PARAMETERS = 32;

    final HttpExchange exchange;
    final String method;
    final List<String> segments;
    final Map<String, String> query;

    private Request(HttpExchange exchange, String method, List<String> segments, Map<String, String> query) {
        this.exchange = exchange;
        this.method = method;
        this.segments = segments;
        this.query = query;
    }

    static Request of(HttpExchange ex) {
        String rawPath = ex.getRequestURI().getRawPath();
        if (rawPath == null || !rawPath.startsWith("/")) {
            throw HttpProblem.badRequest("the request target must be an absolute path");
        }
        List<String> segments = new ArrayList<>();
        for (String raw : rawPath.substring(1).split("/", -1)) {
            segments.add(decode(raw, false, "the path"));
        }
        return new Request(
                ex,
                ex.getRequestMethod().toUpperCase(Locale.ROOT),
                List.copyOf(segments),
                query(ex.getRequestURI().getRawQuery()));
    }

    /** Whether the path is exactly these segments. */
    boolean is(String... path) {
        return segments.equals(List.of(path));
    }

    /** Whether the path starts with these segments and has {@code extra} more. */
    boolean startsWith(int extra, String... prefix) {
        return segments.size() == prefix.length + extra
                && segments.subList(0, prefix.length).equals(List.of(prefix));
    }

    String segment(int i) {
        return segments.get(i);
    }

    /** The path as decoded, for messages (quoted through {@link HttpProblem#echo}). */
    String path() {
        return "/" + String.join("/", segments);
    }

    void expect(String allowed) {
        if (!method.equals(allowed)) {
            exchange.getResponseHeaders().set("Allow", allowed);
            throw new HttpProblem(405, "method " + HttpProblem.echo(method) + " not allowed here; use " + allowed);
        }
    }

    /**
     * The one value of a header, or empty. A header sent twice (two lines, or one line a proxy joined
     * with a comma) is a 400: behind a proxy that appends, the client would otherwise choose the value.
     */
    Optional<String> header(String name) {
        return single(exchange.getRequestHeaders(), name);
    }

    /** {@link #header} over any headers. */
    static Optional<String> single(com.sun.net.httpserver.Headers headers, String name) {
        List<String> values = headers.get(name);
        if (values == null || values.isEmpty()) {
            return Optional.empty();
        }
        if (values.size() > 1) {
            throw HttpProblem.badRequest(
                    "the '" + name + "' header must be sent once, but was sent " + values.size() + " times");
        }
        return Optional.of(values.get(0));
    }

    /** An integer parameter of ASCII digits (an optional '-'), or null when absent or empty. */
    @Nullable Integer intParam(String name) {
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

    boolean boolParam(String name) {
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

    private static Map<String, String> query(@Nullable String raw) {
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

    /** Percent-decodes once, strictly: {@code %} and two hex digits, UTF-8, no control characters. */
    static String decode(String raw, boolean plusIsSpace, String what) {
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
