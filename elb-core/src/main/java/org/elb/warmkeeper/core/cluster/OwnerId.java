package org.elb.warmkeeper.core.cluster;

import java.util.regex.Pattern;

/**
 * The caller that owns a job, e.g. an Entra ID object id. Every job query is scoped to it.
 * Rule: 1-128 printable ASCII characters without whitespace.
 */
public record OwnerId(String value) {

    static final Pattern PATTERN = Pattern.compile("[\\x21-\\x7E]{1,128}");

    public OwnerId {
        Checks.matches(value, "ownerId", PATTERN, "1-128 printable ASCII characters without whitespace");
    }

    public static OwnerId of(String value) {
        return new OwnerId(value);
    }

    @Override
    public String toString() {
        return value;
    }
}
