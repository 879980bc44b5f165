/**
 * The framework-free pieces of the dashboard's HTTP API, shared by every server that serves it (the
 * Spring Boot starter's web layer, the runner): {@link HttpProblem} (a request's 4xx/5xx outcome and its
 * JSON body), {@link StrictJson} (request bodies read strictly), {@link QueryString} (query strings
 * decoded once, strictly), {@link EventHub} (the {@code GET /api/events} streams: fan-out, replay,
 * caps, expiry), {@link StatusPage} (the status page's files) and {@link OpenApiDocument} (the
 * {@code /openapi.json} document of a list of {@link RouteDoc}s, {@link DashboardRoutes} the dashboard's).
 * No type of a web framework or of an HTTP server appears here: a server adapts its request and
 * response to these.
 */
@NullMarked
package org.elb.warmkeeper.http;

import org.jspecify.annotations.NullMarked;
