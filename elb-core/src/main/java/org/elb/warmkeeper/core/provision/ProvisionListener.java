package org.elb.warmkeeper.core.provision;

import java.util.Map;

/**
 * What a {@link ClusterProvisioner} reports about one create, in order, from any thread. Exactly one of
 * {@link #succeeded}, {@link #failed} or {@link #cancelled} ends it. {@link ProvisioningService} turns
 * each call into a compare-and-set update of the job row.
 */
public interface ProvisionListener {

    /**
     * Checkpoint key a provisioner reports with the value {@code "true"} as soon as it knows that its own
     * create made the cluster resource (e.g. ARM accepted a create-only PUT). {@link ProvisioningService}
     * aborts or deletes only a cluster whose row carries it: a cluster that existed before is never
     * touched.
     */
    String KEY_CREATED_BY_JOB = "created_by_job";

    /** The create reached ARM and is running. */
    void started();

    /** ARM's {@code provisioningState} as polled (Creating, Updating, Succeeded, ...), each change once. */
    void clusterState(String provisioningState);

    /** Data a provisioner needs to resume after a restart (e.g. the operation's polling URL). */
    void checkpoint(Map<String, String> data);

    /**
     * The provisioner polled the create and it is still going (called on every poll, whatever changed):
     * the service turns it into a throttled heartbeat of the job row. Default: nothing.
     */
    default void polled() {}

    void succeeded();

    void failed(ArmError error);

    void cancelled();
}
