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
