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

    /**
     * For a subclass whose message is built from parts each already masked where it shows a value (a
     * configuration error that quotes a URL template such as {@code redis://[[user]:password@]host}, which
     * masking the whole message would garble): the message is kept as given.
     *
     * @param message the message, with every value in it already masked
     * @param cause the cause, or null
     * @param premasked must be true: marks this constructor's contract at the call site
     */
    protected ElbException(String message, @Nullable Throwable cause, boolean premasked) {
        super(premasked ? message : Secrets.masked(message), cause);
    }
}
