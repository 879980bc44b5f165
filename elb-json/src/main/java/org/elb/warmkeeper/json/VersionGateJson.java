package org.elb.warmkeeper.json;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;
import org.elb.warmkeeper.core.Secrets;
import org.elb.warmkeeper.core.version.GateDecision;

/**
 * A version gate's result: {@code service}, {@code decision}, {@code offer_update}, and by decision
 * {@code from}/{@code to}/{@code direction} (an update), {@code version} (up to date) or {@code reason}
 * (masked: unreachable, unknown deployed version, image missing).
 */
public final class VersionGateJson {

    private VersionGateJson() {}

    public static ObjectNode gate(String service, GateDecision d) {
        ObjectNode n = WireJson.object();
        n.put("service", service);
        n.put("decision", d.wireName());
        n.put("offer_update", d.offerUpdate());
        if (d instanceof GateDecision.UpdateAvailable u) {
            n.put("from", u.from());
            n.put("to", u.to());
            n.put("direction", u.direction().name().toLowerCase(Locale.ROOT));
        } else if (d instanceof GateDecision.UpToDate u) {
            n.put("version", u.version());
        } else if (d instanceof GateDecision.ServiceUnreachable u) {
            n.put("reason", Secrets.mask(u.reason()));
        } else if (d instanceof GateDecision.DeployedVersionUnknown u) {
            n.put("reason", Secrets.mask(u.reason()));
        } else if (d instanceof GateDecision.ImageMissing u) {
            n.put("reason", Secrets.mask(u.reason()));
        }
        return n;
    }
}
