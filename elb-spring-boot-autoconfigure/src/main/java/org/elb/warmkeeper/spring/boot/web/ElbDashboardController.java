package org.elb.warmkeeper.spring.boot.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.elb.warmkeeper.core.cluster.OwnerId;
import org.elb.warmkeeper.json.WireJson;
import org.elb.warmkeeper.spring.boot.web.ElbDashboard.Reply;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The runner's dashboard endpoints on Spring MVC, with its paths, parameters, JSON and status codes.
 * Each path takes every method and answers a wrong one with the runner's 405 (and {@code Allow}); the
 * body is written by the library's own encoder ({@code elb-json}), not by the application's message
 * converters, so it is byte for byte the runner's whatever Jackson the application configures. Errors
 * are answered here, never by an exception handler of the application.
 */
@RestController
public class ElbDashboardController {

    /** A handler that may fail. */
    @FunctionalInterface
    private interface Call {
        Reply answer(HttpServletRequest request) throws Exception;
    }

    private final ElbDashboard dashboard;
    private final ElbCaller identity;
    private final ElbAutoWarmEndpoints autoWarm;

    ElbDashboardController(ElbDashboard dashboard, ElbCaller identity, ElbAutoWarmEndpoints autoWarm) {
        this.dashboard = dashboard;
        this.identity = identity;
        this.autoWarm = autoWarm;
    }

    @RequestMapping("/api/aks/recent-failed-provisions")
    public ResponseEntity<byte[]> recentFailed(HttpServletRequest request) {
        return serve(request, "GET", r -> dashboard.recentFailed(owner(r), query(r)));
    }

    @RequestMapping("/api/aks/provision")
    public ResponseEntity<byte[]> provision(HttpServletRequest request) {
        return serve(request, "POST", r -> {
            OwnerId owner = owner(r);
            return dashboard.provision(owner, body(r));
        });
    }

    @RequestMapping("/api/aks/provision/{taskId}/cancel")
    public ResponseEntity<byte[]> cancel(HttpServletRequest request, @PathVariable("taskId") String taskId) {
        return serve(request, "POST", r -> dashboard.cancel(owner(r), taskId, query(r)));
    }

    @RequestMapping("/api/aks/provision/cancel")
    public ResponseEntity<byte[]> cancelWithoutTask(HttpServletRequest request) {
        return serve(request, "POST", r -> dashboard.cancel(owner(r), "", query(r)));
    }

    @RequestMapping("/api/tasks/{taskId}")
    public ResponseEntity<byte[]> task(HttpServletRequest request, @PathVariable("taskId") String taskId) {
        return serve(request, "GET", r -> dashboard.task(owner(r), taskId));
    }

    @RequestMapping("/api/tasks")
    public ResponseEntity<byte[]> taskWithoutId(HttpServletRequest request) {
        return serve(request, "GET", r -> dashboard.task(owner(r), ""));
    }

    @RequestMapping("/api/autowarm/status")
    public ResponseEntity<byte[]> status(HttpServletRequest request) {
        return serve(request, "GET", r -> {
            owner(r);
            return dashboard.status();
        });
    }

    @RequestMapping("/api/autowarm/reconcile")
    public ResponseEntity<byte[]> reconcile(HttpServletRequest request) {
        return serve(request, "POST", r -> dashboard.reconcile(owner(r), query(r)));
    }

    @RequestMapping("/api/autowarm/clusters")
    public ResponseEntity<byte[]> autoWarmClusters(HttpServletRequest request) {
        return serve(request, "GET", r -> {
            owner(r);
            return autoWarm.list();
        });
    }

    @RequestMapping("/api/autowarm/clusters/{cluster}")
    public ResponseEntity<byte[]> autoWarmCluster(HttpServletRequest request, @PathVariable("cluster") String cluster) {
        return serve(request, "PUT", r -> {
            OwnerId owner = owner(r);
            return autoWarm.putCluster(owner, cluster, query(r), body(r));
        });
    }

    @RequestMapping("/api/autowarm/clusters/{cluster}/databases/{db}")
    public ResponseEntity<byte[]> autoWarmDatabase(
            HttpServletRequest request, @PathVariable("cluster") String cluster, @PathVariable("db") String db) {
        return serve(request, "PUT", r -> {
            owner(r);
            return autoWarm.putDatabase(cluster, db, query(r), body(r));
        });
    }

    @RequestMapping("/api/autowarm/clusters/{cluster}/databases/{db}/attempts")
    public ResponseEntity<byte[]> autoWarmAttempts(
            HttpServletRequest request, @PathVariable("cluster") String cluster, @PathVariable("db") String db) {
        return serve(request, "GET", r -> {
            owner(r);
            return autoWarm.attempts(cluster, db, query(r));
        });
    }

    @RequestMapping("/api/version-gate/{service}")
    public ResponseEntity<byte[]> versionGate(HttpServletRequest request, @PathVariable("service") String service) {
        return serve(request, "GET", r -> dashboard.versionGate(service));
    }

    private ResponseEntity<byte[]> serve(HttpServletRequest request, String allowed, Call call) {
        String method = request.getMethod().toUpperCase(Locale.ROOT);
        Reply reply;
        HttpHeaders headers = new HttpHeaders();
        if (!method.equals(allowed)) {
            headers.set(HttpHeaders.ALLOW, allowed);
            reply = dashboard.failure(
                    new ElbWebProblem(
                            405, "method " + ElbWebProblem.echo(method) + " not allowed here; use " + allowed),
                    method,
                    request.getRequestURI());
        } else {
            try {
                reply = call.answer(request);
            } catch (Exception e) {
                reply = dashboard.failure(e, method, request.getRequestURI());
            }
        }
        headers.setContentType(MediaType.APPLICATION_JSON);
        headers.setCacheControl("no-store");
        byte[] bytes;
        try {
            bytes = WireJson.mapper().writeValueAsBytes(reply.body());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a JSON tree", e);
        }
        return ResponseEntity.status(reply.status()).headers(headers).body(bytes);
    }

    private OwnerId owner(HttpServletRequest request) {
        Optional<OwnerId> caller = identity.caller(request);
        return caller.orElseThrow(
                () -> new ElbWebProblem(401, "the caller's identity is required (" + identity.describe() + ")"));
    }

    private static Map<String, String> query(HttpServletRequest request) {
        return ElbWebQuery.parse(request.getQueryString());
    }

    private static byte[] body(HttpServletRequest request) throws IOException {
        try (InputStream in = request.getInputStream()) {
            byte[] body = in.readNBytes(ElbDashboard.MAX_BODY_BYTES + 1);
            if (body.length > ElbDashboard.MAX_BODY_BYTES) {
                throw new ElbWebProblem(413, "request body larger than " + ElbDashboard.MAX_BODY_BYTES + " bytes");
            }
            return body;
        }
    }
}
