package org.elb.warmkeeper.testkit;

import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.elb.warmkeeper.core.cluster.ClusterRef;
import org.elb.warmkeeper.core.cluster.DatabaseName;
import org.elb.warmkeeper.core.warm.DatabaseInventory;

/** In-memory downloaded-database inventory; counts batched calls. */
public final class InMemoryDatabaseInventory implements DatabaseInventory {

    private final Map<ClusterRef, Set<DatabaseName>> downloaded = new HashMap<>();
    private final Faults faults = new Faults("memory-inventory");
    private int calls;

    public Faults faults() {
        return faults;
    }

    public synchronized InMemoryDatabaseInventory markDownloaded(ClusterRef cluster, DatabaseName... dbs) {
        Set<DatabaseName> set = downloaded.computeIfAbsent(cluster, c -> new TreeSet<>());
        set.addAll(java.util.List.of(dbs));
        return this;
    }

    public synchronized void remove(ClusterRef cluster, DatabaseName db) {
        downloaded.getOrDefault(cluster, new TreeSet<>()).remove(db);
    }

    @Override
    public synchronized Set<DatabaseName> downloaded(ClusterRef cluster) {
        calls++;
        faults.check("downloaded");
        return Set.copyOf(downloaded.getOrDefault(cluster, Set.of()));
    }

    @Override
    public synchronized Map<ClusterRef, Set<DatabaseName>> downloaded(Collection<ClusterRef> clusters) {
        calls++;
        faults.check("downloaded");
        Map<ClusterRef, Set<DatabaseName>> out = new LinkedHashMap<>();
        clusters.forEach(c -> out.put(c, Set.copyOf(downloaded.getOrDefault(c, Set.of()))));
        return out;
    }

    /** Calls made, single or batched. */
    public synchronized int calls() {
        return calls;
    }
}
