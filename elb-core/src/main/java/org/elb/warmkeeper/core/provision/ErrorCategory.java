package org.elb.warmkeeper.core.provision;

import java.util.List;
import java.util.Locale;

/** What kind of provisioning failure this is, whether retrying can help, and what the user can do. */
public enum ErrorCategory {
    QUOTA_EXCEEDED(
            false,
            List.of(
                    "Request a quota increase for this VM family in this region (Azure portal > Quotas)",
                    "Choose a smaller VM size or fewer nodes",
                    "Try another region")),
    SKU_OR_ZONE_UNAVAILABLE(
            false,
            List.of(
                    "Choose another VM size that is offered in this region",
                    "Try another region, or drop the availability-zone setting")),
    CAPACITY(
            true,
            List.of(
                    "Retry later: the region is short of capacity for this VM size",
                    "Choose another VM size or region")),
    AUTHORIZATION(
            false,
            List.of(
                    "Check that the identity has Contributor on the resource group",
                    "Register the Microsoft.ContainerService resource provider on the subscription")),
    INVALID_CONFIGURATION(
            false,
            List.of(
                    "Fix the request: check the Kubernetes version, VM size, node count and network settings",
                    "Read the error message for the property ARM rejected")),
    NAME_CONFLICT(
            false,
            List.of(
                    "Choose another cluster name or DNS prefix",
                    "Delete the existing cluster first if it is a leftover")),
    CANCELLED(
            true,
            List.of(
                    "Check the Azure portal for a partially created cluster and delete it if needed",
                    "Start the provision again when ready")),
    TRANSIENT(true, List.of("Retry: Azure throttled the request or had a temporary error")),
    UNKNOWN(
            true,
            List.of("Retry once", "If it fails again, open the resource group's activity log in the Azure portal"));

    private final boolean retryable;
    private final List<String> suggestedActions;

    ErrorCategory(boolean retryable, List<String> suggestedActions) {
        this.retryable = retryable;
        this.suggestedActions = suggestedActions;
    }

    public boolean retryable() {
        return retryable;
    }

    public List<String> suggestedActions() {
        return suggestedActions;
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
