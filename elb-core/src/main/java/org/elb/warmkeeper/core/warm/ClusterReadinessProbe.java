package org.elb.warmkeeper.core.warm;

import java.util.List;
import org.elb.warmkeeper.core.cluster.ClusterRef;

/** Port: can this cluster take warmups now (ARM says Running, nodes are Ready, ...)? */
@FunctionalInterface
public interface ClusterReadinessProbe {

    /**
     * @throws org.elb.warmkeeper.core.ElbException when the probe itself fails (the cluster's
     *     outcome is then ERROR, other clusters go on)
     */
    Readiness probe(ClusterRef cluster);

    /** A cluster that every probe always calls ready. */
    ClusterReadinessProbe ALWAYS_READY = cluster -> Readiness.ready();

    /**
     * Ready only when every probe says ready; asks in order and stops at the first "not ready". When one
     * of the probes is a {@link WatchingReadinessProbe}, so is the result: subscribing to it subscribes
     * to every watching probe among them.
     */
    static ClusterReadinessProbe allOf(ClusterReadinessProbe... probes) {
        List<ClusterReadinessProbe> all = List.of(probes);
        ClusterReadinessProbe composite = cluster -> {
            for (ClusterReadinessProbe probe : all) {
                Readiness readiness = probe.probe(cluster);
                if (!readiness.isReady()) {
                    return readiness;
                }
            }
            return Readiness.ready();
        };
        List<WatchingReadinessProbe> watching = all.stream()
                .filter(WatchingReadinessProbe.class::isInstance)
                .map(WatchingReadinessProbe.class::cast)
                .toList();
        if (watching.isEmpty()) {
            return composite;
        }
        return new WatchingReadinessProbe() {
            @Override
            public Readiness probe(ClusterRef cluster) {
                return composite.probe(cluster);
            }

            @Override
            public ChangeSubscription subscribe(ClusterChangeListener listener) {
                List<ChangeSubscription> subscriptions =
                        watching.stream().map(w -> w.subscribe(listener)).toList();
                return () -> subscriptions.forEach(ChangeSubscription::close);
            }

            @Override
            public String toString() {
                return "allOf" + all;
            }
        };
    }
}
