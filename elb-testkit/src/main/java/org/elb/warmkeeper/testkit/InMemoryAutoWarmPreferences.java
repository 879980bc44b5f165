package org.elb.warmkeeper.testkit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.elb.warmkeeper.core.cluster.ClusterRef;
import org.elb.warmkeeper.core.cluster.DatabaseName;
import org.elb.warmkeeper.core.warm.AutoWarmPreference;
import org.elb.warmkeeper.core.warm.AutoWarmPreferences;

/** In-memory auto-warm preferences; insertion order is the answer's order. */
public final class InMemoryAutoWarmPreferences implements AutoWarmPreferences {

    private final Map<ClusterRef, AutoWarmPreference> prefs = new LinkedHashMap<>();
    private final Faults faults = new Faults("memory-preferences");
    private final List<ClusterRef> readyEdges = new ArrayList<>();

    public Faults faults() {
        return faults;
    }

    /** Turns auto-warm on for a cluster with these databases, keeping its lastReady. */
    public synchronized InMemoryAutoWarmPreferences enable(ClusterRef cluster, List<DatabaseName> databases) {
        AutoWarmPreference old = prefs.get(cluster);
        prefs.put(cluster, new AutoWarmPreference(cluster, databases, old != null && old.lastReady()));
        return this;
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
        prefs.put(cluster, new AutoWarmPreference(cluster, old.databases(), ready));
    }

    /** The ready edges (false -> true) recorded so far, in order. */
    public synchronized List<ClusterRef> readyEdges() {
        return List.copyOf(readyEdges);
    }
}
