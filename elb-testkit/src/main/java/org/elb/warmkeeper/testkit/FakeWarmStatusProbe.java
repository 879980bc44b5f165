package org.elb.warmkeeper.testkit;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.elb.warmkeeper.core.cluster.ClusterRef;
import org.elb.warmkeeper.core.cluster.DatabaseName;
import org.elb.warmkeeper.core.warm.ChangeListeners;
import org.elb.warmkeeper.core.warm.ChangeSubscription;
import org.elb.warmkeeper.core.warm.ClusterChangeListener;
import org.elb.warmkeeper.core.warm.WarmStatus;
import org.elb.warmkeeper.core.warm.WatchingWarmStatusProbe;
import org.jspecify.annotations.Nullable;

/**
 * Statuses set by the test; unset databases are ABSENT. Faults are per probe or per cluster.
 *
 * <p>A watching probe, as the informer-backed one is: {@link #set} tells the subscribers when a database
 * leaves READY or LOADING, and {@link #announce} tells them of a change the test makes up (e.g. an
 * informer event that changes nothing), so that a harness drives the scheduler's reaction.
 */
public final class FakeWarmStatusProbe implements WatchingWarmStatusProbe {

    private final Map<ClusterRef, Map<DatabaseName, WarmStatus>> statuses = new HashMap<>();
    private final Map<ClusterRef, Faults> clusterFaults = new HashMap<>();
    private final Faults faults = new Faults("memory-warm-status");
    private int calls;
    private final ChangeListeners listeners = new ChangeListeners();

    public Faults faults() {
        return faults;
    }

    /** Faults for one cluster only. */
    public synchronized Faults faults(ClusterRef cluster) {
        return clusterFaults.computeIfAbsent(cluster, c -> new Faults("memory-warm-status:" + c.clusterName()));
    }

    /** Sets a status; subscribers are told (after the status is set) when the database leaves READY/LOADING. */
    public FakeWarmStatusProbe set(ClusterRef cluster, DatabaseName db, WarmStatus status) {
        WarmStatus before;
        synchronized (this) {
            before = statuses.computeIfAbsent(cluster, c -> new HashMap<>()).put(db, status);
        }
        if (holdsWarm(before) && !holdsWarm(status)) {
            listeners.changed(cluster);
        }
        return this;
    }

    /** Tells the subscribers that {@code cluster} changed, whether or not a status did. */
    public FakeWarmStatusProbe announce(ClusterRef cluster) {
        listeners.changed(cluster);
        return this;
    }

    @Override
    public ChangeSubscription subscribe(ClusterChangeListener listener) {
        return listeners.subscribe(listener);
    }

    private static boolean holdsWarm(@Nullable WarmStatus status) {
        return status == WarmStatus.READY || status == WarmStatus.LOADING;
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
