package org.elb.warmkeeper.core.provision;

import java.util.UUID;
import org.elb.warmkeeper.core.cluster.Checks;

/** A job-state row's id. */
public record JobId(UUID value) {

    public JobId {
        Checks.required(value, "jobId");
    }

    public static JobId random() {
        return new JobId(UUID.randomUUID());
    }

    /** Parses a UUID string; the message names the field when it is not one. */
    public static JobId parse(String value) {
        Checks.required(value, "jobId");
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
