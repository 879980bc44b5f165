package org.elb.warmkeeper.testkit;

import java.util.HashMap;
import java.util.Map;
import org.elb.warmkeeper.core.cluster.ClusterRef;
import org.elb.warmkeeper.core.warm.ChangeListeners;
import org.elb.warmkeeper.core.warm.ChangeSubscription;
import org.elb.warmkeeper.core.warm.ClusterChangeListener;
import org.elb.warmkeeper.core.warm.Readiness;
import org.elb.warmkeeper.core.warm.WatchingReadinessProbe;

/**
 * Readiness set by the test; clusters not set are ready. A watching probe, as the informer-backed one
 * is: {@link #ready} tells the subscribers when a cluster that was not ready becomes ready.
 */
public final class FakeReadinessProbe implements WatchingReadinessProbe {

    private final Map<ClusterRef, Readiness> readiness = new HashMap<>();
    private final Faults faults = new Faults("memory-readiness");
    private final ChangeListeners listeners = new ChangeListeners();

    public Faults faults() {
        return faults;
    }

    /** Makes the cluster ready; subscribers are told (after the change) when it was not ready before. */
    public FakeReadinessProbe ready(ClusterRef cluster) {
        Readiness before;
        synchronized (this) {
            before = readiness.put(cluster, Readiness.ready());
        }
        if (before != null && !before.isReady()) {
            listeners.changed(cluster);
        }
        return this;
    }

    @Override
    public ChangeSubscription subscribe(ClusterChangeListener listener) {
        return listeners.subscribe(listener);
    }

    public synchronized FakeReadinessProbe notReady(ClusterRef cluster, String reason) {
        readiness.put(cluster, Readiness.notReady(reason));
        return this;
    }

    @Override
    public synchronized Readiness probe(ClusterRef cluster) {
        faults.check("probe");
        return readiness.getOrDefault(cluster, Readiness.ready());
    }
}
