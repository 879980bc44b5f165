package org.elb.warmkeeper.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What {@code /openapi.json} says of one endpoint: its method, path template ({@code {name}} stands for
 * one segment), who may call it, a summary, query parameters, a request body and responses. Built
 * fluently, once, at start ({@link DashboardRoutes}); not changed after it is handed to
 * {@link OpenApiDocument}.
 */
public final class RouteDoc {

    /** Who may call a route. */
    public enum Access {
        /** No identity (probes, metrics, the API document, the page). */
        PUBLIC,
        /** A caller identity; else 401. */
        CALLER,
        /** An identity listed in {@code elb.http.admins}; else 401 without an identity, 403 with another. */
        ADMIN
    }

    /** A query parameter. */
    public record Param(String name, String type, String description) {}

    private final String method;
    private final String template;
    private final List<String> segments;
    private final Access access;
    private boolean probe;
    private String summary = "";
    private final List<Param> query = new ArrayList<>();
    private @Nullable ObjectNode requestSchema;
    private final Map<Integer, String> responses = new LinkedHashMap<>();

    public RouteDoc(String method, String template, Access access) {
        if (!template.startsWith("/")) {
            throw new IllegalArgumentException("'template' must start with '/', but was " + template);
        }
        this.method = method.toUpperCase(Locale.ROOT);
        this.template = template;
        this.segments = List.of(template.substring(1).split("/", -1));
        this.access = access;
    }

    public static RouteDoc get(String template, Access access) {
        return new RouteDoc("GET", template, access);
    }

    public static RouteDoc post(String template, Access access) {
        return new RouteDoc("POST", template, access);
    }

    public static RouteDoc put(String template, Access access) {
        return new RouteDoc("PUT", template, access);
    }

    public RouteDoc summary(String summary) {
        this.summary = summary;
        return this;
    }

    /** A liveness or readiness probe (answers while draining; no 400 or 503 of its own). */
    public RouteDoc probe() {
        this.probe = true;
        return this;
    }

    public RouteDoc query(String name, String type, String description) {
        query.add(new Param(name, type, description));
        return this;
    }

    public RouteDoc body(ObjectNode schema) {
        this.requestSchema = schema;
        return this;
    }

    /** Pairs of status code and description, e.g. {@code responds(200, "the job row", 404, "not yours")}. */
    public RouteDoc responds(Object... codesAndDescriptions) {
        if (codesAndDescriptions.length % 2 != 0) {
            throw new IllegalArgumentException("'codesAndDescriptions' must be pairs, but had an odd length");
        }
        for (int i = 0; i + 1 < codesAndDescriptions.length; i += 2) {
            responses.put((Integer) codesAndDescriptions[i], (String) codesAndDescriptions[i + 1]);
        }
        return this;
    }

    public String method() {
        return method;
    }

    public String template() {
        return template;
    }

    /** The template's segments (without the leading {@code /}). */
    public List<String> segments() {
        return segments;
    }

    public Access access() {
        return access;
    }

    public boolean isProbe() {
        return probe;
    }

    public String summary() {
        return summary;
    }

    public List<Param> queryParams() {
        return List.copyOf(query);
    }

    public @Nullable ObjectNode requestSchema() {
        return requestSchema;
    }

    /** The documented responses, in the order given. */
    public Map<Integer, String> responses() {
        return new LinkedHashMap<>(responses);
    }

    /** Whether the request takes a JSON body (it then accepts only {@code application/json}). */
    public boolean takesBody() {
        return requestSchema != null;
    }

    /** The names of the template's parameters, in order. */
    public List<String> parameters() {
        return segments.stream()
                .filter(RouteDoc::isParameter)
                .map(RouteDoc::name)
                .toList();
    }

    static boolean isParameter(String segment) {
        return segment.length() > 2 && segment.startsWith("{") && segment.endsWith("}");
    }

    static String name(String segment) {
        return segment.substring(1, segment.length() - 1);
    }

    @Override
    public String toString() {
        return method + " " + template;
    }
}
