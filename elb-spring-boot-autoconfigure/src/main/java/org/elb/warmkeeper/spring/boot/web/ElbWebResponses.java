package org.elb.warmkeeper.spring.boot.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Locale;
import org.elb.warmkeeper.http.HttpProblem;
import org.elb.warmkeeper.json.WireJson;
import org.springframework.http.HttpHeaders;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;

/**
 * What every answer of the web layer has in common: {@code Cache-Control: no-store},
 * {@code X-Content-Type-Options: nosniff} and {@code X-Frame-Options: DENY} on every response (errors
 * and streams too), and the rule that a state-changing request (POST, PUT) is JSON or nothing: a body or
 * a {@code Content-Type} other than {@code application/json} is a 415, so a form or a {@code text/plain}
 * request from another site's page never changes anything.
 */
final class ElbWebResponses {

    private ElbWebResponses() {}

    /** The headers of every response. */
    static void secure(HttpHeaders headers) {
        headers.setCacheControl("no-store");
        headers.set("X-Content-Type-Options", "nosniff");
        headers.set("X-Frame-Options", "DENY");
    }

    static void secure(HttpServletResponse response) {
        response.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("X-Frame-Options", "DENY");
    }

    /** A 415 unless a POST or PUT is sent as {@code application/json}, or without a body and a type. */
    static void jsonOnly(HttpServletRequest request) {
        String method = request.getMethod().toUpperCase(Locale.ROOT);
        if (!method.equals("POST") && !method.equals("PUT")) {
            return;
        }
        String type = request.getContentType();
        boolean body = request.getContentLengthLong() > 0 || request.getHeader("Transfer-Encoding") != null;
        if (type == null || type.isBlank()) {
            if (body) {
                throw new HttpProblem(
                        415, "the request body must be sent as application/json, but had no Content-Type");
            }
            return;
        }
        MediaType media;
        try {
            media = MediaType.parseMediaType(type);
        } catch (InvalidMediaTypeException e) {
            throw new HttpProblem(415, "the Content-Type '" + HttpProblem.echo(type) + "' is not a media type");
        }
        if (!MediaType.APPLICATION_JSON.equalsTypeAndSubtype(media)) {
            throw new HttpProblem(
                    415,
                    "a " + method + " takes only application/json, but the request was sent as '"
                            + HttpProblem.echo(type) + "'");
        }
    }

    /** Writes a JSON answer straight to the response (where no return value can carry it). */
    static void write(HttpServletResponse response, int status, JsonNode body) throws IOException {
        response.setStatus(status);
        secure(response);
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        response.getOutputStream().write(bytes(body));
        response.flushBuffer();
    }

    static byte[] bytes(JsonNode body) {
        try {
            return WireJson.mapper().writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a JSON tree", e);
        }
    }
}
