package org.elb.warmkeeper.core.warm;

/** A listener's subscription to a watching probe; {@link #close()} ends it (idempotent, never throws). */
@FunctionalInterface
public interface ChangeSubscription extends AutoCloseable {

    /** A subscription to nothing. */
    ChangeSubscription NONE = () -> {};

    @Override
    void close();
}
