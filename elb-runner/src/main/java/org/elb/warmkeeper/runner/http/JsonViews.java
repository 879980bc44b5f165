package org.elb.warmkeeper.runner.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;
import java.util.Map;
import org.elb.warmkeeper.core.provision.CancelOutcome;
import org.elb.warmkeeper.core.provision.ErrorClassification;
import org.elb.warmkeeper.core.provision.JobState;
import org.elb.warmkeeper.core.provision.ProvisionAccepted;
import org.elb.warmkeeper.core.provision.RecentFailedProvisions;
import org.elb.warmkeeper.core.version.GateDecision;
import org.elb.warmkeeper.core.warm.TickReport;
import org.elb.warmkeeper.json.ProvisioningJson;
import org.elb.warmkeeper.json.TickReportJson;
import org.elb.warmkeeper.json.VersionGateJson;
import org.elb.warmkeeper.json.WireJson;

/**
 * The bodies the HTTP API and the one-shot commands print: the library's wire format ({@code elb-json},
 * the dashboard's snake-case shapes), and the runner's own health document.
 */
public final class JsonViews {

    private JsonViews() {}

    public static ObjectNode recentFailed(RecentFailedProvisions result) {
        return ProvisioningJson.recentFailed(result);
    }

    public static ObjectNode accepted(ProvisionAccepted a) {
        return ProvisioningJson.accepted(a);
    }

    /** A job row ({@link ProvisioningJson#job}: payload keys ending in {@code _url} are left out). */
    public static ObjectNode job(JobState j) {
        return ProvisioningJson.job(j);
    }

    public static ObjectNode cancel(CancelOutcome c) {
        return ProvisioningJson.cancel(c);
    }

    /** A tick's report in the seed's shape ({@link TickReportJson}). */
    public static ObjectNode tick(TickReport report) {
        return TickReportJson.encode(report);
    }

    /** A classified provisioning error as an error body. */
    public static ObjectNode classifiedError(ErrorClassification e) {
        return ProvisioningJson.classifiedError(e);
    }

    public static ObjectNode gate(String service, GateDecision d) {
        return VersionGateJson.gate(service, d);
    }

    /** {@code /healthz} and {@code /readyz}: the overall status and one entry per component. */
    public static ObjectNode health(boolean ok, Map<String, Health> components) {
        ObjectNode n = WireJson.object();
        n.put("status", ok ? "up" : "down");
        ObjectNode c = n.putObject("components");
        components.forEach((name, h) -> {
            ObjectNode one = c.putObject(name);
            one.put("status", h.status().name().toLowerCase(Locale.ROOT));
            one.put("detail", h.detail());
        });
        return n;
    }
}
