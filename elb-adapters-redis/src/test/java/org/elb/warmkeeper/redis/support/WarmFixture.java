package org.elb.warmkeeper.redis.support;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.elb.warmkeeper.core.cluster.ClusterRef;
import org.elb.warmkeeper.core.cluster.DatabaseName;
import org.elb.warmkeeper.core.warm.AutoWarmReconciler;
import org.elb.warmkeeper.core.warm.InflightLock;
import org.elb.warmkeeper.core.warm.WarmStatus;
import org.elb.warmkeeper.core.warm.WarmupDispatcher;
import org.elb.warmkeeper.testkit.InMemoryAutoWarmPreferences;
import org.elb.warmkeeper.testkit.MutableClock;
import org.elb.warmkeeper.testkit.SimulatedWorld;

/** A simulated world with one random cluster of cold, downloaded databases, and reconcilers on it. */
public final class WarmFixture {

    public final ClusterRef cluster = ClusterRef.of(
            UUID.randomUUID().toString(),
            "elb-test-" + UUID.randomUUID().toString().substring(0, 8),
            "aks-test");
    public final List<DatabaseName> dbs = new ArrayList<>();
    public final SimulatedWorld world;
    public final InMemoryAutoWarmPreferences preferences = new InMemoryAutoWarmPreferences();
    public final MutableClock clock = MutableClock.start();

    public WarmFixture(int databases, int hiddenSteps, int loadingSteps) {
        world = new SimulatedWorld(hiddenSteps, loadingSteps).cluster(cluster, 0);
        for (int i = 0; i < databases; i++) {
            DatabaseName db = DatabaseName.of("db_" + i);
            dbs.add(db);
            world.database(cluster, db, true, WarmStatus.ABSENT);
        }
        preferences.enable(cluster, dbs);
    }

    public AutoWarmReconciler reconciler(InflightLock lock) {
        return reconciler(lock, world);
    }

    public AutoWarmReconciler reconciler(InflightLock lock, WarmupDispatcher dispatcher) {
        return reconciler(lock, dispatcher, AutoWarmReconciler.DEFAULT_LOCK_TTL);
    }

    /**
     * No attempt history: these tests are about the lock alone, which holds a database for its whole TTL.
     * With a history the lock is released early once the warmup is seen LOADING, and a warmup pod that
     * then goes away is rightly enqueued again within the TTL (the in-process default of a reconciler
     * built without a history would do that).
     */
    public final org.elb.warmkeeper.core.warm.WarmAttemptHistory history =
            org.elb.warmkeeper.core.warm.WarmAttemptHistory.NONE;

    public AutoWarmReconciler reconciler(InflightLock lock, WarmupDispatcher dispatcher, java.time.Duration ttl) {
        return AutoWarmReconciler.builder(preferences, world, world, lock, dispatcher)
                .readiness(world)
                .clock(clock)
                .lockTtl(ttl)
                .history(history)
                .build();
    }

    /** The SCAN pattern of this cluster's lock keys. */
    public String keyPattern() {
        return "autowarmup:inflight:" + cluster.subscriptionId() + ":*";
    }
}
