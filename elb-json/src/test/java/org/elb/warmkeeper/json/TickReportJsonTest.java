package org.elb.warmkeeper.json;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.elb.warmkeeper.core.cluster.ClusterRef;
import org.elb.warmkeeper.core.cluster.DatabaseName;
import org.elb.warmkeeper.core.warm.ClusterOutcome;
import org.elb.warmkeeper.core.warm.ClusterStatus;
import org.elb.warmkeeper.core.warm.Skip;
import org.elb.warmkeeper.core.warm.SkipReason;
import org.elb.warmkeeper.core.warm.TickReport;
import org.junit.jupiter.api.Test;

/** TickReportJson keeps the seed's shape and words, checked on fixed reports. */
class TickReportJsonTest {

    static final String SUB = "0f1e2d3c-4b5a-6978-8695-a4b3c2d1e0f9";
    static final DatabaseName CORE_NT = DatabaseName.of("core_nt");
    static final DatabaseName SWISSPROT = DatabaseName.of("swissprot");
    static final DatabaseName NR = DatabaseName.of("nr");

    @Test
    void json_has_the_seed_shape_for_a_fixed_report() {
        ClusterRef a = ClusterRef.of(SUB, "rg-elb", "elb-a");
        ClusterRef b = ClusterRef.of(SUB, "rg-elb", "elb-b");
        ClusterRef c = ClusterRef.of(SUB, "rg-elb", "elb-c");
        TickReport report = new TickReport(
                Instant.parse("2026-01-01T00:00:00Z"),
                Duration.ofMillis(12),
                false,
                List.of(
                        ClusterOutcome.evaluated(
                                a,
                                List.of(CORE_NT, SWISSPROT, NR),
                                1,
                                List.of(CORE_NT),
                                List.of(new Skip(SWISSPROT, SkipReason.INFLIGHT)),
                                1),
                        ClusterOutcome.notReady(b, List.of(NR), "nodes not ready"),
                        ClusterOutcome.evaluated(c, List.of(NR), 1, List.of(), List.of(), 0)));

        assertThat(TickReportJson.toJson(report))
                .isEqualTo("{\"status\":\"completed\",\"started_at\":\"2026-01-01T00:00:00Z\",\"force\":false,"
                        + "\"clusters\":["
                        + "{\"cluster_name\":\"elb-a\",\"subscription_id\":\"" + SUB
                        + "\",\"resource_group\":\"rg-elb\","
                        + "\"databases\":[\"core_nt\",\"swissprot\",\"nr\"],\"enqueued\":[\"core_nt\"],"
                        + "\"skipped\":[{\"db\":\"swissprot\",\"reason\":\"inflight\"}],\"status\":\"triggered\",\"lock_fail_open\":1},"
                        + "{\"cluster_name\":\"elb-b\",\"subscription_id\":\"" + SUB
                        + "\",\"resource_group\":\"rg-elb\","
                        + "\"databases\":[\"nr\"],\"enqueued\":[],\"skipped\":[],\"status\":\"cluster_not_ready\",\"detail\":\"nodes not ready\"},"
                        + "{\"cluster_name\":\"elb-c\",\"subscription_id\":\"" + SUB
                        + "\",\"resource_group\":\"rg-elb\","
                        + "\"databases\":[\"nr\"],\"enqueued\":[],\"skipped\":[],\"status\":\"ready_noop\"}"
                        + "]}");
        assertThat(report.enqueuedCount()).isEqualTo(1);
        assertThat(report.outcome(b)).map(ClusterOutcome::status).contains(ClusterStatus.CLUSTER_NOT_READY);
    }

    @Test
    void detail_strings_are_escaped_as_json() {
        ClusterRef a = ClusterRef.of(SUB, "rg", "elb-a");
        TickReport report = new TickReport(
                Instant.EPOCH,
                Duration.ZERO,
                true,
                List.of(ClusterOutcome.error(a, List.of(), "warm_status: \"boom\"\n\\ \u0001")));
        assertThat(TickReportJson.toJson(report))
                .contains("\"force\":true")
                .contains("\"detail\":\"warm_status: \\\"boom\\\"\\n\\\\ \\u0001\"")
                .contains("\"status\":\"error\"");
    }

    @Test
    void additive_fields_appear_only_when_they_apply() {
        ClusterRef a = ClusterRef.of(SUB, "rg", "elb-a");
        ClusterOutcome outcome = ClusterOutcome.evaluated(
                        a,
                        List.of(CORE_NT, NR),
                        0,
                        List.of(),
                        List.of(Skip.backoff(CORE_NT, Instant.parse("2026-01-01T00:05:00Z"))),
                        0)
                .withStuckLoading(Map.of(NR, Instant.parse("2025-12-31T23:00:00Z")));
        TickReport report = new TickReport(Instant.EPOCH, Duration.ZERO, false, List.of(outcome), true);

        assertThat(TickReportJson.toJson(report))
                .isEqualTo("{\"status\":\"completed\",\"started_at\":\"1970-01-01T00:00:00Z\",\"force\":false,"
                        + "\"deadline_exceeded\":true,\"clusters\":[{\"cluster_name\":\"elb-a\",\"subscription_id\":\""
                        + SUB + "\",\"resource_group\":\"rg\",\"databases\":[\"core_nt\",\"nr\"],\"enqueued\":[],"
                        + "\"skipped\":[{\"db\":\"core_nt\",\"reason\":\"backoff\",\"retry_at\":\"2026-01-01T00:05:00Z\"}],"
                        + "\"status\":\"" + outcome.status().wireName() + "\","
                        + "\"stuck_loading\":[{\"db\":\"nr\",\"loading_since\":\"2025-12-31T23:00:00Z\"}]}]}");
    }
}
