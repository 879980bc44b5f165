package org.elb.warmkeeper.core.warm;

import org.elb.warmkeeper.core.cluster.ClusterRef;

/**
 * Told by a watching probe ({@link WatchingWarmStatusProbe}, {@link WatchingReadinessProbe}) that what
 * it sees of a cluster changed in a way that may call for a warmup. Called on the probe's event thread:
 * it must return quickly and never block (the scheduler only records the cluster).
 */
@FunctionalInterface
public interface ClusterChangeListener {

    void changed(ClusterRef cluster);
}
