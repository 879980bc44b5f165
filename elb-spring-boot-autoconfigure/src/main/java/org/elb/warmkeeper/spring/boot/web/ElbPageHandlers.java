package org.elb.warmkeeper.spring.boot.web;

import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.elb.warmkeeper.http.DashboardRoutes;
import org.elb.warmkeeper.http.HttpProblem;
import org.elb.warmkeeper.http.OpenApiDocument;
import org.elb.warmkeeper.http.StatusPage;
import org.elb.warmkeeper.json.WireJson;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.web.HttpRequestHandler;
import org.springframework.web.servlet.handler.SimpleUrlHandlerMapping;

/**
 * The public documents of the web layer: {@code GET /openapi.json} ({@link OpenApiDocument} of
 * {@link DashboardRoutes}; {@code info.version} is the library's version, which the version gate reads)
 * and, with {@code elb.http.page=true}, the status page ({@link StatusPage}: {@code /}, {@code /index.html},
 * {@code /static/app.js}, {@code /static/app.css}, {@code /page-config.json}). Mapped after the
 * application's own controllers and welcome page ({@link #ORDER}): an application that serves {@code /}
 * itself keeps it, and no mapping of ours can clash with one of its own at start.
 */
final class ElbPageHandlers {

    /** After the annotated controllers (0) and Boot's welcome page mapping (2), before static resources. */
    static final int ORDER = 3;

    private final Map<String, HttpRequestHandler> handlers = new LinkedHashMap<>();

    ElbPageHandlers(@Nullable StatusPage page, boolean events, boolean autoWarm, String version) {
        List<String> pagePaths = page == null ? List.of() : page.paths();
        ObjectNode document =
                OpenApiDocument.build("ELB Warmkeeper", version, DashboardRoutes.routes(autoWarm, events, pagePaths));
        byte[] openApi = WireJson.write(document).getBytes(StandardCharsets.UTF_8);
        handlers.put("/openapi.json", (request, response) -> send(request, response, "application/json", openApi));
        if (page != null) {
            for (String path : pagePaths) {
                StatusPage.Asset asset = page.at(path);
                if (asset == null) {
                    continue;
                }
                byte[] bytes = asset.body().getBytes(StandardCharsets.UTF_8);
                handlers.put("/" + path, (request, response) -> send(request, response, asset.contentType(), bytes));
            }
        }
    }

    /** The paths served, in order. */
    List<String> paths() {
        return List.copyOf(handlers.keySet());
    }

    SimpleUrlHandlerMapping mapping() {
        SimpleUrlHandlerMapping mapping = new SimpleUrlHandlerMapping(new LinkedHashMap<>(handlers), ORDER);
        return mapping;
    }

    private static void send(HttpServletRequest request, HttpServletResponse response, String type, byte[] bytes)
            throws IOException {
        String method = request.getMethod().toUpperCase(Locale.ROOT);
        if (!method.equals("GET") && !method.equals("HEAD")) {
            response.setHeader(HttpHeaders.ALLOW, "GET");
            HttpProblem p = new HttpProblem(405, "method " + HttpProblem.echo(method) + " not allowed here; use GET");
            ElbWebResponses.write(response, p.status(), p.json());
            return;
        }
        response.setStatus(200);
        ElbWebResponses.secure(response);
        response.setContentType(type);
        response.setContentLength(bytes.length);
        if (method.equals("GET")) {
            response.getOutputStream().write(bytes);
        }
        response.flushBuffer();
    }
}
