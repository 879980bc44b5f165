package org.elb.warmkeeper.spring.boot.web;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.elb.warmkeeper.core.Secrets;
import org.elb.warmkeeper.json.WireJson;

/**
 * A request that ends with a 4xx or 5xx JSON body {@code {"error": "..."}}, worded and bounded as the
 * runner's: the message masked and cut at {@value #MAX_MESSAGE} characters, values quoted from the
 * request through {@link #echo} (masked, at most {@value #MAX_ECHO} characters, control characters as ?).
 */
final class ElbWebProblem extends RuntimeException {

    static final int MAX_ECHO = 80;
    static final int MAX_MESSAGE = 400;

    private final int status;

    ElbWebProblem(int status, String message) {
        super(bounded(message), null, false, false);
        this.status = status;
    }

    int status() {
        return status;
    }

    ObjectNode body() {
        ObjectNode n = WireJson.object();
        n.put("error", getMessage());
        return n;
    }

    static ElbWebProblem badRequest(String message) {
        return new ElbWebProblem(400, message);
    }

    static String echo(String value) {
        String m = Secrets.masked(value);
        StringBuilder out = new StringBuilder(Math.min(m.length(), MAX_ECHO + 1));
        for (int i = 0; i < m.length() && out.length() < MAX_ECHO; i++) {
            char c = m.charAt(i);
            out.append(c < 0x20 || c == 0x7f ? '?' : c);
        }
        return m.length() > MAX_ECHO ? out + "…" : out.toString();
    }

    static String bounded(String message) {
        String m = Secrets.masked(message);
        return m.length() > MAX_MESSAGE ? m.substring(0, MAX_MESSAGE) + "…" : m;
    }
}
