package org.elb.warmkeeper.runner.http;

import java.util.LinkedHashMap;
import java.util.Map;
import org.elb.warmkeeper.core.Secrets;

/**
 * A request that ends with a 4xx or 5xx JSON body {@code {"error": "...", ...}}. The message is masked and
 * cut at {@value #MAX_MESSAGE} characters; values quoted from the request go through {@link #echo}.
 */
final class HttpProblem extends RuntimeException {

    /** The most characters of a request value an error message quotes. */
    static final int MAX_ECHO = 80;

    static final int MAX_MESSAGE = 400;

    final int status;
    final Map<String, Object> extra;

    HttpProblem(int status, String message) {
        this(status, message, Map.of());
    }

    HttpProblem(int status, String message, Map<String, Object> extra) {
        super(bounded(message), null, false, false);
        this.status = status;
        this.extra = extra;
    }

    /** The body: {@code error} first, then the extra fields. */
    Map<String, Object> body() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("error", getMessage());
        m.putAll(extra);
        return m;
    }

    /** A request value as an error message may quote it: masked, at most {@value #MAX_ECHO} characters, control characters as '?'. */
    static String echo(String value) {
        String m = Secrets.masked(value);
        StringBuilder out = new StringBuilder(Math.min(m.length(), MAX_ECHO + 1));
        for (int i = 0; i < m.length() && out.length() < MAX_ECHO; i++) {
            char c = m.charAt(i);
            out.append(c < 0x20 || c == 0x7f ? '?' : c);
        }
        return m.length() > MAX_ECHO ? out + "…" : out.toString();
    }

    /** Any message: masked and cut at {@value #MAX_MESSAGE} characters. */
    static String bounded(String message) {
        String m = Secrets.masked(message);
        return m.length() > MAX_MESSAGE ? m.substring(0, MAX_MESSAGE) + "…" : m;
    }

    static HttpProblem badRequest(String message) {
        return new HttpProblem(400, message);
    }
}
