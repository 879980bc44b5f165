package org.elb.warmkeeper.runner.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.elb.warmkeeper.http.DashboardRoutes;
import org.elb.warmkeeper.http.OpenApiDocument;
import org.elb.warmkeeper.http.RouteDoc;

/**
 * The OpenAPI 3 document of the runner's API ({@code GET /openapi.json}), built by
 * {@link OpenApiDocument} (shared with the starter's web layer) from the routes the {@link HttpApi}
 * serves. {@code info.version} is the runner's version, so the library's own version gate
 * ({@code OpenApiDeployedVersionProbe}) can read a runner's deployed version.
 */
final class OpenApi {

    private OpenApi() {}

    static ObjectNode document(String version, List<Route> routes) {
        return OpenApiDocument.build(
                "ELB Warmkeeper runner",
                version,
                routes.stream().map(OpenApi::doc).toList());
    }

    private static RouteDoc doc(Route route) {
        RouteDoc d = new RouteDoc(route.method, route.template, RouteDoc.Access.valueOf(route.access.name()))
                .summary(route.summary);
        if (route.probe) {
            d.probe();
        }
        route.query.forEach(q -> d.query(q.name(), q.type(), q.description()));
        ObjectNode body = route.requestSchema;
        if (body != null) {
            d.body(body);
        }
        route.responses.forEach((code, description) -> d.responds(code, description));
        return d;
    }

    /** The body of {@code POST /api/aks/provision}. */
    static ObjectNode provisionRequest() {
        return DashboardRoutes.provisionRequest();
    }

    /** An object schema of optional boolean fields, no others allowed. */
    static ObjectNode booleans(String... fields) {
        return OpenApiDocument.booleans(fields);
    }
}
