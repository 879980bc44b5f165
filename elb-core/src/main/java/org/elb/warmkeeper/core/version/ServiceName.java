package org.elb.warmkeeper.core.version;

import java.util.regex.Pattern;
import org.elb.warmkeeper.core.cluster.Checks;

/**
 * A service whose image is pinned, e.g. {@code elb-openapi}. Rule: a DNS label, 1-63 lower-case
 * letters, digits and {@code -}, starting and ending with a letter or digit (also a valid image
 * repository name).
 */
public record ServiceName(String value) {

    static final Pattern PATTERN = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

    public ServiceName {
        Checks.matches(
                value,
                "serviceName",
                PATTERN,
                "1-63 lower-case letters, digits and '-', starting and ending with a letter or digit");
    }

    public static ServiceName of(String value) {
        return new ServiceName(value);
    }

    @Override
    public String toString() {
        return value;
    }
}
