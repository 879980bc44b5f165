package org.elb.warmkeeper.testkit;

import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.elb.warmkeeper.core.cluster.OwnerId;
import org.elb.warmkeeper.core.provision.JobId;
import org.elb.warmkeeper.core.provision.JobState;
import org.elb.warmkeeper.core.provision.JobStateRepository;
import org.elb.warmkeeper.core.provision.JobStatus;
import org.elb.warmkeeper.core.provision.JobStoreException;
import org.elb.warmkeeper.core.provision.JobUpdate;
import org.elb.warmkeeper.core.provision.NewJob;
import org.elb.warmkeeper.core.provision.TaskId;
import org.elb.warmkeeper.core.provision.UpdateResult;

/** An in-memory {@link JobStateRepository} with the same compare-and-set and status rules as the real ones. */
public final class InMemoryJobStateRepository implements JobStateRepository {

    private final Map<JobId, JobState> rows = new LinkedHashMap<>();
    private final Faults faults = new Faults("memory-jobs");
    private final Map<JobId, Instant> heartbeats = new java.util.HashMap<>();

    public Faults faults() {
        return faults;
    }

    private void check(String operation) {
        try {
            faults.check(operation);
        } catch (JobStoreException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new JobStoreException("memory-jobs", operation, String.valueOf(e.getMessage()), e);
        }
    }

    @Override
    public synchronized JobState create(NewJob job) {
        check("create");
        if (rows.containsKey(job.id())) {
            throw new JobStoreException("memory-jobs", "create", "job " + job.id() + " already exists");
        }
        JobState state = JobState.created(job);
        rows.put(job.id(), state);
        return state;
    }

    @Override
    public synchronized UpdateResult update(JobId id, long expectedVersion, JobUpdate update, Instant at) {
        check("update");
        JobState current = rows.get(id);
        if (current == null) {
            return new UpdateResult.NotFound();
        }
        if (current.version() != expectedVersion) {
            return new UpdateResult.Stale(current.version());
        }
        Optional<String> rejected = current.rejection(update);
        if (rejected.isPresent()) {
            return new UpdateResult.Rejected(rejected.get());
        }
        JobState next = current.apply(update, at);
        rows.put(id, next);
        return new UpdateResult.Updated(next);
    }

    @Override
    public synchronized Optional<JobState> get(JobId id) {
        check("get");
        return Optional.ofNullable(rows.get(id));
    }

    @Override
    public synchronized Optional<JobState> findById(JobId id, OwnerId owner) {
        check("findById");
        return Optional.ofNullable(rows.get(id)).filter(j -> j.owner().equals(owner));
    }

    @Override
    public synchronized Optional<JobState> findByTaskId(TaskId taskId, OwnerId owner) {
        check("findByTaskId");
        return rows.values().stream()
                .filter(j -> taskId.equals(j.taskId()) && j.owner().equals(owner))
                .findFirst();
    }

    @Override
    public synchronized List<JobState> recentFailed(OwnerId owner, String type, Instant since, int limit) {
        check("recentFailed");
        return rows.values().stream()
                .filter(j -> j.owner().equals(owner)
                        && j.type().equals(type)
                        && j.status() == JobStatus.FAILED
                        && !j.updatedAt().isBefore(since))
                .sorted(Comparator.comparing(JobState::updatedAt).reversed().thenComparing(j -> j.id().value()))
                .limit(limit)
                .toList();
    }

    @Override
    public synchronized List<JobState> changedSince(OwnerId owner, Instant since, int limit) {
        check("changedSince");
        org.elb.warmkeeper.core.cluster.Checks.positive(limit, "limit");
        return rows.values().stream()
                .filter(j -> j.owner().equals(owner) && !j.updatedAt().isBefore(since))
                .sorted(Comparator.comparing(JobState::updatedAt).thenComparing(j -> j.id().value()))
                .limit(limit)
                .toList();
    }

    @Override
    public synchronized List<JobState> findUnfinished(String type) {
        check("findUnfinished");
        return rows.values().stream()
                .filter(j -> j.type().equals(type) && !j.status().isTerminal())
                .sorted(Comparator.comparing(JobState::createdAt))
                .toList();
    }

    @Override
    public synchronized void heartbeat(JobId id, Instant at) {
        check("heartbeat");
        JobState row = rows.get(id);
        if (row != null && !row.status().isTerminal()) {
            heartbeats.merge(id, at, (a, b) -> a.isAfter(b) ? a : b);
        }
    }

    @Override
    public synchronized List<JobState> findStale(String type, Instant before) {
        check("findStale");
        return rows.values().stream()
                .filter(j -> j.type().equals(type) && !j.status().isTerminal())
                .filter(j -> {
                    Instant beat = heartbeats.get(j.id());
                    Instant alive = beat != null && beat.isAfter(j.updatedAt()) ? beat : j.updatedAt();
                    return alive.isBefore(before);
                })
                .sorted(Comparator.comparing(JobState::createdAt))
                .toList();
    }

    @Override
    public synchronized int purgeFinished(String type, Instant before, int limit) {
        check("purgeFinished");
        List<JobId> old = rows.values().stream()
                .filter(j -> j.type().equals(type)
                        && j.status().isTerminal()
                        && j.updatedAt().isBefore(before))
                .sorted(Comparator.comparing(JobState::updatedAt))
                .limit(limit)
                .map(JobState::id)
                .toList();
        old.forEach(id -> {
            rows.remove(id);
            heartbeats.remove(id);
        });
        return old.size();
    }

    public synchronized int size() {
        return rows.size();
    }
}
