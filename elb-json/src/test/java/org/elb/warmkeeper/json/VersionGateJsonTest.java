package org.elb.warmkeeper.json;

import static org.assertj.core.api.Assertions.assertThat;

import org.elb.warmkeeper.core.version.Direction;
import org.elb.warmkeeper.core.version.GateDecision;
import org.junit.jupiter.api.Test;

/** Golden JSON of the version gate's decisions. */
class VersionGateJsonTest {

    @Test
    void each_decision_has_its_fields() {
        assertThat(WireJson.write(VersionGateJson.gate(
                        "elb-api", new GateDecision.UpdateAvailable("1.2.0", "1.3.0", Direction.UPGRADE))))
                .isEqualTo("{\"service\":\"elb-api\",\"decision\":\"update_available\",\"offer_update\":true,"
                        + "\"from\":\"1.2.0\",\"to\":\"1.3.0\",\"direction\":\"upgrade\"}");
        assertThat(WireJson.write(VersionGateJson.gate("elb-api", new GateDecision.UpToDate("1.3.0"))))
                .isEqualTo("{\"service\":\"elb-api\",\"decision\":\"up_to_date\",\"offer_update\":false,"
                        + "\"version\":\"1.3.0\"}");
        assertThat(WireJson.write(VersionGateJson.gate(
                        "elb-api", new GateDecision.ServiceUnreachable("GET /openapi.json?token=abcd1234 timed out"))))
                .startsWith("{\"service\":\"elb-api\",\"decision\":\"service_unreachable\",\"offer_update\":false,"
                        + "\"reason\":")
                .doesNotContain("abcd1234");
    }
}
