package org.elb.warmkeeper.json;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.elb.warmkeeper.core.cluster.ClusterRef;
import org.elb.warmkeeper.core.cluster.DatabaseName;
import org.elb.warmkeeper.core.warm.AttemptEvent;
import org.elb.warmkeeper.core.warm.InflightKey;
import org.elb.warmkeeper.core.warm.LockToken;
import org.elb.warmkeeper.core.warm.WarmAttempt;
import org.junit.jupiter.api.Test;

/** Golden JSON of a database's attempt history. */
class WarmAttemptJsonTest {

    static final String SUB = "0f1e2d3c-4b5a-6978-8695-a4b3c2d1e0f9";

    @Test
    void history_lists_the_entries_as_given_without_the_lock_token() {
        ClusterRef a = ClusterRef.of(SUB, "rg", "elb-a");
        DatabaseName db = DatabaseName.of("core_nt");
        InflightKey key = new InflightKey(a, db);
        List<WarmAttempt> attempts = List.of(
                WarmAttempt.observed(key, Instant.parse("2026-01-01T00:02:00Z"), AttemptEvent.FAILED, "pod failed"),
                new WarmAttempt(
                        a,
                        db,
                        Instant.parse("2026-01-01T00:01:00Z"),
                        AttemptEvent.DISPATCHED,
                        null,
                        "warmup-core-nt-1",
                        LockToken.of("tok-123456")));
        assertThat(WireJson.write(WarmAttemptJson.history(key, attempts)))
                .isEqualTo("{\"cluster_name\":\"elb-a\",\"subscription_id\":\"" + SUB + "\",\"resource_group\":\"rg\","
                        + "\"db\":\"core_nt\",\"attempts\":["
                        + "{\"at\":\"2026-01-01T00:02:00Z\",\"event\":\"failed\",\"reason\":\"pod failed\",\"job_name\":null},"
                        + "{\"at\":\"2026-01-01T00:01:00Z\",\"event\":\"dispatched\",\"reason\":null,"
                        + "\"job_name\":\"warmup-core-nt-1\"}]}");
    }
}
