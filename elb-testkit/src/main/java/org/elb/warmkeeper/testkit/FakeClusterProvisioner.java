package org.elb.warmkeeper.testkit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.elb.warmkeeper.core.cluster.ClusterRef;
import org.elb.warmkeeper.core.provision.ActionFollowingProvisioner;
import org.elb.warmkeeper.core.provision.ArmError;
import org.elb.warmkeeper.core.provision.CancelMode;
import org.elb.warmkeeper.core.provision.JobState;
import org.elb.warmkeeper.core.provision.ProvisionListener;
import org.elb.warmkeeper.core.provision.ProvisionRequest;
import org.elb.warmkeeper.core.provision.ProvisioningException;
import org.elb.warmkeeper.core.provision.ResumableClusterProvisioner;
import org.elb.warmkeeper.core.provision.TaskId;
import org.jspecify.annotations.Nullable;

/**
 * A provisioner the test drives: {@link #begin} returns {@code task-1}, {@code task-2}, ... at once, and
 * the test reports progress with {@link #publishState}, {@link #succeed}, {@link #fail}, {@link #cancel}. After
 * {@link #stop}, the task reports nothing more; {@link #created} reports that the task's create made the cluster. Abort and delete calls are recorded. A row whose payload
 * holds {@link #CHECKPOINT_KEY} (reported by the test with {@link #checkpoint}) can be resumed: the task
 * is running again under the row's task id, and {@link #resumed} lists it.
 */
public final class FakeClusterProvisioner implements ResumableClusterProvisioner, ActionFollowingProvisioner {

    /** The payload key whose presence makes a row resumable. */
    public static final String CHECKPOINT_KEY = "fake_operation";

    private final Map<TaskId, ProvisionListener> running = new LinkedHashMap<>();
    private final Map<TaskId, ProvisionRequest> requests = new LinkedHashMap<>();
    private final List<ClusterRef> aborted = new ArrayList<>();
    private final List<ClusterRef> deleted = new ArrayList<>();
    private final List<TaskId> resumed = new ArrayList<>();
    private final Map<ClusterRef, java.util.function.BiConsumer<String, @Nullable String>> follows =
            new LinkedHashMap<>();
    private final AtomicInteger next = new AtomicInteger();
    private final Faults faults = new Faults("memory-provisioner");
    private final Faults actionFaults = new Faults("memory-arm-actions");

    /** Faults of {@link #begin}. */
    public Faults faults() {
        return faults;
    }

    /** Faults of {@link #abortOperation} and {@link #deleteCluster}. */
    public Faults actionFaults() {
        return actionFaults;
    }

    @Override
    public synchronized TaskId begin(ProvisionRequest request, ProvisionListener listener) {
        try {
            faults.check("begin");
        } catch (RuntimeException e) {
            throw new ProvisioningException("could not enqueue (simulated)", null, e);
        }
        TaskId id = TaskId.of("task-" + next.incrementAndGet());
        running.put(id, listener);
        requests.put(id, request);
        return id;
    }

    @Override
    public boolean canResume(JobState job) {
        return job.payload().containsKey(CHECKPOINT_KEY);
    }

    @Override
    public synchronized TaskId resume(JobState job, ProvisionListener listener) {
        try {
            faults.check("resume");
        } catch (RuntimeException e) {
            throw new ProvisioningException("could not resume (simulated)", null, e);
        }
        if (!canResume(job)) {
            throw new ProvisioningException("job " + job.id() + " has no '" + CHECKPOINT_KEY + "' checkpoint");
        }
        TaskId id = job.taskId() != null ? job.taskId() : TaskId.of("task-" + next.incrementAndGet());
        running.put(id, listener);
        requests.put(id, ProvisionRequest.fromPayload(job.payload()));
        resumed.add(id);
        return id;
    }

    /** Task ids resumed by {@link #resume}, in order. */
    public synchronized List<TaskId> resumed() {
        return List.copyOf(resumed);
    }

    @Override
    public synchronized boolean stop(TaskId taskId) {
        return running.remove(taskId) != null;
    }

    @Override
    public synchronized void abortOperation(ClusterRef cluster) {
        try {
            actionFaults.check("abort");
        } catch (RuntimeException e) {
            throw new ProvisioningException("abort failed (simulated)", null, e);
        }
        aborted.add(cluster);
    }

    @Override
    public synchronized void deleteCluster(ClusterRef cluster) {
        try {
            actionFaults.check("delete");
        } catch (RuntimeException e) {
            throw new ProvisioningException("delete failed (simulated)", null, e);
        }
        deleted.add(cluster);
    }

    /** Remembers the follow; the test ends it with {@link #endAction}. */
    @Override
    public synchronized void follow(
            ClusterRef cluster, CancelMode action, java.util.function.BiConsumer<String, @Nullable String> ended) {
        follows.put(cluster, ended);
    }

    /** The abort or delete sent for {@code cluster} ended {@code state}; true when a follow was waiting for it. */
    public boolean endAction(ClusterRef cluster, String state, @Nullable String error) {
        java.util.function.BiConsumer<String, @Nullable String> ended;
        synchronized (this) {
            ended = follows.remove(cluster);
        }
        if (ended == null) {
            return false;
        }
        ended.accept(state, error);
        return true;
    }

    private Optional<ProvisionListener> listener(TaskId id) {
        synchronized (this) {
            return Optional.ofNullable(running.get(id));
        }
    }

    public void start(TaskId id) {
        listener(id).ifPresent(ProvisionListener::started);
    }

    /**
     * The task's own create made the cluster (as ARM accepting a create-only PUT): reports the checkpoint
     * {@link ProvisionListener#KEY_CREATED_BY_JOB}, without which a cancel never aborts or deletes.
     */
    public void created(TaskId id) {
        listener(id).ifPresent(l -> l.checkpoint(Map.of(ProvisionListener.KEY_CREATED_BY_JOB, "true")));
    }

    /** The task polled ARM and the create is still going ({@link ProvisionListener#polled}). */
    public void poll(TaskId id) {
        listener(id).ifPresent(ProvisionListener::polled);
    }

    public void publishState(TaskId id, String provisioningState) {
        listener(id).ifPresent(l -> l.clusterState(provisioningState));
    }

    public void checkpoint(TaskId id, Map<String, String> data) {
        listener(id).ifPresent(l -> l.checkpoint(data));
    }

    public void succeed(TaskId id) {
        listener(id).ifPresent(ProvisionListener::succeeded);
        synchronized (this) {
            running.remove(id);
        }
    }

    public void fail(TaskId id, ArmError error) {
        listener(id).ifPresent(l -> l.failed(error));
        synchronized (this) {
            running.remove(id);
        }
    }

    /** ARM reports the create cancelled (e.g. aborted from the portal). */
    public void cancel(TaskId id) {
        listener(id).ifPresent(ProvisionListener::cancelled);
        synchronized (this) {
            running.remove(id);
        }
    }

    public synchronized boolean isRunning(TaskId id) {
        return running.containsKey(id);
    }

    public synchronized Optional<ProvisionRequest> request(TaskId id) {
        return Optional.ofNullable(requests.get(id));
    }

    public synchronized List<ClusterRef> aborted() {
        return List.copyOf(aborted);
    }

    public synchronized List<ClusterRef> deleted() {
        return List.copyOf(deleted);
    }
}
