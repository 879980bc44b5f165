package org.elb.warmkeeper.core.provision;

import java.time.Instant;
import org.elb.warmkeeper.core.cluster.Checks;
import org.jspecify.annotations.Nullable;

/** A "last attempt failed" banner's content, from a local cache or from the store. */
public record LastFailed(
        Instant failedAt,
        String clusterName,
        @Nullable String message,
        @Nullable TaskId taskId) {

    public LastFailed {
        Checks.required(failedAt, "failedAt");
        Checks.required(clusterName, "clusterName");
    }

    public static LastFailed of(FailedProvision row) {
        return new LastFailed(
                row.failedAt(),
                row.clusterName() == null ? "" : row.clusterName(),
                row.error() == null ? null : row.error().message(),
                row.taskId());
    }
}
