package org.elb.warmkeeper.runner.http;

import com.sun.net.httpserver.HttpExchange;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.elb.warmkeeper.http.HttpProblem;
import org.elb.warmkeeper.http.QueryString;
import org.jspecify.annotations.Nullable;

/**
 * One request as the routes see it: the method, the path's segments and the query's parameters, each
 * percent-decoded exactly once from the raw request target (a {@code %2F} inside a task id stays part
 * of the id, {@code %252e} stays {@code %2e}), and single-valued headers. Malformed escapes, bytes that
 * are not UTF-8, control characters and repeated parameters are a 400.
 */
final class Request {

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
            segments.add(QueryString.decode(raw, false, "the path"));
        }
        return new Request(
                ex,
                ex.getRequestMethod().toUpperCase(Locale.ROOT),
                List.copyOf(segments),
                QueryString.parse(ex.getRequestURI().getRawQuery()));
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
        return QueryString.intParam(query, name);
    }

    boolean boolParam(String name) {
        return QueryString.boolParam(query, name);
    }
}
