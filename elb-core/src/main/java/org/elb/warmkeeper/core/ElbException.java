package org.elb.warmkeeper.core;

/**
 * Root of every exception that crosses a port. Unchecked; adapters wrap their vendor exception as
 * the cause so that no SDK type escapes a port. The message is {@linkplain Secrets#mask masked} here,
 * once for every subclass, so no credential reaches a log line or a caller through it.
 */
public class ElbException extends RuntimeException {

    public ElbException(String message) {
        super(Secrets.masked(message));
    }

    public ElbException(String message, Throwable cause) {
        super(Secrets.masked(message), cause);
    }
}
