package org.elb.warmkeeper.spring.boot.web;

import jakarta.servlet.http.HttpServletRequest;
import java.security.Principal;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.elb.warmkeeper.core.cluster.OwnerId;
import org.springframework.util.ClassUtils;

/**
 * Who calls: the owner id that scopes every job query. When the request has a principal (Spring
 * Security's authentication), the owner is its token's claim {@code elb.http.jwt.owner-claim} (default
 * {@code oid}), or, for a principal without claims (a form or basic login), its name; the header is then
 * not read for the owner. Without a principal, the owner is the gateway's header
 * ({@code elb.http.owner-header}, default {@code X-Elb-Owner}). The header sent twice is a 400 either way.
 */
final class ElbCaller {

    private static final boolean SECURITY =
            ClassUtils.isPresent("org.springframework.security.core.Authentication", ElbCaller.class.getClassLoader());

    private final String header;
    private final String claim;

    ElbCaller(String header, String claim) {
        this.header = header;
        this.claim = claim;
    }

    /**
     * For the 401 of a request with neither a principal nor the header, worded as the runner's (an
     * application whose Spring Security requires authentication answers such a request itself, first).
     */
    String describe() {
        return "header " + header;
    }

    Optional<OwnerId> caller(HttpServletRequest request) {
        List<String> values = Collections.list(request.getHeaders(header));
        if (values.size() > 1) {
            throw ElbWebProblem.badRequest(
                    "the '" + header + "' header must be sent once, but was sent " + values.size() + " times");
        }
        Principal principal = request.getUserPrincipal();
        if (principal != null) {
            return Optional.of(fromPrincipal(principal));
        }
        if (values.isEmpty() || values.get(0).isBlank()) {
            return Optional.empty();
        }
        String v = values.get(0).strip();
        if (v.indexOf(',') >= 0) {
            throw ElbWebProblem.badRequest("the '" + header + "' header must hold one owner id, but holds a list");
        }
        try {
            return Optional.of(OwnerId.of(v));
        } catch (IllegalArgumentException e) {
            throw ElbWebProblem.badRequest("the '" + header + "' header must be an owner id: " + e.getMessage());
        }
    }

    private OwnerId fromPrincipal(Principal principal) {
        Optional<Object> claims = SECURITY ? ElbSecurityClaims.claim(principal, claim) : Optional.empty();
        String owner;
        if (claims.isPresent()) {
            Object value = claims.get();
            if (!(value instanceof String s)) {
                throw new ElbWebProblem(401, "the principal's '" + claim + "' claim must be a string");
            }
            owner = s;
        } else if (SECURITY && ElbSecurityClaims.hasClaims(principal)) {
            throw new ElbWebProblem(401, "the principal has no '" + claim + "' claim");
        } else {
            owner = principal.getName();
        }
        try {
            return OwnerId.of(owner);
        } catch (IllegalArgumentException e) {
            throw new ElbWebProblem(401, "the principal's '" + claim + "' claim is not an owner id");
        }
    }
}
