package org.elb.warmkeeper.core;

import org.jspecify.annotations.Nullable;

/**
 * Root of every exception that crosses a port. Unchecked; adapters wrap their vendor exception as
 * the cause so that no SDK type escapes a port. The message is {@linkplain Secrets#mask masked} here,
 * once for every subclass, so no credential reaches a log line or a caller through it.
 */
public class ElbException extends RuntimeException {

    public ElbException(String message) {
        super(Secrets.masked(message));
    }

    public ElbException(String message, @Nullable Throwable cause) {
        super(Secrets.masked(message), cause);
    }
}
