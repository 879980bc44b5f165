package org.elb.warmkeeper.core.warm;

/**
 * What a watching probe adds to its port: listeners told of changes as the backend reports them.
 * Implemented through {@link WatchingWarmStatusProbe} and {@link WatchingReadinessProbe};
 * {@link ChangeListeners} holds the listeners for an implementation.
 */
public interface ClusterChangeSource {

    /**
     * Tells {@code listener} of every later change until the returned subscription is closed.
     * A listener that throws is logged and stays subscribed; it never stops the probe.
     */
    ChangeSubscription subscribe(ClusterChangeListener listener);
}
