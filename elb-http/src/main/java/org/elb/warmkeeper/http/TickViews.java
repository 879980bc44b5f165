package org.elb.warmkeeper.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.elb.warmkeeper.core.warm.TickReport;
import org.elb.warmkeeper.json.TickReportJson;

/**
 * A tick's report as shown to callers who did not run the tick ({@code GET /api/autowarm/status}, the
 * {@code autowarm} event): {@link TickReportJson}'s shape without a cluster's {@code detail}, the raw
 * text of a failed probe (an ARM or Kubernetes error, answered to the leader's own identity). The
 * statuses, skip reasons and counts (the codes and categories) stay.
 */
public final class TickViews {

    private TickViews() {}

    public static ObjectNode forEveryone(TickReport report) {
        ObjectNode n = TickReportJson.encode(report);
        JsonNode clusters = n.get("clusters");
        if (clusters != null) {
            clusters.forEach(c -> ((ObjectNode) c).remove("detail"));
        }
        return n;
    }
}
