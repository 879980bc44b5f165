package org.elb.warmkeeper.testkit;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.elb.warmkeeper.core.provision.ArmError;
import org.elb.warmkeeper.core.provision.ProvisionListener;
import org.jspecify.annotations.Nullable;

/**
 * Records what a provisioner reports, in order, as {@code started}, {@code state:<provisioningState>},
 * {@code checkpoint}, {@code succeeded}, {@code failed}, {@code cancelled}. Thread-safe. Open for
 * extension by test suites that keep more per task.
 */
public class RecordingProvisionListener implements ProvisionListener {

    private final List<String> events = new CopyOnWriteArrayList<>();
    private volatile @Nullable ArmError error;
    private volatile @Nullable Map<String, String> checkpoint;

    @Override
    public void started() {
        events.add("started");
    }

    @Override
    public void clusterState(String provisioningState) {
        events.add("state:" + provisioningState);
    }

    @Override
    public void checkpoint(Map<String, String> data) {
        checkpoint = Map.copyOf(data);
        events.add("checkpoint");
    }

    @Override
    public void succeeded() {
        events.add("succeeded");
    }

    @Override
    public void failed(ArmError error) {
        this.error = error;
        events.add("failed");
    }

    @Override
    public void cancelled() {
        events.add("cancelled");
    }

    /** Every report so far, in order (a live, thread-safe view). */
    public List<String> events() {
        return events;
    }

    /** The error of {@link #failed}, if it was reported. */
    public @Nullable ArmError error() {
        return error;
    }

    /** The last checkpoint reported. */
    public @Nullable Map<String, String> checkpoint() {
        return checkpoint;
    }

    /** The ending reports ({@code succeeded}, {@code failed}, {@code cancelled}); one for a well-behaved provisioner. */
    public List<String> ends() {
        return events.stream()
                .filter(e -> e.equals("succeeded") || e.equals("failed") || e.equals("cancelled"))
                .toList();
    }

    public boolean ended() {
        return !ends().isEmpty();
    }

    /** The {@code state:X} reports, in order. */
    public List<String> states() {
        return events.stream().filter(e -> e.startsWith("state:")).toList();
    }
}
