package org.elb.warmkeeper.core.warm;

import java.time.Instant;
import org.elb.warmkeeper.core.cluster.Checks;
import org.elb.warmkeeper.core.cluster.DatabaseName;
import org.jspecify.annotations.Nullable;

/**
 * A configured database that was not enqueued, and why: {@code {"db":…,"reason":…}}; a {@code backoff}
 * skip also carries {@code retry_at}.
 *
 * @param retryAt when a database in backoff may be dispatched again; null for other reasons
 */
public record Skip(
        DatabaseName db, SkipReason reason, @Nullable Instant retryAt) {

    public Skip {
        Checks.required(db, "db");
        Checks.required(reason, "reason");
    }

    public Skip(DatabaseName db, SkipReason reason) {
        this(db, reason, null);
    }

    public static Skip backoff(DatabaseName db, Instant retryAt) {
        return new Skip(db, SkipReason.BACKOFF, Checks.required(retryAt, "retryAt"));
    }
}
