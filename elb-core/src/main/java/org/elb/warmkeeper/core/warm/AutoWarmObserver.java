package org.elb.warmkeeper.core.warm;

import java.time.Duration;
import java.time.Instant;
import org.elb.warmkeeper.core.cluster.ClusterRef;
import org.elb.warmkeeper.core.cluster.DatabaseName;

/**
 * Port for metrics and events of the auto-warm reconcile. Every method has an empty default; the
 * Micrometer implementation lives in an adapter. Called on the thread that runs the tick (never on the
 * reconciler's worker threads): keep it cheap. An observer that throws changes no outcome.
 */
public interface AutoWarmObserver {

    AutoWarmObserver NOOP = new AutoWarmObserver() {};

    /** A tick of every enabled cluster ended. */
    default void tickCompleted(TickReport report, Duration duration) {}

    /**
     * A run of some clusters only ended ({@link AutoWarmReconciler#runClusters}, e.g. after a watching probe
     * saw a change): the report holds those clusters, not the fleet. The per-database calls
     * ({@link #enqueued}, {@link #skipped}, ...) were made as in a tick.
     */
    default void clustersRunCompleted(TickReport report, Duration duration) {}

    /** A tick threw before it could report (the scheduler goes on). */
    default void tickFailed(Throwable error) {}

    default void enqueued(ClusterRef cluster, DatabaseName db) {}

    default void skipped(ClusterRef cluster, DatabaseName db, SkipReason reason) {}

    /** The lock store was unavailable for this key and the warmup was enqueued anyway. */
    default void lockFailedOpen(ClusterRef cluster, DatabaseName db) {}

    /** A database is LOADING for longer than the threshold (it is never enqueued). Once per tick while it lasts. */
    default void stuckLoading(ClusterRef cluster, DatabaseName db, Instant loadingSince) {}

    /**
     * A probe or store failed. {@code stage} is one of {@code readiness}, {@code inventory},
     * {@code warm_status}, {@code lock}, {@code enqueue}, {@code queued}, {@code preferences},
     * {@code record_readiness}, {@code release}, {@code history}. A cluster that ran past its deadline is reported here
     * with a {@link DeadlineExceededException} and the stage it was in.
     */
    default void probeFailed(ClusterRef cluster, String stage, Throwable error) {}

    /**
     * The age of a cluster's informer watch: the time since its last event or bookmark (or its last sync),
     * reported by the informer-backed probes each time they are asked. {@code informer} is
     * {@code warm_status} or {@code nodes}. A watch is relisted once its age passes its maxSilence.
     */
    default void watchAge(ClusterRef cluster, String informer, Duration age) {}
}
