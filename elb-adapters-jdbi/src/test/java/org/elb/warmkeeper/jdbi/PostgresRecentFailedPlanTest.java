package org.elb.warmkeeper.jdbi;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.elb.warmkeeper.core.cluster.OwnerId;
import org.elb.warmkeeper.core.provision.JobState;
import org.elb.warmkeeper.core.provision.JobStatus;
import org.elb.warmkeeper.jdbi.internal.Times;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * With 1 000 000 rows (generated in SQL: ~7 900 owners, four job types, a tenth of them failed),
 * PostgreSQL answers recent-failed by walking {@code job_state_recent_ix}, not by a sequential scan,
 * and the answer is the same as a brute-force reading of the table.
 */
class PostgresRecentFailedPlanTest {

    static final int ROWS = 1_000_000;
    static final Instant BASE = Instant.parse("2026-01-01T00:00:00Z");
    private static TestDatabase db;

    @BeforeAll
    static void fill() {
        db = TestDatabase.postgresForBulkLoads();
        db.jdbi().useHandle(h -> {
            // No WAL for throw-away test rows: the load takes a third of the time; plans are the same.
            h.execute("ALTER TABLE " + db.table("job_state") + " SET UNLOGGED");
            h.execute(PostgresBulk.insertSql(db.table("job_state"), ROWS));
            h.execute("ANALYZE " + db.table("job_state"));
        });
    }

    @AfterAll
    static void drop() {
        db.close();
    }

    private List<String> explain(OwnerId owner, Instant since, int limit) {
        return db.jdbi()
                .withHandle(h -> h.createQuery(
                                "EXPLAIN " + db.store.jobStateRepository().recentFailedSql())
                        .bind("owner", owner.value())
                        .bind("type", "aks_provision")
                        .bind("since", Times.arg(since))
                        .bind("limit", limit)
                        .mapTo(String.class)
                        .list());
    }

    @Test
    void recent_failed_is_an_index_scan_on_the_recent_index_at_one_million_rows() {
        List<String> plan = explain(OwnerId.of("owner-42"), BASE, 10);

        String text = String.join("\n", plan);
        assertThat(text)
                .as(text)
                .contains("Index Scan using elb_job_state_recent_ix")
                .doesNotContain("Seq Scan")
                .doesNotContain("Sort");
    }

    @Test
    void recent_failed_answers_as_a_brute_force_reading_would() {
        OwnerId owner = OwnerId.of("owner-42");
        Instant since = BASE.plusSeconds(ROWS / 2);
        List<JobState> found = db.store.jobStateRepository().recentFailed(owner, "aks_provision", since, 20);

        List<String> expected = db.jdbi()
                .withHandle(h -> h.createQuery("SELECT id::text FROM " + db.table("job_state")
                                + " WHERE owner_id = 'owner-42' AND job_type = 'aks_provision' AND status = 'failed'"
                                + " AND updated_at >= :since ORDER BY updated_at DESC LIMIT 20")
                        .bind("since", Times.arg(since))
                        .mapTo(String.class)
                        .list());
        assertThat(found).isNotEmpty();
        assertThat(found).extracting(j -> j.id().toString()).containsExactlyElementsOf(expected);
        assertThat(found).allSatisfy(j -> {
            assertThat(j.status()).isEqualTo(JobStatus.FAILED);
            assertThat(j.payloadValue("region")).isPresent();
        });
    }
}
