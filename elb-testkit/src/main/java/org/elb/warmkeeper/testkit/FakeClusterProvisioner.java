package org.elb.warmkeeper.testkit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.elb.warmkeeper.core.cluster.ClusterRef;
import org.elb.warmkeeper.core.provision.ArmError;
import org.elb.warmkeeper.core.provision.ClusterProvisioner;
import org.elb.warmkeeper.core.provision.ProvisionListener;
import org.elb.warmkeeper.core.provision.ProvisionRequest;
import org.elb.warmkeeper.core.provision.ProvisioningException;
import org.elb.warmkeeper.core.provision.TaskId;

/**
 * A provisioner the test drives: {@link #begin} returns {@code task-1}, {@code task-2}, ... at once, and
 * the test reports progress with {@link #publishState}, {@link #succeed}, {@link #fail}. After
 * {@link #stop}, the task reports nothing more. Abort and delete calls are recorded.
 */
public final class FakeClusterProvisioner implements ClusterProvisioner {

    private final Map<TaskId, ProvisionListener> running = new LinkedHashMap<>();
    private final Map<TaskId, ProvisionRequest> requests = new LinkedHashMap<>();
    private final List<ClusterRef> aborted = new ArrayList<>();
    private final List<ClusterRef> deleted = new ArrayList<>();
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

    private Optional<ProvisionListener> listener(TaskId id) {
        synchronized (this) {
            return Optional.ofNullable(running.get(id));
        }
    }

    public void start(TaskId id) {
        listener(id).ifPresent(ProvisionListener::started);
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
