package org.elb.warmkeeper.testkit;

import java.util.HashMap;
import java.util.Map;
import org.elb.warmkeeper.core.cluster.ClusterRef;
import org.elb.warmkeeper.core.warm.ClusterReadinessProbe;
import org.elb.warmkeeper.core.warm.Readiness;

/** Readiness set by the test; clusters not set are ready. */
public final class FakeReadinessProbe implements ClusterReadinessProbe {

    private final Map<ClusterRef, Readiness> readiness = new HashMap<>();
    private final Faults faults = new Faults("memory-readiness");

    public Faults faults() {
        return faults;
    }

    public synchronized FakeReadinessProbe ready(ClusterRef cluster) {
        readiness.put(cluster, Readiness.ready());
        return this;
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
