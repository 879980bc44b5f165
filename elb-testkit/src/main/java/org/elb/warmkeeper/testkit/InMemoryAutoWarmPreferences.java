package org.elb.warmkeeper.testkit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.elb.warmkeeper.core.cluster.ClusterRef;
import org.elb.warmkeeper.core.cluster.DatabaseName;
import org.elb.warmkeeper.core.warm.AutoWarmPreference;
import org.elb.warmkeeper.core.warm.ManagedAutoWarmPreferences;

/** In-memory auto-warm preferences, with pauses; insertion order is the answer's order. */
public final class InMemoryAutoWarmPreferences implements ManagedAutoWarmPreferences {

    private final Map<ClusterRef, AutoWarmPreference> prefs = new LinkedHashMap<>();
    private final Faults faults = new Faults("memory-preferences");
    private final List<ClusterRef> readyEdges = new ArrayList<>();

    public Faults faults() {
        return faults;
    }

    /** Turns auto-warm on for a cluster with these databases, keeping its lastReady. */
    public synchronized InMemoryAutoWarmPreferences enable(ClusterRef cluster, List<DatabaseName> databases) {
        AutoWarmPreference old = prefs.get(cluster);
        prefs.put(
                cluster,
                old == null
                        ? new AutoWarmPreference(cluster, databases, false)
                        : new AutoWarmPreference(
                                cluster, databases, old.lastReady(), old.paused(), old.pausedDatabases()));
        return this;
    }

    @Override
    public void enableCluster(ClusterRef cluster, List<DatabaseName> databases) {
        enable(cluster, databases);
    }

    @Override
    public void disableCluster(ClusterRef cluster) {
        disable(cluster);
    }

    @Override
    public synchronized void enableDatabase(ClusterRef cluster, DatabaseName db) {
        faults.check("enableDatabase");
        AutoWarmPreference old = prefs.get(cluster);
        List<DatabaseName> list = new ArrayList<>(old == null ? List.of() : old.databases());
        if (!list.contains(db)) {
            list.add(db);
            enable(cluster, list);
        }
    }

    @Override
    public synchronized void disableDatabase(ClusterRef cluster, DatabaseName db) {
        faults.check("disableDatabase");
        AutoWarmPreference old = prefs.get(cluster);
        if (old != null) {
            List<DatabaseName> list = new ArrayList<>(old.databases());
            list.remove(db);
            enable(cluster, list);
        }
    }

    @Override
    public synchronized void setClusterPaused(ClusterRef cluster, boolean paused) {
        faults.check("setClusterPaused");
        AutoWarmPreference old = prefs.get(cluster);
        if (old != null) {
            prefs.put(
                    cluster,
                    new AutoWarmPreference(cluster, old.databases(), old.lastReady(), paused, old.pausedDatabases()));
        }
    }

    @Override
    public synchronized void setDatabasePaused(ClusterRef cluster, DatabaseName db, boolean paused) {
        faults.check("setDatabasePaused");
        AutoWarmPreference old = prefs.get(cluster);
        if (old != null) {
            Set<DatabaseName> dbs = new LinkedHashSet<>(old.pausedDatabases());
            if (paused) {
                dbs.add(db);
            } else {
                dbs.remove(db);
            }
            prefs.put(cluster, new AutoWarmPreference(cluster, old.databases(), old.lastReady(), old.paused(), dbs));
        }
    }

    public synchronized InMemoryAutoWarmPreferences put(AutoWarmPreference pref) {
        prefs.put(pref.cluster(), pref);
        return this;
    }

    public synchronized void disable(ClusterRef cluster) {
        prefs.remove(cluster);
    }

    @Override
    public synchronized List<AutoWarmPreference> enabledClusters() {
        faults.check("enabledClusters");
        return List.copyOf(prefs.values());
    }

    @Override
    public synchronized void recordReadiness(ClusterRef cluster, boolean ready) {
        faults.check("recordReadiness");
        AutoWarmPreference old = prefs.get(cluster);
        if (old == null) {
            return;
        }
        if (ready && !old.lastReady()) {
            readyEdges.add(cluster);
        }
        prefs.put(
                cluster, new AutoWarmPreference(cluster, old.databases(), ready, old.paused(), old.pausedDatabases()));
    }

    /** The ready edges (false -> true) recorded so far, in order. */
    public synchronized List<ClusterRef> readyEdges() {
        return List.copyOf(readyEdges);
    }
}
