package org.elb.warmkeeper.runner.http;

import com.sun.net.httpserver.Headers;
import java.util.Optional;
import java.util.regex.Pattern;
import org.elb.warmkeeper.core.cluster.Checks;
import org.elb.warmkeeper.core.cluster.OwnerId;
import org.elb.warmkeeper.http.HttpProblem;

/**
 * Who is calling: the owner id that scopes every job query. A request without an identity is empty
 * (the endpoint answers 401 when it needs one); a malformed or invalid one ends the request with a
 * 400 or 401 whatever the endpoint. A header sent twice is a 400 in every mode.
 */
public interface Identity {

    /** The caller of this request, or empty when the request carries no identity. */
    Optional<OwnerId> caller(Headers headers);

    /** A word for messages and the startup line, e.g. {@code header X-Elb-Owner}. */
    String describe();

    /** The header an authenticating gateway proves itself with ({@link #gateway}). */
    String GATEWAY_SECRET_HEADER = "X-Elb-Gateway-Secret";

    /**
     * Trusts the owner {@code header} only on a request that carries the gateway's {@code secret} in
     * {@value #GATEWAY_SECRET_HEADER} (compared in constant time); any other request is a 401, whatever
     * it claims.
     */
    static Identity gateway(String header, String secret) {
        Identity owner = header(header);
        byte[] expected = Checks.required(secret, "secret").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return new Identity() {
            @Override
            public Optional<OwnerId> caller(Headers headers) {
                byte[] sent = Request.single(headers, GATEWAY_SECRET_HEADER)
                        .orElse("")
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8);
                if (!java.security.MessageDigest.isEqual(expected, sent)) {
                    throw new HttpProblem(
                            401, "the request did not come through the gateway (" + GATEWAY_SECRET_HEADER + ")");
                }
                return owner.caller(headers);
            }

            @Override
            public String describe() {
                return owner.describe() + " from the gateway";
            }
        };
    }

    /** Trusts a header set by an authenticating gateway in front of the runner. */
    static Identity header(String name) {
        String header =
                Checks.matches(name, "ownerHeader", Pattern.compile("[A-Za-z0-9-]{1,64}"), "an HTTP header name");
        return new Identity() {
            @Override
            public Optional<OwnerId> caller(Headers headers) {
                Optional<String> value = Request.single(headers, header);
                if (value.isEmpty() || value.get().isBlank()) {
                    return Optional.empty();
                }
                String v = value.get().strip();
                if (v.indexOf(',') >= 0) {
                    throw HttpProblem.badRequest(
                            "the '" + header + "' header must hold one owner id, but holds a list");
                }
                try {
                    return Optional.of(OwnerId.of(v));
                } catch (IllegalArgumentException e) {
                    throw HttpProblem.badRequest("the '" + header + "' header must be an owner id: " + e.getMessage());
                }
            }

            @Override
            public String describe() {
                return "header " + header;
            }
        };
    }
}
