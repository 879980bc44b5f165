package org.elb.warmkeeper.core.provision;

import java.util.function.BiConsumer;
import org.elb.warmkeeper.core.cluster.ClusterRef;
import org.jspecify.annotations.Nullable;

/**
 * A {@link ClusterProvisioner} that follows an abort or a delete it sent to its end, so that the job row
 * records how it ended (Canceled, Succeeded anyway, Deleted, DeleteFailed, ...), not only that ARM
 * accepted it. {@link ProvisioningService#cancel} uses it after a successful
 * {@link #abortOperation}/{@link #deleteCluster}.
 */
public interface ActionFollowingProvisioner extends ClusterProvisioner {

    /**
     * Follows the cluster after {@code action} was accepted and calls {@code ended} once, from any thread,
     * with the final state ({@value #STATE_DELETED} for a cluster that is gone, otherwise its
     * {@code provisioningState}, or {@value #STATE_UNKNOWN} when it could not be followed) and an error
     * message or null. Returns at once.
     */
    void follow(ClusterRef cluster, CancelMode action, BiConsumer<String, @Nullable String> ended);

    /** The final state of a delete that removed the cluster. */
    String STATE_DELETED = "Deleted";
    /** The final state when following failed (ARM unreachable, too long). */
    String STATE_UNKNOWN = "Unknown";
}
