package org.elb.warmkeeper.core.provision;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.elb.warmkeeper.core.cluster.OwnerId;

/**
 * Port: durable job-state rows. Every method throws {@link JobStoreException} (never a vendor
 * exception) when the store fails. Owner-scoped finds return empty for another owner's job.
 */
public interface JobStateRepository {

    /**
     * Inserts a queued row with version 0.
     *
     * @throws JobStoreException also when a row with this id exists
     */
    JobState create(NewJob job);

    /**
     * Applies {@code update} at time {@code at} only if the row's version is {@code expectedVersion} and
     * {@link JobState#rejection} allows it; atomically, so concurrent updates are neither lost nor
     * reordered. The new version is {@code expectedVersion + 1}.
     */
    UpdateResult update(JobId id, long expectedVersion, JobUpdate update, Instant at);

    /**
     * Compare-and-set from a row the caller has just read: the same answers as
     * {@code update(snapshot.id(), snapshot.version(), update, at)}, but a store may write straight away
     * (its WHERE clause checks the version) instead of reading the row first: one round trip instead of
     * two on the common path. {@code snapshot} must be a row as this repository returned it.
     */
    default UpdateResult update(JobState snapshot, JobUpdate update, Instant at) {
        return update(snapshot.id(), snapshot.version(), update, at);
    }

    /** Any owner's row: for the service's own bookkeeping, never for a caller's query. */
    Optional<JobState> get(JobId id);

    Optional<JobState> findById(JobId id, OwnerId owner);

    Optional<JobState> findByTaskId(TaskId taskId, OwnerId owner);

    /**
     * The owner's jobs of {@code type} with status failed and {@code updatedAt >= since}, newest
     * ({@code updatedAt}) first, at most {@code limit}. Answered by the store on an index, never by
     * filtering a page of recent rows in memory.
     */
    List<JobState> recentFailed(OwnerId owner, String type, Instant since, int limit);

    /**
     * The owner's rows of every type whose {@code updatedAt >= since}, oldest change first ({@code updatedAt},
     * then id), at most {@code limit}: what an event stream replays to a client that reconnects. Each row
     * is returned in its current state (its version orders it against what the client already has); a
     * change that keeps {@code updatedAt} (a terminal row's task id) is found at that time.
     *
     * @throws UnsupportedOperationException from a store that cannot list changes (the default): a
     *     reconnecting client then re-reads its state instead of replaying
     */
    default List<JobState> changedSince(OwnerId owner, Instant since, int limit) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot list changes since a time");
    }

    /** Rows of {@code type} that are queued or running, any owner, oldest first: for resume after a restart. */
    List<JobState> findUnfinished(String type);

    /**
     * Records that the row's worker is still following it at {@code at} (its heartbeat), without changing
     * its version or publishing anything; a finished or missing row is left alone.
     */
    void heartbeat(JobId id, Instant at);

    /**
     * Rows of {@code type} that are queued or running and whose last sign of life &mdash; the later of
     * {@code updatedAt} and the last {@link #heartbeat} &mdash; is before {@code before}, oldest first: the
     * rows whose worker may be gone.
     */
    List<JobState> findStale(String type, Instant before);

    /**
     * Deletes at most {@code limit} rows of {@code type} that are finished (succeeded, failed, cancelled)
     * with {@code updatedAt < before}, oldest first, on an index; returns how many it deleted.
     */
    int purgeFinished(String type, Instant before, int limit);
}
