package org.elb.warmkeeper.runner.http;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import com.sun.net.httpserver.Headers;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URI;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.util.Date;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.elb.warmkeeper.core.cluster.Checks;
import org.elb.warmkeeper.core.cluster.OwnerId;
import org.elb.warmkeeper.http.HttpProblem;
import org.jspecify.annotations.Nullable;

/**
 * The caller from a validated bearer JWT ({@code Authorization: Bearer <jws>}): signed RS256 or ES256
 * by a key of the configured JWKS (a file, or a URL fetched and cached), issued by {@code issuer} for
 * {@code audience}, within its {@code exp}/{@code nbf} give or take the clock skew; the owner is the
 * string claim {@code ownerClaim} (default {@value #DEFAULT_OWNER_CLAIM}, Entra ID's object id, the
 * seed's {@code owner_oid}). A missing header is no identity (401 where one is needed); an invalid
 * token is a 401 saying why in general terms, never quoting the token. The Authorization header, and
 * the gateway header if named, sent twice are a 400.
 */
public final class JwtIdentity implements Identity {

    public static final String DEFAULT_OWNER_CLAIM = "oid";
    public static final Duration DEFAULT_CLOCK_SKEW = Duration.ofSeconds(60);
    /** Tokens longer than this are refused before parsing. */
    static final int MAX_TOKEN_CHARS = 16 * 1024;

    private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
    private final String ownerClaim;
    private final @Nullable String gatewayHeader;
    private final String description;

    private JwtIdentity(Builder b, JWKSource<SecurityContext> keys) {
        this.ownerClaim = b.ownerClaim;
        this.gatewayHeader = b.gatewayHeader;
        this.description = "bearer JWT from " + b.issuer + " for " + b.audience + " (claim " + b.ownerClaim + ")";
        processor.setJWSKeySelector(
                new JWSVerificationKeySelector<>(Set.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256), keys));
        Clock clock = b.clock;
        DefaultJWTClaimsVerifier<SecurityContext> claims =
                new DefaultJWTClaimsVerifier<>(
                        Set.of(b.audience),
                        new JWTClaimsSet.Builder().issuer(b.issuer).build(),
                        Set.of("exp", b.ownerClaim),
                        null) {
                    @Override
                    protected Date currentTime() {
                        return Date.from(clock.instant());
                    }
                };
        claims.setMaxClockSkew((int) b.clockSkew.toSeconds());
        processor.setJWTClaimsSetVerifier(claims);
    }

    /** Starts a builder: the issuer ({@code iss}) and audience ({@code aud}) a token must carry. */
    public static Builder builder(String issuer, String audience) {
        return new Builder(issuer, audience);
    }

    @Override
    public Optional<OwnerId> caller(Headers headers) {
        if (gatewayHeader != null) {
            Request.single(headers, gatewayHeader);
        }
        Optional<String> authorization = Request.single(headers, "Authorization");
        if (authorization.isEmpty()) {
            return Optional.empty();
        }
        String value = authorization.get().strip();
        if (value.length() < 7
                || !value.substring(0, 7).toLowerCase(Locale.ROOT).equals("bearer ")) {
            throw new HttpProblem(401, "the Authorization header must be 'Bearer <token>'");
        }
        String token = value.substring(7).strip();
        if (token.isEmpty() || token.length() > MAX_TOKEN_CHARS) {
            throw new HttpProblem(401, "invalid bearer token: empty or longer than " + MAX_TOKEN_CHARS + " characters");
        }
        JWTClaimsSet claims;
        try {
            claims = processor.process(token, null);
        } catch (ParseException e) {
            throw new HttpProblem(401, "invalid bearer token: not a signed JWT");
        } catch (BadJWTException e) {
            throw new HttpProblem(401, "invalid bearer token: " + claimsProblem(e));
        } catch (BadJOSEException e) {
            throw new HttpProblem(401, "invalid bearer token: signature, algorithm or key not accepted");
        } catch (KeySourceException e) {
            throw new HttpProblem(503, "the issuer's keys (JWKS) could not be fetched; retry later");
        } catch (JOSEException | RuntimeException e) {
            throw new HttpProblem(401, "invalid bearer token: it could not be verified");
        }
        Object owner = claims.getClaim(ownerClaim);
        if (!(owner instanceof String s) || s.isBlank()) {
            throw new HttpProblem(401, "invalid bearer token: the '" + ownerClaim + "' claim must be a string");
        }
        try {
            return Optional.of(OwnerId.of(s));
        } catch (IllegalArgumentException e) {
            throw new HttpProblem(401, "invalid bearer token: the '" + ownerClaim + "' claim is not an owner id");
        }
    }

    /** Nimbus's claim messages name the rule (expired, audience, issuer, missing claim) and never the token. */
    private static String claimsProblem(BadJWTException e) {
        String m = e.getMessage() == null ? "claims not accepted" : e.getMessage();
        return m.length() > 120 ? m.substring(0, 120) : m;
    }

    @Override
    public String describe() {
        return description;
    }

    /** Builder of {@link JwtIdentity}; exactly one of {@link #jwksFile} and {@link #jwksUrl} is required. */
    public static final class Builder {
        private final String issuer;
        private final String audience;
        private @Nullable Path jwksFile;
        private @Nullable URI jwksUrl;
        private String ownerClaim = DEFAULT_OWNER_CLAIM;
        private Duration clockSkew = DEFAULT_CLOCK_SKEW;
        private Clock clock = Clock.systemUTC();
        private @Nullable String gatewayHeader = HttpApi.DEFAULT_OWNER_HEADER;

        private Builder(String issuer, String audience) {
            this.issuer = Checks.required(issuer, "issuer");
            this.audience = Checks.required(audience, "audience");
        }

        /** The keys, read once from a JWKS file. */
        public Builder jwksFile(Path jwksFile) {
            this.jwksFile = Checks.required(jwksFile, "jwksFile");
            return this;
        }

        /** The keys, fetched from a JWKS URL and cached (refreshed on an unknown key id, rate limited). */
        public Builder jwksUrl(URI jwksUrl) {
            this.jwksUrl = Checks.required(jwksUrl, "jwksUrl");
            return this;
        }

        /** The string claim that is the owner id. Default {@value #DEFAULT_OWNER_CLAIM}. */
        public Builder ownerClaim(String ownerClaim) {
            this.ownerClaim = Checks.required(ownerClaim, "ownerClaim");
            return this;
        }

        /** Tolerance on {@code exp} and {@code nbf}. Default 60 s. */
        public Builder clockSkew(Duration clockSkew) {
            Checks.required(clockSkew, "clockSkew");
            if (clockSkew.isNegative() || clockSkew.toSeconds() > 3600) {
                throw new IllegalArgumentException("'clockSkew' must be between 0 and PT1H, but was " + clockSkew);
            }
            this.clockSkew = clockSkew;
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Checks.required(clock, "clock");
            return this;
        }

        /**
         * A gateway identity header that must not be sent twice even though it is not trusted in this
         * mode (default {@value HttpApi#DEFAULT_OWNER_HEADER}); null for none.
         */
        public Builder gatewayHeader(@Nullable String gatewayHeader) {
            this.gatewayHeader = gatewayHeader;
            return this;
        }

        /**
         * @throws IllegalArgumentException when not exactly one key source is set, or the JWKS file
         *     cannot be read or parsed
         */
        public JwtIdentity build() {
            if ((jwksFile == null) == (jwksUrl == null)) {
                throw new IllegalArgumentException("exactly one of 'jwksFile' and 'jwksUrl' is required");
            }
            JWKSource<SecurityContext> keys;
            if (jwksFile != null) {
                try {
                    keys = new ImmutableJWKSet<>(JWKSet.load(jwksFile.toFile()));
                } catch (IOException | ParseException e) {
                    throw new IllegalArgumentException(
                            "'jwksFile' " + jwksFile + " is not a readable JWKS: " + e.getMessage(), e);
                }
            } else {
                try {
                    keys = JWKSourceBuilder.create(jwksUrl.toURL())
                            .retrying(true)
                            .build();
                } catch (MalformedURLException | IllegalArgumentException e) {
                    throw new IllegalArgumentException("'jwksUrl' must be an http(s) URL: " + e.getMessage(), e);
                }
            }
            return new JwtIdentity(this, keys);
        }
    }
}
