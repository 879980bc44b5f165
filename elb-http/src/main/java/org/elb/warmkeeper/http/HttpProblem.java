package org.elb.warmkeeper.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.Map;
import org.elb.warmkeeper.core.Secrets;
import org.elb.warmkeeper.json.WireJson;

/**
 * A request that ends with a 4xx or 5xx JSON body {@code {"error": "...", ...}}, and the response headers
 * that go with it (e.g. {@code Retry-After}). The message is masked and cut at {@value #MAX_MESSAGE}
 * characters; values quoted from the request go through {@link #echo}. A request's outcome, not a
 * failure of a port: it is no {@code ElbException}, and a server answers it before any other error.
 */
public final class HttpProblem extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** The most characters of a request value an error message quotes. */
    public static final int MAX_ECHO = 80;

    /** The most characters of an error message. */
    public static final int MAX_MESSAGE = 400;

    private final int status;
    private final transient Map<String, Object> extra;
    private final transient Map<String, String> headers;

    public HttpProblem(int status, String message) {
        this(status, message, Map.of(), Map.of());
    }

    /**
     * @param extra more fields of the body, after {@code error}
     * @param headers response headers to send with it
     */
    public HttpProblem(int status, String message, Map<String, Object> extra, Map<String, String> headers) {
        super(bounded(message), null, false, false);
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("'status' must be between 400 and 599, but was " + status);
        }
        this.status = status;
        this.extra = Map.copyOf(extra);
        this.headers = Map.copyOf(headers);
    }

    public static HttpProblem badRequest(String message) {
        return new HttpProblem(400, message);
    }

    public int status() {
        return status;
    }

    /** The response headers to send with it (none for most). */
    public Map<String, String> headers() {
        return headers;
    }

    /** The body: {@code error} first, then the extra fields (in the order given). */
    public Map<String, Object> body() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("error", getMessage());
        m.putAll(extra);
        return m;
    }

    /** {@link #body} as a JSON tree. */
    public ObjectNode json() {
        ObjectNode n = WireJson.object();
        body().forEach((k, v) -> n.set(k, WireJson.mapper().valueToTree(v)));
        return n;
    }

    /**
     * A request value as an error message may quote it: masked, at most {@value #MAX_ECHO} characters,
     * control characters as '?'.
     */
    public static String echo(String value) {
        String m = Secrets.masked(value);
        StringBuilder out = new StringBuilder(Math.min(m.length(), MAX_ECHO + 1));
        for (int i = 0; i < m.length() && out.length() < MAX_ECHO; i++) {
            char c = m.charAt(i);
            out.append(c < 0x20 || c == 0x7f ? '?' : c);
        }
        return m.length() > MAX_ECHO ? out + "…" : out.toString();
    }

    /** Any message: masked and cut at {@value #MAX_MESSAGE} characters. */
    public static String bounded(String message) {
        String m = Secrets.masked(message);
        return m.length() > MAX_MESSAGE ? m.substring(0, MAX_MESSAGE) + "…" : m;
    }
}
