package org.elb.warmkeeper.core.warm;

import java.time.Duration;
import java.time.Instant;
import org.elb.warmkeeper.core.cluster.ClusterRef;
import org.elb.warmkeeper.core.cluster.DatabaseName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wraps the embedder's observer so that a throwing observer changes no outcome: a dispatched warmup is
 * reported enqueued even when counting it throws. The exception is logged at debug.
 */
final class GuardedObserver implements AutoWarmObserver {

    private static final Logger log = LoggerFactory.getLogger(GuardedObserver.class);

    private final AutoWarmObserver delegate;

    private GuardedObserver(AutoWarmObserver delegate) {
        this.delegate = delegate;
    }

    static AutoWarmObserver of(AutoWarmObserver observer) {
        return observer == AutoWarmObserver.NOOP || observer instanceof GuardedObserver
                ? observer
                : new GuardedObserver(observer);
    }

    private static void guard(String method, Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            log.debug("observer {} threw; ignored: {}", method, e.toString());
        }
    }

    @Override
    public void tickCompleted(TickReport report, Duration duration) {
        guard("tickCompleted", () -> delegate.tickCompleted(report, duration));
    }

    @Override
    public void clustersRunCompleted(TickReport report, Duration duration) {
        guard("clustersRunCompleted", () -> delegate.clustersRunCompleted(report, duration));
    }

    @Override
    public void tickFailed(Throwable error) {
        guard("tickFailed", () -> delegate.tickFailed(error));
    }

    @Override
    public void enqueued(ClusterRef cluster, DatabaseName db) {
        guard("enqueued", () -> delegate.enqueued(cluster, db));
    }

    @Override
    public void skipped(ClusterRef cluster, DatabaseName db, SkipReason reason) {
        guard("skipped", () -> delegate.skipped(cluster, db, reason));
    }

    @Override
    public void lockFailedOpen(ClusterRef cluster, DatabaseName db) {
        guard("lockFailedOpen", () -> delegate.lockFailedOpen(cluster, db));
    }

    @Override
    public void stuckLoading(ClusterRef cluster, DatabaseName db, Instant loadingSince) {
        guard("stuckLoading", () -> delegate.stuckLoading(cluster, db, loadingSince));
    }

    @Override
    public void probeFailed(ClusterRef cluster, String stage, Throwable error) {
        guard("probeFailed", () -> delegate.probeFailed(cluster, stage, error));
    }
}
