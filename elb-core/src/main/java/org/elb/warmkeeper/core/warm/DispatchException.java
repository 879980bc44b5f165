package org.elb.warmkeeper.core.warm;

import org.elb.warmkeeper.core.ElbException;

/** A warmup could not be enqueued; the reconciler releases its lock and retries next tick. */
public class DispatchException extends ElbException {

    public DispatchException(String message) {
        super(message);
    }

    public DispatchException(String message, Throwable cause) {
        super(message, cause);
    }
}
