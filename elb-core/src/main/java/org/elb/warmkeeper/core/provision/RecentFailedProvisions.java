package org.elb.warmkeeper.core.provision;

import java.util.List;

/**
 * The answer of {@link ProvisioningService#recentFailed}: newest first. {@code degraded} is true when the
 * store failed; the list is then empty and the caller falls back to its local state.
 */
public record RecentFailedProvisions(List<FailedProvision> jobs, boolean degraded) {

    public RecentFailedProvisions {
        jobs = List.copyOf(jobs);
    }

    public static RecentFailedProvisions degradedEmpty() {
        return new RecentFailedProvisions(List.of(), true);
    }
}
