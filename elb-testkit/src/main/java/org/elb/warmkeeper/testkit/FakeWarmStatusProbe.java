package org.elb.warmkeeper.testkit;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.elb.warmkeeper.core.cluster.ClusterRef;
import org.elb.warmkeeper.core.cluster.DatabaseName;
import org.elb.warmkeeper.core.warm.WarmStatus;
import org.elb.warmkeeper.core.warm.WarmStatusProbe;

/** Statuses set by the test; unset databases are ABSENT. Faults are per probe or per cluster. */
public final class FakeWarmStatusProbe implements WarmStatusProbe {

    private final Map<ClusterRef, Map<DatabaseName, WarmStatus>> statuses = new HashMap<>();
    private final Map<ClusterRef, Faults> clusterFaults = new HashMap<>();
    private final Faults faults = new Faults("memory-warm-status");
    private int calls;

    public Faults faults() {
        return faults;
    }

    /** Faults for one cluster only. */
    public synchronized Faults faults(ClusterRef cluster) {
        return clusterFaults.computeIfAbsent(cluster, c -> new Faults("memory-warm-status:" + c.clusterName()));
    }

    public synchronized FakeWarmStatusProbe set(ClusterRef cluster, DatabaseName db, WarmStatus status) {
        statuses.computeIfAbsent(cluster, c -> new HashMap<>()).put(db, status);
        return this;
    }

    @Override
    public synchronized Map<DatabaseName, WarmStatus> statuses(ClusterRef cluster, Set<DatabaseName> databases) {
        calls++;
        faults.check("statuses");
        Faults perCluster = clusterFaults.get(cluster);
        if (perCluster != null) {
            perCluster.check("statuses");
        }
        Map<DatabaseName, WarmStatus> known = statuses.getOrDefault(cluster, Map.of());
        Map<DatabaseName, WarmStatus> out = new LinkedHashMap<>();
        databases.forEach(db -> out.put(db, known.getOrDefault(db, WarmStatus.ABSENT)));
        return out;
    }

    public synchronized int calls() {
        return calls;
    }
}
