package org.elb.warmkeeper.json;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.elb.warmkeeper.core.Secrets;
import org.elb.warmkeeper.core.warm.InflightKey;
import org.elb.warmkeeper.core.warm.WarmAttempt;

/**
 * A database's attempt history ("why is this database cold"):
 * <pre>{"cluster_name":"elb-a","subscription_id":"…","resource_group":"…","db":"core_nt",
 *  "attempts":[{"at":"…","event":"dispatched","reason":null,"job_name":"warmup-core-nt-1"}]}</pre>
 * Newest first; {@code reason} is masked; the lock token of a dispatch is never written.
 */
public final class WarmAttemptJson {

    private WarmAttemptJson() {}

    /** One database's history, newest first as given. */
    public static ObjectNode history(InflightKey key, List<WarmAttempt> attempts) {
        ObjectNode n = WireJson.object();
        n.put("cluster_name", key.cluster().clusterName());
        n.put("subscription_id", key.cluster().subscriptionId());
        n.put("resource_group", key.cluster().resourceGroup());
        n.put("db", key.database().value());
        ArrayNode a = n.putArray("attempts");
        attempts.forEach(at -> a.add(attempt(at)));
        return n;
    }

    /** One entry: {@code at}, {@code event}, {@code reason} (masked, or null), {@code job_name} (or null). */
    public static ObjectNode attempt(WarmAttempt a) {
        ObjectNode n = WireJson.object();
        n.put("at", a.at().toString());
        n.put("event", a.event().wireName());
        n.put("reason", Secrets.mask(a.reason()));
        n.put("job_name", a.jobName());
        return n;
    }
}
