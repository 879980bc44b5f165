package org.elb.warmkeeper.benchmarks.jdbi;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.elb.warmkeeper.core.cluster.OwnerId;
import org.elb.warmkeeper.core.provision.JobId;
import org.elb.warmkeeper.core.provision.JobState;
import org.elb.warmkeeper.core.provision.JobStatus;
import org.elb.warmkeeper.core.provision.ProvisioningService;
import org.elb.warmkeeper.core.provision.TaskId;
import org.elb.warmkeeper.jdbi.JdbiStore;

/**
 * One million job rows in a schema of their own on PostgreSQL, generated in SQL: 2 000 owners with
 * 500 rows each, one second apart over 11.6 days, four job types, a tenth of each type failed (so a
 * fortieth of all rows are failed provisions). The query window is the last 168 hours: each owner has
 * about 300 rows in it, more than the seed's page of 200.
 *
 * <p>URL: {@code ELB_BENCH_JDBC_URL}, else {@code ELB_TEST_JDBC_URL}, else
 * {@code jdbc:postgresql://127.0.0.1:5432/test?user=postgres}. The schema is dropped by {@link #close()}.
 */
final class RecentFailedFixture implements AutoCloseable {

    /** Rows generated: 1M, or the system property {@code elb.bench.rows} (the report's short mode uses 100 000). */
    static final int ROWS = Integer.getInteger("elb.bench.rows", 1_000_000);

    static final int OWNERS = 2_000;
    static final int SEED_PAGE = 200;
    static final String TYPE = ProvisioningService.JOB_TYPE;
    static final Instant BASE = Instant.parse("2026-01-01T00:00:00Z");
    /** "Now": ten minutes after the newest generated row. */
    static final Instant NOW = BASE.plusSeconds(ROWS).plus(Duration.ofMinutes(10));

    static final Instant SINCE = NOW.minus(Duration.ofHours(168));
    static final int LIMIT = 10;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, String>> MAP = new TypeReference<>() {};

    final JdbiStore store;
    final String schema;
    private final String table;

    RecentFailedFixture() {
        String url = firstNonBlank(
                System.getenv("ELB_BENCH_JDBC_URL"),
                System.getenv("ELB_TEST_JDBC_URL"),
                "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");
        this.schema =
                "elb_bench_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        // a million-row fixture: longer statement and socket bounds than a service call needs
        this.store = JdbiStore.builder(url)
                .schema(schema)
                .maxConnections(4)
                .statementTimeout(java.time.Duration.ofMinutes(10))
                .socketTimeout(java.time.Duration.ofMinutes(10))
                .build();
        this.table = "\"" + schema + "\"." + JdbiStore.DEFAULT_TABLE_PREFIX + "job_state";
        store.jdbi().useHandle(h -> {
            h.execute("ALTER TABLE " + table + " SET UNLOGGED");
            h.execute(insertSql());
            h.execute("ANALYZE " + table);
        });
    }

    private String insertSql() {
        return "INSERT INTO " + table
                + " (id, job_type, owner_id, status, task_id, error_category, error_code, error_message, payload,"
                + " row_version, created_at, updated_at)"
                + " SELECT lpad(to_hex(g), 32, '0')::uuid,"
                + " CASE g % 4 WHEN 0 THEN 'aks_provision' WHEN 1 THEN 'db_warmup' WHEN 2 THEN 'db_download' ELSE 'image_update' END,"
                + " 'owner-' || ((g / 4) % " + OWNERS + "),"
                + " CASE WHEN (g / 8000) % 10 = 3 THEN 'failed' WHEN (g / 8000) % 10 < 7 THEN 'succeeded' ELSE 'running' END,"
                + " 'task-' || g,"
                + " CASE WHEN (g / 8000) % 10 = 3 THEN 'QUOTA_EXCEEDED' END,"
                + " CASE WHEN (g / 8000) % 10 = 3 THEN 'QuotaExceeded' END,"
                + " CASE WHEN (g / 8000) % 10 = 3 THEN 'Operation results in exceeding approved quota' END,"
                + " jsonb_build_object('subscription_id', '00000000-0000-4000-8000-000000000001',"
                + "   'resource_group', 'rg-elb', 'cluster_name', 'elb-' || g, 'region', 'koreacentral',"
                + "   'vm_size', 'Standard_E32s_v5', 'node_count', '3'),"
                + " 2,"
                + " TIMESTAMPTZ '2026-01-01 00:00:00+00' + g * INTERVAL '1 second',"
                + " TIMESTAMPTZ '2026-01-01 00:00:00+00' + g * INTERVAL '1 second' + INTERVAL '5 minutes'"
                + " FROM generate_series(1, " + ROWS + ") AS g";
    }

    static OwnerId owner(int n) {
        return OwnerId.of("owner-" + n);
    }

    /** Through the repository: one indexed query. */
    List<JobState> repository(OwnerId owner) {
        return store.jobStateRepository().recentFailed(owner, TYPE, SINCE, LIMIT);
    }

    /** The seed's way: the owner's newest 200 rows of any type, then type, status and window in memory. */
    List<JobState> seed(OwnerId owner) {
        List<JobState> page = store.jdbi()
                .withHandle(h -> h.createQuery("SELECT id, job_type, owner_id, status, task_id,"
                                + " cluster_state, payload::text AS payload_json, row_version, created_at, updated_at FROM "
                                + table
                                + " WHERE owner_id = :owner ORDER BY created_at DESC LIMIT " + SEED_PAGE)
                        .bind("owner", owner.value())
                        .map((rs, ctx) -> new JobState(
                                new JobId(rs.getObject("id", UUID.class)),
                                rs.getString("job_type"),
                                OwnerId.of(rs.getString("owner_id")),
                                JobStatus.fromWireName(rs.getString("status")).orElseThrow(),
                                rs.getString("task_id") == null ? null : TaskId.of(rs.getString("task_id")),
                                rs.getString("cluster_state"),
                                null,
                                parse(rs.getString("payload_json")),
                                rs.getLong("row_version"),
                                rs.getObject("created_at", OffsetDateTime.class).toInstant(),
                                rs.getObject("updated_at", OffsetDateTime.class).toInstant()))
                        .list());
        return page.stream()
                .filter(j -> j.type().equals(TYPE)
                        && j.status() == JobStatus.FAILED
                        && !j.updatedAt().isBefore(SINCE))
                .sorted(Comparator.comparing(JobState::updatedAt).reversed())
                .limit(LIMIT)
                .toList();
    }

    private static Map<String, String> parse(String json) {
        try {
            return JSON.readValue(json, MAP);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The plan PostgreSQL picks for the repository's query, for the report. */
    String explainAnalyze(OwnerId owner) {
        List<String> plan = store.jdbi()
                .withHandle(h -> h.createQuery("EXPLAIN (ANALYZE, BUFFERS) "
                                + store.jobStateRepository().recentFailedSql())
                        .bind("owner", owner.value())
                        .bind("type", TYPE)
                        .bind("since", SINCE.atOffset(java.time.ZoneOffset.UTC))
                        .bind("limit", LIMIT)
                        .mapTo(String.class)
                        .list());
        return String.join("\n", plan);
    }

    @Override
    public void close() {
        try {
            store.jdbi().useHandle(h -> h.execute("DROP SCHEMA \"" + schema + "\" CASCADE"));
        } finally {
            store.close();
        }
    }

    private static String firstNonBlank(String... values) {
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                return v;
            }
        }
        throw new IllegalStateException("no value");
    }
}
