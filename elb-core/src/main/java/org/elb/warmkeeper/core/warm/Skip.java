package org.elb.warmkeeper.core.warm;

import org.elb.warmkeeper.core.cluster.Checks;
import org.elb.warmkeeper.core.cluster.DatabaseName;

/** A configured database that was not enqueued, and why: {@code {"db":…,"reason":…}}. */
public record Skip(DatabaseName db, SkipReason reason) {

    public Skip {
        Checks.required(db, "db");
        Checks.required(reason, "reason");
    }
}
