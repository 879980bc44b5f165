package org.elb.warmkeeper.core.provision;

import java.util.UUID;
import java.util.regex.Pattern;
import org.elb.warmkeeper.core.cluster.Checks;

/** A job-state row's id. */
public record JobId(UUID value) {

    /** The canonical 8-4-4-4-12 form; {@link UUID#fromString} alone also takes {@code 1-2-3-4-5}. */
    private static final Pattern CANONICAL =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    public JobId {
        Checks.required(value, "jobId");
    }

    public static JobId random() {
        return new JobId(UUID.randomUUID());
    }

    /** Parses a UUID string; the message names the field when it is not one. */
    public static JobId parse(String value) {
        Checks.required(value, "jobId");
        if (!CANONICAL.matcher(value).matches()) {
            throw new IllegalArgumentException(
                    "'jobId' must be a UUID (8-4-4-4-12 hex digits), but was '" + value + "'");
        }
        try {
            return new JobId(UUID.fromString(value));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'jobId' must be a UUID, but was '" + value + "'", e);
        }
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
