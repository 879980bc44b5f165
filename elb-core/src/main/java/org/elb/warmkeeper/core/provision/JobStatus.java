package org.elb.warmkeeper.core.provision;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * A job's status. It moves only forward: {@code queued -> running -> succeeded | failed | cancelled},
 * and {@code queued -> cancelled | failed} (a create that could not even start). Terminal states never
 * change again. Wire names are the seed's lower-case words.
 */
public enum JobStatus {
    QUEUED,
    RUNNING,
    SUCCEEDED,
    FAILED,
    CANCELLED;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<JobStatus> fromWireName(String wire) {
        for (JobStatus s : values()) {
            if (s.wireName().equals(wire)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    public boolean isTerminal() {
        return this == SUCCEEDED || this == FAILED || this == CANCELLED;
    }

    /** The statuses this one may move to (excluding itself). */
    public Set<JobStatus> successors() {
        return switch (this) {
            case QUEUED -> EnumSet.of(RUNNING, FAILED, CANCELLED);
            case RUNNING -> EnumSet.of(SUCCEEDED, FAILED, CANCELLED);
            case SUCCEEDED, FAILED, CANCELLED -> EnumSet.noneOf(JobStatus.class);
        };
    }

    /** Whether moving from this status to {@code next} is legal; staying put is legal unless terminal. */
    public boolean canMoveTo(JobStatus next) {
        return next == this ? !isTerminal() : successors().contains(next);
    }
}
