package org.elb.warmkeeper.spring.boot.web;

import jakarta.servlet.http.HttpServletRequest;
import java.security.Principal;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.elb.warmkeeper.core.cluster.Checks;
import org.elb.warmkeeper.core.cluster.OwnerId;
import org.elb.warmkeeper.http.HttpProblem;
import org.jspecify.annotations.Nullable;
import org.springframework.util.ClassUtils;

/**
 * Who calls: the owner id that scopes every job query, by {@code elb.http.identity}:
 * <ul>
 *   <li>{@code jwt} (the default): the request's authenticated principal (Spring Security's): its token's
 *       claim {@code elb.http.jwt.owner-claim} (default {@code oid}), or, for a principal without claims (a
 *       form or basic login), its name. A request without one (or with an anonymous one) has no caller:
 *       the endpoint answers 401. The owner header is never read for the owner.
 *   <li>{@code header}: the header an authenticating gateway sets ({@code elb.http.owner-header}, default
 *       {@code X-Elb-Owner}), trusted as sent, with the runner's rules; the principal is not read.
 * </ul>
 * The owner header sent twice is a 400 in both modes (behind a proxy that appends, the client would
 * otherwise choose the value).
 */
final class ElbCaller {

    /** How the caller is identified. */
    enum Mode {
        JWT,
        HEADER
    }

    private static final boolean SECURITY =
            ClassUtils.isPresent("org.springframework.security.core.Authentication", ElbCaller.class.getClassLoader());

    private final Mode mode;
    private final String header;
    private final String claim;

    ElbCaller(Mode mode, String header, String claim) {
        this.mode = Checks.required(mode, "mode");
        this.header = Checks.matches(
                header, "elb.http.owner-header", Pattern.compile("[A-Za-z0-9-]{1,64}"), "an HTTP header name");
        this.claim = Checks.required(claim, "claim");
    }

    Mode mode() {
        return mode;
    }

    String header() {
        return header;
    }

    /** For the 401 of a request without a caller, worded as the runner's. */
    String describe() {
        return mode == Mode.HEADER
                ? "header " + header
                : "an authenticated principal (elb.http.identity=jwt, owner claim '" + claim + "')";
    }

    Optional<OwnerId> caller(HttpServletRequest request) {
        List<String> values = Collections.list(request.getHeaders(header));
        if (values.size() > 1) {
            throw HttpProblem.badRequest(
                    "the '" + header + "' header must be sent once, but was sent " + values.size() + " times");
        }
        if (mode == Mode.JWT) {
            Principal principal = authenticated(request);
            return principal == null ? Optional.empty() : Optional.of(fromPrincipal(principal));
        }
        if (values.isEmpty() || values.get(0).isBlank()) {
            return Optional.empty();
        }
        String v = values.get(0).strip();
        if (v.indexOf(',') >= 0) {
            throw HttpProblem.badRequest("the '" + header + "' header must hold one owner id, but holds a list");
        }
        try {
            return Optional.of(OwnerId.of(v));
        } catch (IllegalArgumentException e) {
            throw HttpProblem.badRequest("the '" + header + "' header must be an owner id: " + e.getMessage());
        }
    }

    /** When the caller's token expires (an event stream ends then), or null (header mode, no expiry). */
    @Nullable Instant expiry(HttpServletRequest request) {
        if (mode != Mode.JWT || !SECURITY) {
            return null;
        }
        Principal principal = authenticated(request);
        return principal == null ? null : ElbSecurityClaims.expiry(principal);
    }

    /** The request's principal unless absent, anonymous or not authenticated. */
    private static @Nullable Principal authenticated(HttpServletRequest request) {
        Principal principal = request.getUserPrincipal();
        if (principal == null) {
            return null;
        }
        if (SECURITY && !ElbSecurityClaims.authenticated(principal)) {
            return null;
        }
        return principal;
    }

    private OwnerId fromPrincipal(Principal principal) {
        Optional<Object> claims = SECURITY ? ElbSecurityClaims.claim(principal, claim) : Optional.empty();
        String owner;
        if (claims.isPresent()) {
            Object value = claims.get();
            if (!(value instanceof String s)) {
                throw new HttpProblem(401, "the principal's '" + claim + "' claim must be a string");
            }
            owner = s;
        } else if (SECURITY && ElbSecurityClaims.hasClaims(principal)) {
            throw new HttpProblem(401, "the principal has no '" + claim + "' claim");
        } else {
            owner = principal.getName();
        }
        try {
            return OwnerId.of(owner);
        } catch (IllegalArgumentException e) {
            throw new HttpProblem(401, "the principal's '" + claim + "' claim is not an owner id");
        }
    }
}
