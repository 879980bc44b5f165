package org.elb.warmkeeper.core.warm;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.elb.warmkeeper.core.cluster.Checks;
import org.elb.warmkeeper.core.cluster.ClusterRef;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The listeners of a {@link ClusterChangeSource}, for its implementations: {@link #subscribe} hands out
 * a subscription, {@link #changed} tells every listener (one that throws is logged and the others are
 * still told). Thread-safe; notifying with no listener costs a volatile read.
 */
public final class ChangeListeners implements ClusterChangeSource {

    private static final Logger log = LoggerFactory.getLogger(ChangeListeners.class);

    private final List<ClusterChangeListener> listeners = new CopyOnWriteArrayList<>();

    @Override
    public ChangeSubscription subscribe(ClusterChangeListener listener) {
        Checks.required(listener, "listener");
        // one entry per subscription, so that closing one of two equal subscriptions leaves the other
        ClusterChangeListener entry = listener::changed;
        listeners.add(entry);
        return () -> listeners.remove(entry);
    }

    /** Tells every listener that {@code cluster} changed. */
    public void changed(ClusterRef cluster) {
        for (ClusterChangeListener l : listeners) {
            try {
                l.changed(cluster);
            } catch (RuntimeException e) {
                log.warn("a change listener failed for cluster {}: {}", cluster.display(), e.toString());
            }
        }
    }

    /** Whether anyone listens (an implementation may skip working out a change when nobody does). */
    public boolean hasListeners() {
        return !listeners.isEmpty();
    }
}
