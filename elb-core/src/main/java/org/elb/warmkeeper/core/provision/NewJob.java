package org.elb.warmkeeper.core.provision;

import java.time.Instant;
import java.util.Map;
import java.util.regex.Pattern;
import org.elb.warmkeeper.core.cluster.Checks;
import org.elb.warmkeeper.core.cluster.OwnerId;

/** A row to create. The caller picks the id and the time, so that a retried create is recognisable. */
public record NewJob(JobId id, String type, OwnerId owner, Map<String, String> payload, Instant createdAt) {

    static final Pattern TYPE_PATTERN = Pattern.compile("[a-z][a-z0-9_]{0,63}");
    static final String TYPE_RULE = "1-64 lower-case letters, digits and '_', starting with a letter";

    public NewJob {
        Checks.required(id, "id");
        Checks.matches(type, "type", TYPE_PATTERN, TYPE_RULE);
        Checks.required(owner, "owner");
        payload = Map.copyOf(Checks.required(payload, "payload"));
        Checks.required(createdAt, "createdAt");
    }
}
