package org.elb.warmkeeper.testkit;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.elb.warmkeeper.core.cluster.ClusterRef;
import org.elb.warmkeeper.core.cluster.DatabaseName;
import org.elb.warmkeeper.core.warm.ClusterReadinessProbe;
import org.elb.warmkeeper.core.warm.DatabaseInventory;
import org.elb.warmkeeper.core.warm.DispatchOutcome;
import org.elb.warmkeeper.core.warm.DispatchResult;
import org.elb.warmkeeper.core.warm.Readiness;
import org.elb.warmkeeper.core.warm.WarmStatus;
import org.elb.warmkeeper.core.warm.WarmStatusProbe;
import org.elb.warmkeeper.core.warm.WarmupDispatcher;
import org.elb.warmkeeper.core.warm.WarmupRequest;

/**
 * A few clusters and databases in which warmups progress as time steps: an enqueued warmup stays
 * ABSENT for {@code hiddenSteps} (download, shard, plan: the phases Kubernetes cannot see, which the
 * in-flight lock covers), is LOADING for {@code loadingSteps}, then READY. A cluster may become ready
 * only after some steps. One object plays four ports: readiness, inventory, warm status and dispatcher
 * (idempotent: a warmup in progress answers ALREADY_RUNNING). Thread-safe; counts calls per port.
 */
public final class SimulatedWorld
        implements ClusterReadinessProbe, DatabaseInventory, WarmStatusProbe, WarmupDispatcher {

    private static final class Db {
        boolean downloaded;
        WarmStatus base = WarmStatus.ABSENT;
        long enqueuedAt = -1;
        int enqueues;
        int failuresLeft;
        boolean failing;
    }

    private static final class Cluster {
        long readyAtStep;
        final Map<DatabaseName, Db> dbs = new LinkedHashMap<>();
    }

    private final Map<ClusterRef, Cluster> clusters = new LinkedHashMap<>();
    private final int hiddenSteps;
    private final int loadingSteps;
    private long step;
    private int statusCalls;
    private int dispatchCalls;

    /** @param hiddenSteps steps an enqueued warmup stays ABSENT; @param loadingSteps steps it is LOADING */
    public SimulatedWorld(int hiddenSteps, int loadingSteps) {
        if (hiddenSteps < 0 || loadingSteps < 0) {
            throw new IllegalArgumentException("'hiddenSteps' and 'loadingSteps' must not be negative");
        }
        this.hiddenSteps = hiddenSteps;
        this.loadingSteps = loadingSteps;
    }

    /** Adds a cluster that becomes ready at step {@code readyAtStep} (0: ready now). */
    public synchronized SimulatedWorld cluster(ClusterRef cluster, long readyAtStep) {
        clusters.computeIfAbsent(cluster, c -> new Cluster()).readyAtStep = readyAtStep;
        return this;
    }

    /** Adds a database to a cluster, downloaded or not, with its current status. */
    public synchronized SimulatedWorld database(
            ClusterRef cluster, DatabaseName db, boolean downloaded, WarmStatus status) {
        Db d = cluster(cluster).dbs.computeIfAbsent(db, k -> new Db());
        d.downloaded = downloaded;
        d.base = status;
        d.enqueuedAt = -1;
        return this;
    }

    /** The warmup pod of a database went away (deleted, evicted): it reads ABSENT until enqueued again. */
    public synchronized void evict(ClusterRef cluster, DatabaseName db) {
        Db d = db(cluster, db);
        d.base = WarmStatus.ABSENT;
        d.enqueuedAt = -1;
    }

    /**
     * The next {@code n} warmups of a database fail: each goes through its hidden and LOADING steps, then
     * reads FAILED (as a warmup Pod that crashed) until it is enqueued again.
     */
    public synchronized SimulatedWorld failNextWarmups(ClusterRef cluster, DatabaseName db, int n) {
        if (n < 0) {
            throw new IllegalArgumentException("'n' must not be negative, but was " + n);
        }
        db(cluster, db).failuresLeft = n;
        return this;
    }

    /** A database's warmup failed. */
    public synchronized void failWarmup(ClusterRef cluster, DatabaseName db) {
        Db d = db(cluster, db);
        d.base = WarmStatus.FAILED;
        d.enqueuedAt = -1;
    }

    public synchronized void download(ClusterRef cluster, DatabaseName db) {
        db(cluster, db).downloaded = true;
    }

    /** One step of time. */
    public synchronized long advance() {
        return ++step;
    }

    public synchronized long step() {
        return step;
    }

    public synchronized WarmStatus status(ClusterRef cluster, DatabaseName db) {
        Cluster c = clusters.get(cluster);
        Db d = c == null ? null : c.dbs.get(db);
        if (d == null) {
            return WarmStatus.ABSENT;
        }
        if (d.enqueuedAt < 0) {
            return d.base;
        }
        long age = step - d.enqueuedAt;
        if (age < hiddenSteps) {
            return d.base == WarmStatus.FAILED ? WarmStatus.FAILED : WarmStatus.ABSENT;
        }
        if (age < hiddenSteps + loadingSteps) {
            return WarmStatus.LOADING;
        }
        return d.failing ? WarmStatus.FAILED : WarmStatus.READY;
    }

    /** How many times a database's warmup was enqueued. */
    public synchronized int enqueues(ClusterRef cluster, DatabaseName db) {
        return db(cluster, db).enqueues;
    }

    public synchronized int statusCalls() {
        return statusCalls;
    }

    public synchronized int dispatchCalls() {
        return dispatchCalls;
    }

    @Override
    public synchronized Readiness probe(ClusterRef cluster) {
        Cluster c = clusters.get(cluster);
        if (c == null) {
            return Readiness.notReady("cluster not found");
        }
        return step >= c.readyAtStep
                ? Readiness.ready()
                : Readiness.notReady("provisioning (ready in " + (c.readyAtStep - step) + " step(s))");
    }

    @Override
    public synchronized Set<DatabaseName> downloaded(ClusterRef cluster) {
        Set<DatabaseName> out = new TreeSet<>();
        Cluster c = clusters.get(cluster);
        if (c != null) {
            c.dbs.forEach((db, d) -> {
                if (d.downloaded) {
                    out.add(db);
                }
            });
        }
        return out;
    }

    @Override
    public synchronized Map<ClusterRef, Set<DatabaseName>> downloaded(Collection<ClusterRef> refs) {
        Map<ClusterRef, Set<DatabaseName>> out = new LinkedHashMap<>();
        refs.forEach(r -> out.put(r, downloaded(r)));
        return out;
    }

    @Override
    public synchronized Map<DatabaseName, WarmStatus> statuses(ClusterRef cluster, Set<DatabaseName> databases) {
        statusCalls++;
        Map<DatabaseName, WarmStatus> out = new LinkedHashMap<>();
        databases.forEach(db -> out.put(db, status(cluster, db)));
        return out;
    }

    /** As {@link #enqueue}, naming the warmup {@code sim-warmup-<db>-<n>} (its n-th enqueue) when enqueued. */
    @Override
    public synchronized DispatchResult dispatch(WarmupRequest request) {
        DispatchOutcome outcome = enqueue(request);
        return outcome == DispatchOutcome.ENQUEUED
                ? new DispatchResult(
                        outcome,
                        "sim-warmup-" + request.database().value() + "-"
                                + db(request.cluster(), request.database()).enqueues)
                : DispatchResult.of(outcome);
    }

    @Override
    public synchronized DispatchOutcome enqueue(WarmupRequest request) {
        dispatchCalls++;
        Db d = db(request.cluster(), request.database());
        WarmStatus now = status(request.cluster(), request.database());
        if (d.enqueuedAt >= 0 && now != WarmStatus.READY && now != WarmStatus.FAILED) {
            return DispatchOutcome.ALREADY_RUNNING;
        }
        d.enqueuedAt = step;
        d.base = WarmStatus.ABSENT;
        d.enqueues++;
        d.failing = d.failuresLeft > 0;
        if (d.failing) {
            d.failuresLeft--;
        }
        return DispatchOutcome.ENQUEUED;
    }

    private Cluster cluster(ClusterRef ref) {
        Cluster c = clusters.get(ref);
        if (c == null) {
            throw new IllegalArgumentException("unknown cluster " + ref.display());
        }
        return c;
    }

    private Db db(ClusterRef cluster, DatabaseName db) {
        Db d = cluster(cluster).dbs.get(db);
        if (d == null) {
            throw new IllegalArgumentException("unknown database " + db + " on " + cluster.display());
        }
        return d;
    }
}
