package org.elb.warmkeeper.runner.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * One endpoint of the {@link HttpApi}: a method, a path template ({@code {name}} stands for one
 * segment), who may call it, and its handler; with what {@code /openapi.json} says of it (a summary,
 * query parameters, a request body, responses). The API dispatches on its routes and documents the same
 * list, so the document cannot drift from what is served.
 */
final class Route {

    /** Who may call a route. */
    enum Access {
        /** No identity (probes, metrics, the API document); answers even while draining when {@link #probe}. */
        PUBLIC,
        /** A caller identity ({@link Identity}); else 401. */
        CALLER,
        /** An identity listed in {@code elb.http.admins}; else 401 without an identity, 403 with another. */
        ADMIN
    }

    /** Answers one request. */
    @FunctionalInterface
    interface Handler {
        CompletableFuture<HttpApi.Reply> handle(HttpApi.Call call) throws IOException;
    }

    /** A query parameter, for the document. */
    record Param(String name, String type, String description) {}

    final String method;
    final String template;
    final List<String> segments;
    final Access access;
    final Handler handler;
    boolean probe;
    String summary = "";
    final List<Param> query = new ArrayList<>();

    @Nullable ObjectNode requestSchema;

    final Map<Integer, String> responses = new LinkedHashMap<>();

    private Route(String method, String template, Access access, Handler handler) {
        if (!template.startsWith("/")) {
            throw new IllegalArgumentException("a route template starts with '/': " + template);
        }
        this.method = method.toUpperCase(Locale.ROOT);
        this.template = template;
        this.segments = List.of(template.substring(1).split("/", -1));
        this.access = access;
        this.handler = handler;
    }

    static Route get(String template, Access access, Handler handler) {
        return new Route("GET", template, access, handler);
    }

    static Route post(String template, Access access, Handler handler) {
        return new Route("POST", template, access, handler);
    }

    static Route put(String template, Access access, Handler handler) {
        return new Route("PUT", template, access, handler);
    }

    Route summary(String summary) {
        this.summary = summary;
        return this;
    }

    /** Answers while the runner drains (liveness and readiness). */
    Route probe() {
        this.probe = true;
        return this;
    }

    Route query(String name, String type, String description) {
        query.add(new Param(name, type, description));
        return this;
    }

    Route body(ObjectNode schema) {
        this.requestSchema = schema;
        return this;
    }

    /** Pairs of status code and description, e.g. {@code responds(200, "the job row", 404, "not yours")}. */
    Route responds(Object... codesAndDescriptions) {
        for (int i = 0; i + 1 < codesAndDescriptions.length; i += 2) {
            responses.put((Integer) codesAndDescriptions[i], (String) codesAndDescriptions[i + 1]);
        }
        return this;
    }

    /** The names of the template's parameters, in order. */
    List<String> parameters() {
        return segments.stream().filter(Route::isParameter).map(Route::name).toList();
    }

    /** The path parameters when {@code path} matches the template, else null. */
    @Nullable Map<String, String> match(List<String> path) {
        if (path.size() != segments.size()) {
            return null;
        }
        Map<String, String> params = new LinkedHashMap<>();
        for (int i = 0; i < segments.size(); i++) {
            String s = segments.get(i);
            if (isParameter(s)) {
                params.put(name(s), path.get(i));
            } else if (!s.equals(path.get(i))) {
                return null;
            }
        }
        return params;
    }

    /**
     * The path parameters, the missing one empty, when {@code path} is the template without one of its
     * parameter segments ({@code /api/tasks} for {@code /api/tasks/{taskId}}): the handler then answers
     * a 400 naming the missing value instead of a 404.
     */
    @Nullable Map<String, String> matchMissingOne(List<String> path) {
        if (path.size() != segments.size() - 1) {
            return null;
        }
        for (int skip = 0; skip < segments.size(); skip++) {
            if (!isParameter(segments.get(skip))) {
                continue;
            }
            List<String> filled = new ArrayList<>(path);
            filled.add(skip, "");
            Map<String, String> params = match(filled);
            if (params != null) {
                return params;
            }
        }
        return null;
    }

    private static boolean isParameter(String segment) {
        return segment.length() > 2 && segment.startsWith("{") && segment.endsWith("}");
    }

    private static String name(String segment) {
        return segment.substring(1, segment.length() - 1);
    }

    @Override
    public String toString() {
        return method + " " + template;
    }
}
