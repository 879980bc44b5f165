package org.elb.warmkeeper.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.elb.warmkeeper.json.WireJson;

/**
 * The OpenAPI 3 document ({@code GET /openapi.json}) of a list of routes: every path with its method,
 * path and query parameters, request body and response codes. {@code info.version} is the serving
 * library's version, so the library's own version gate ({@code OpenApiDeployedVersionProbe}) can read
 * a deployed service's version.
 */
public final class OpenApiDocument {

    /** The header of the header identity mode, as the document names it. */
    public static final String DEFAULT_OWNER_HEADER = "X-Elb-Owner";

    private OpenApiDocument() {}

    /** The document; the caller caches it (it is built once per server). */
    public static ObjectNode build(String title, String version, List<RouteDoc> routes) {
        ObjectNode doc = WireJson.object();
        doc.put("openapi", "3.0.3");
        ObjectNode info = doc.putObject("info");
        info.put("title", title);
        info.put("version", version);
        info.put(
                "description",
                "Auto-warm, AKS provisioning and version gate endpoints of the ELB Warmkeeper dashboard. Every"
                        + " error is JSON {\"error\": \"...\"}.");
        ObjectNode components = doc.putObject("components");
        ObjectNode schemes = components.putObject("securitySchemes");
        ObjectNode caller = schemes.putObject("caller");
        caller.put("type", "apiKey");
        caller.put("in", "header");
        caller.put("name", DEFAULT_OWNER_HEADER);
        caller.put(
                "description",
                "The caller's owner id, set by a gateway (elb.http.identity=header, the header is configurable);"
                        + " with elb.http.identity=jwt a bearer token instead");
        ObjectNode bearer = schemes.putObject("bearer");
        bearer.put("type", "http");
        bearer.put("scheme", "bearer");
        bearer.put("bearerFormat", "JWT");
        ObjectNode error = components.putObject("schemas").putObject("Error");
        error.put("type", "object");
        error.putArray("required").add("error");
        error.putObject("properties").putObject("error").put("type", "string");

        Map<String, ObjectNode> paths = new LinkedHashMap<>();
        ObjectNode pathsNode = doc.putObject("paths");
        for (RouteDoc route : routes) {
            ObjectNode path = paths.computeIfAbsent(route.template(), pathsNode::putObject);
            path.set(route.method().toLowerCase(Locale.ROOT), operation(route));
        }
        return doc;
    }

    private static ObjectNode operation(RouteDoc route) {
        ObjectNode op = WireJson.object();
        op.put("summary", route.summary());
        op.put("operationId", operationId(route));
        ArrayNode params = op.putArray("parameters");
        for (String name : route.parameters()) {
            ObjectNode p = params.addObject();
            p.put("name", name);
            p.put("in", "path");
            p.put("required", true);
            p.putObject("schema").put("type", "string");
        }
        for (RouteDoc.Param q : route.queryParams()) {
            ObjectNode p = params.addObject();
            p.put("name", q.name());
            p.put("in", "query");
            p.put("required", false);
            p.put("description", q.description());
            p.putObject("schema").put("type", q.type());
        }
        ObjectNode schema = route.requestSchema();
        if (schema != null) {
            ObjectNode body = op.putObject("requestBody");
            body.put("required", true);
            body.putObject("content").putObject("application/json").set("schema", schema.deepCopy());
        }
        if (route.access() != RouteDoc.Access.PUBLIC) {
            ArrayNode security = op.putArray("security");
            security.addObject().putArray("caller");
            security.addObject().putArray("bearer");
        }
        ObjectNode responses = op.putObject("responses");
        Map<Integer, String> codes = new TreeMap<>(route.responses());
        if (!route.isProbe()) {
            codes.putIfAbsent(400, "bad input (a parameter, the body, a percent-escape), naming what and why");
        }
        if (route.access() != RouteDoc.Access.PUBLIC) {
            codes.putIfAbsent(401, "no caller identity, or an invalid one");
        }
        if (route.access() == RouteDoc.Access.ADMIN) {
            codes.putIfAbsent(403, "the caller is not an admin (elb.http.admins)");
        }
        if (!route.isProbe()) {
            codes.putIfAbsent(503, "draining, or a backend unavailable");
        }
        codes.putIfAbsent(500, "internal error (no details)");
        codes.forEach((code, description) -> {
            ObjectNode r = responses.putObject(String.valueOf(code));
            r.put("description", description);
            String type = route.template().equals("/metrics") && code == 200 ? "text/plain" : "application/json";
            ObjectNode content = r.putObject("content").putObject(type);
            if (code >= 400) {
                content.putObject("schema").put("$ref", "#/components/schemas/Error");
            }
        });
        return op;
    }

    private static String operationId(RouteDoc route) {
        StringBuilder id = new StringBuilder(route.method().toLowerCase(Locale.ROOT));
        for (String s : route.segments()) {
            String word = s.replaceAll("[^A-Za-z0-9]", "");
            if (!word.isEmpty()) {
                id.append(Character.toUpperCase(word.charAt(0))).append(word.substring(1));
            }
        }
        return id.toString();
    }

    /** An object schema of optional boolean fields, no others allowed. */
    public static ObjectNode booleans(String... fields) {
        ObjectNode s = WireJson.object();
        s.put("type", "object");
        s.put("additionalProperties", false);
        ObjectNode props = s.putObject("properties");
        for (String f : fields) {
            props.putObject(f).put("type", "boolean");
        }
        return s;
    }
}
