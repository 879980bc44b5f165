package org.elb.warmkeeper.spring.boot.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.elb.warmkeeper.core.cluster.OwnerId;
import org.elb.warmkeeper.http.EventHub;
import org.elb.warmkeeper.http.HttpProblem;
import org.elb.warmkeeper.spring.boot.web.ElbDashboard.Reply;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyEmitter;

/**
 * {@code GET /api/events}: the runner's Server-Sent Events ({@link EventHub}: owner scoping,
 * {@code Last-Event-ID} replay, the total and per-owner caps) on Spring MVC's asynchronous responses.
 * The stream never holds a request thread; it ends when the caller's token expires.
 */
@RestController
public class ElbEventsController {

    private static final Logger log = LoggerFactory.getLogger(ElbEventsController.class);

    private final ElbEvents events;
    private final ElbCaller identity;
    private final ElbDashboard dashboard;

    ElbEventsController(ElbEvents events, ElbCaller identity, ElbDashboard dashboard) {
        this.events = events;
        this.identity = identity;
        this.dashboard = dashboard;
    }

    @RequestMapping("/api/events")
    public @Nullable ResponseEntity<ResponseBodyEmitter> events(
            HttpServletRequest request, HttpServletResponse response) throws IOException {
        String method = request.getMethod().toUpperCase(Locale.ROOT);
        try {
            if (!method.equals("GET")) {
                response.setHeader(HttpHeaders.ALLOW, "GET");
                throw new HttpProblem(405, "method " + HttpProblem.echo(method) + " not allowed here; use GET");
            }
            OwnerId owner = identity.caller(request)
                    .orElseThrow(() ->
                            new HttpProblem(401, "the caller's identity is required (" + identity.describe() + ")"));
            List<String> ids = Collections.list(request.getHeaders("Last-Event-ID"));
            if (ids.size() > 1) {
                throw HttpProblem.badRequest(
                        "the 'Last-Event-ID' header must be sent once, but was sent " + ids.size() + " times");
            }
            ResponseBodyEmitter emitter = new ResponseBodyEmitter(0L); // no timeout: the hub ends the stream
            EventHub.Handle handle = events.hub()
                    .open(
                            owner,
                            ids.isEmpty() ? null : ids.get(0),
                            identity.expiry(request),
                            new EmitterSink(emitter, events.closer()));
            emitter.onCompletion(handle::close);
            emitter.onTimeout(handle::close);
            emitter.onError(e -> handle.close());
            HttpHeaders headers = new HttpHeaders();
            EventHub.HEADERS.forEach(headers::set);
            ElbWebResponses.secure(headers);
            return ResponseEntity.ok().headers(headers).body(emitter);
        } catch (HttpProblem p) {
            p.headers().forEach(response::setHeader);
            ElbWebResponses.write(response, p.status(), p.json());
        } catch (RuntimeException e) {
            Reply r = dashboard.failure(e, method, request.getRequestURI());
            ElbWebResponses.write(response, r.status(), r.body());
        }
        return null;
    }

    /** One response as the hub's sink: each write is an emitter send (flushed), closing completes it. */
    private static final class EmitterSink implements EventHub.Sink {
        private static final MediaType EVENTS = MediaType.parseMediaType("text/event-stream;charset=utf-8");

        private final ResponseBodyEmitter emitter;
        private final Executor closer;

        EmitterSink(ResponseBodyEmitter emitter, Executor closer) {
            this.emitter = emitter;
            this.closer = closer;
        }

        @Override
        public void start() {
            // the status and headers go with the handler's ResponseEntity
        }

        @Override
        public void write(byte[] bytes) throws IOException {
            try {
                emitter.send(bytes, EVENTS);
            } catch (IllegalStateException e) {
                throw new IOException("the stream's response is complete", e);
            }
        }

        /** Completes the response on another thread: a send blocked on the client holds the emitter. */
        @Override
        public void close() {
            try {
                closer.execute(this::complete);
            } catch (RejectedExecutionException e) {
                complete();
            }
        }

        /** Completes the response; one whose client went away is already recycled by the container. */
        private void complete() {
            try {
                emitter.complete();
            } catch (RuntimeException e) {
                log.debug("event stream response already ended: {}", e.toString());
            }
        }
    }
}
