package org.elb.warmkeeper.core.provision;

import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The answer of {@link ProvisioningService#cancel}.
 *
 * @param partialResourceLikely the provisioner had published a {@code cluster_state}: the cluster
 *     resource may exist in Azure
 * @param portalUrl the cluster's Azure portal page, when {@code partialResourceLikely}
 * @param actionError why the requested abort or delete failed, when it did
 */
public record CancelOutcome(
        Result result,
        @Nullable JobState job,
        boolean partialResourceLikely,
        @Nullable String portalUrl,
        CancelMode mode,
        @Nullable String actionError) {

    public enum Result {
        /** The job is now cancelled. */
        CANCELLED,
        /** The job had already ended (succeeded, failed, cancelled): nothing changed. */
        ALREADY_FINISHED,
        /** No job with this task id belongs to the caller. */
        NOT_FOUND
    }

    public static CancelOutcome notFound(CancelMode mode) {
        return new CancelOutcome(Result.NOT_FOUND, null, false, null, mode, null);
    }

    public Optional<String> portalUrlIfAny() {
        return Optional.ofNullable(portalUrl);
    }
}
