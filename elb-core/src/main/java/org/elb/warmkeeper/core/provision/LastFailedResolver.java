package org.elb.warmkeeper.core.provision;

import java.util.Optional;

/**
 * Which "last attempt failed" to show: the locally cached snapshot (instant, but per browser) or the
 * stored row (authoritative, but slower). The stored row wins only when it is strictly newer, as the
 * seed's {@code if (!fromLocal || serverWhen > fromLocal.when)}.
 */
public final class LastFailedResolver {

    private LastFailedResolver() {}

    public static Optional<LastFailed> resolve(Optional<LastFailed> local, Optional<LastFailed> stored) {
        if (stored.isPresent()
                && (local.isEmpty()
                        || stored.get().failedAt().isAfter(local.get().failedAt()))) {
            return stored;
        }
        return local;
    }
}
