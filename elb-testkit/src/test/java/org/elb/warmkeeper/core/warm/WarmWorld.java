package org.elb.warmkeeper.core.warm;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.elb.warmkeeper.core.cluster.ClusterRef;
import org.elb.warmkeeper.core.cluster.DatabaseName;
import org.elb.warmkeeper.testkit.FakeReadinessProbe;
import org.elb.warmkeeper.testkit.FakeWarmStatusProbe;
import org.elb.warmkeeper.testkit.InMemoryAutoWarmPreferences;
import org.elb.warmkeeper.testkit.InMemoryDatabaseInventory;
import org.elb.warmkeeper.testkit.InMemoryInflightLock;
import org.elb.warmkeeper.testkit.MutableClock;
import org.elb.warmkeeper.testkit.RecordingWarmupDispatcher;

/** The testkit fakes wired into a reconciler, plus a recording observer and per-key enqueue failures. */
final class WarmWorld {

    static final String SUB = "0f1e2d3c-4b5a-6978-8695-a4b3c2d1e0f9";

    static ClusterRef cluster(String name) {
        return ClusterRef.of(SUB, "rg-elb", name);
    }

    static DatabaseName db(String name) {
        return DatabaseName.of(name);
    }

    final MutableClock clock = MutableClock.start();
    final InMemoryAutoWarmPreferences preferences = new InMemoryAutoWarmPreferences();
    final FakeReadinessProbe readiness = new FakeReadinessProbe();
    final InMemoryDatabaseInventory inventory = new InMemoryDatabaseInventory();
    final FakeWarmStatusProbe statuses = new FakeWarmStatusProbe();
    final InMemoryInflightLock lock = new InMemoryInflightLock(clock);
    final RecordingWarmupDispatcher dispatcher;
    final Set<InflightKey> failingEnqueues = new HashSet<>();
    final RecordingObserver observer = new RecordingObserver();

    WarmWorld() {
        this(new RecordingWarmupDispatcher(false));
    }

    WarmWorld(RecordingWarmupDispatcher dispatcher) {
        this.dispatcher = dispatcher;
    }

    /** Enqueues through the recording dispatcher unless the key is scripted to fail. */
    WarmupDispatcher dispatcherWithFailures() {
        return request -> {
            if (failingEnqueues.contains(request.key())) {
                throw new DispatchException("enqueue of " + request.database() + " failed (scripted)");
            }
            return dispatcher.enqueue(request);
        };
    }

    AutoWarmReconciler.Builder reconcilerBuilder() {
        return AutoWarmReconciler.builder(preferences, inventory, statuses, lock, dispatcherWithFailures())
                .readiness(readiness)
                .clock(clock)
                .observer(observer);
    }

    AutoWarmReconciler reconciler() {
        return reconcilerBuilder().build();
    }

    /** A downloaded database with a status on a cluster. */
    WarmWorld downloaded(ClusterRef c, DatabaseName d, WarmStatus status) {
        inventory.markDownloaded(c, d);
        statuses.set(c, d, status);
        return this;
    }

    void holdForOther(ClusterRef c, DatabaseName d) {
        lock.holdForOther(new InflightKey(c, d), Duration.ofMinutes(15));
    }

    /** Records every observer call. */
    static final class RecordingObserver implements AutoWarmObserver {
        final List<String> enqueued = new CopyOnWriteArrayList<>();
        final List<String> skipped = new CopyOnWriteArrayList<>();
        final List<String> failedOpen = new CopyOnWriteArrayList<>();
        final List<String> probeFailures = new CopyOnWriteArrayList<>();
        final List<TickReport> ticks = new CopyOnWriteArrayList<>();
        final List<Throwable> tickFailures = new CopyOnWriteArrayList<>();
        /** Reports of the runs of changed clusters ({@link AutoWarmReconciler#runClusters}). */
        final List<TickReport> clusterRuns = new CopyOnWriteArrayList<>();

        @Override
        public void tickCompleted(TickReport report, Duration duration) {
            ticks.add(report);
        }

        @Override
        public void clustersRunCompleted(TickReport report, Duration duration) {
            clusterRuns.add(report);
        }

        @Override
        public void tickFailed(Throwable error) {
            tickFailures.add(error);
        }

        @Override
        public void enqueued(ClusterRef cluster, DatabaseName db) {
            enqueued.add(cluster.clusterName() + "/" + db);
        }

        @Override
        public void skipped(ClusterRef cluster, DatabaseName db, SkipReason reason) {
            skipped.add(cluster.clusterName() + "/" + db + ":" + reason.wireName());
        }

        @Override
        public void lockFailedOpen(ClusterRef cluster, DatabaseName db) {
            failedOpen.add(cluster.clusterName() + "/" + db);
        }

        @Override
        public void probeFailed(ClusterRef cluster, String stage, Throwable error) {
            probeFailures.add(cluster.clusterName() + ":" + stage);
        }

        List<String> skippedWithReason(String reason) {
            List<String> out = new ArrayList<>();
            skipped.stream().filter(s -> s.endsWith(":" + reason)).forEach(out::add);
            return out;
        }
    }
}
