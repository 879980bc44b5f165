package org.elb.warmkeeper.core.version;

import org.elb.warmkeeper.core.Secrets;
import org.elb.warmkeeper.core.cluster.Checks;

/**
 * What a running service says about its version (its OpenAPI spec's {@code info.version}). A reason is
 * {@linkplain Secrets#mask masked}: it may quote the spec's URL.
 */
public sealed interface DeployedVersion {

    /** The spec was read and has a non-blank {@code info.version}. */
    record Reported(String version) implements DeployedVersion {
        public Reported {
            Checks.required(version, "version");
            if (version.isBlank()) {
                throw new IllegalArgumentException("'version' must not be blank");
            }
        }
    }

    /** The service answered but its spec has no usable version (malformed, missing field, 404). */
    record Unknown(String reason) implements DeployedVersion {
        public Unknown {
            Checks.required(reason, "reason");
            reason = Secrets.masked(reason);
        }
    }

    /** The service could not be reached (connection refused, timeout). */
    record Unreachable(String reason) implements DeployedVersion {
        public Unreachable {
            Checks.required(reason, "reason");
            reason = Secrets.masked(reason);
        }
    }

    static DeployedVersion reported(String version) {
        return new Reported(version);
    }

    static DeployedVersion unknown(String reason) {
        return new Unknown(reason);
    }

    static DeployedVersion unreachable(String reason) {
        return new Unreachable(reason);
    }
}
