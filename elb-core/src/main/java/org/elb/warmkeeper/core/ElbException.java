package org.elb.warmkeeper.core;

import org.jspecify.annotations.Nullable;

/**
 * Root of every exception that crosses a port. Unchecked; adapters wrap their vendor exception as
 * the cause so that no SDK type escapes a port.
 */
public class ElbException extends RuntimeException {

    public ElbException(String message) {
        super(message);
    }

    public ElbException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }
}
