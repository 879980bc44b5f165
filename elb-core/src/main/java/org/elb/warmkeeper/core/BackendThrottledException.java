package org.elb.warmkeeper.core;

import java.time.Duration;

/**
 * A backend refused the call because the caller is over its rate (HTTP 429, ARM's read throttling) and
 * said when to come back. Callers that ask again before {@link #retryAfter()} only deepen the
 * throttling.
 */
public class BackendThrottledException extends BackendUnavailableException {

    private final Duration retryAfter;

    public BackendThrottledException(
            String backend, String operation, String message, Duration retryAfter, Throwable cause) {
        super(backend, operation, message + " (retry after " + retryAfter.toSeconds() + " s)", cause);
        if (retryAfter.isNegative()) {
            throw new IllegalArgumentException("'retryAfter' must not be negative, but was " + retryAfter);
        }
        this.retryAfter = retryAfter;
    }

    /** How long the backend asked callers to wait. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
