package org.elb.warmkeeper.azure;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.elb.warmkeeper.core.provision.ArmError;
import org.elb.warmkeeper.core.provision.ProvisionListener;

/** Records what a provisioner reports, in order: "started", "state:Creating", "checkpoint:{..}", "succeeded", ... */
final class RecordingListener implements ProvisionListener {

    final List<String> events = new CopyOnWriteArrayList<>();
    volatile ArmError error;
    volatile Map<String, String> checkpoint;

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

    boolean ended() {
        return events.contains("succeeded") || events.contains("failed") || events.contains("cancelled");
    }
}
