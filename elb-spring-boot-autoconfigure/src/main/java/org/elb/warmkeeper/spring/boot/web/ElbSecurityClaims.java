package org.elb.warmkeeper.spring.boot.web;

import java.security.Principal;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.ClaimAccessor;
import org.springframework.security.oauth2.core.OAuth2AuthenticatedPrincipal;
import org.springframework.util.ClassUtils;

/**
 * The claims of a Spring Security principal: a JWT's ({@code JwtAuthenticationToken}, whose principal is
 * a {@link ClaimAccessor}) or an opaque token's or OAuth2 login's ({@link OAuth2AuthenticatedPrincipal}).
 * Loaded only when Spring Security is on the class path; the OAuth2 types only when spring-security-oauth2-core is.
 */
final class ElbSecurityClaims {

    private static final boolean OAUTH2 = ClassUtils.isPresent(
            "org.springframework.security.oauth2.core.ClaimAccessor", ElbSecurityClaims.class.getClassLoader());

    private ElbSecurityClaims() {}

    static Optional<Object> claim(Principal principal, String name) {
        Map<String, Object> claims = claims(principal);
        return claims == null ? Optional.empty() : Optional.ofNullable(claims.get(name));
    }

    static boolean hasClaims(Principal principal) {
        return claims(principal) != null;
    }

    private static @Nullable Map<String, Object> claims(Principal principal) {
        if (!OAUTH2 || !(principal instanceof Authentication a)) {
            return null;
        }
        return OAuth2.claims(a.getPrincipal());
    }

    /** Touches the OAuth2 types (loaded only when present). */
    private static final class OAuth2 {
        static @Nullable Map<String, Object> claims(@Nullable Object principal) {
            if (principal instanceof ClaimAccessor c) {
                return c.getClaims();
            }
            if (principal instanceof OAuth2AuthenticatedPrincipal o) {
                return o.getAttributes();
            }
            return null;
        }
    }
}
