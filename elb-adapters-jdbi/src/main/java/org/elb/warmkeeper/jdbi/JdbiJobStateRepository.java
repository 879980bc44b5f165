package org.elb.warmkeeper.jdbi;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.elb.warmkeeper.core.cluster.Checks;
import org.elb.warmkeeper.core.cluster.OwnerId;
import org.elb.warmkeeper.core.provision.ErrorCategory;
import org.elb.warmkeeper.core.provision.ErrorClassification;
import org.elb.warmkeeper.core.provision.JobId;
import org.elb.warmkeeper.core.provision.JobState;
import org.elb.warmkeeper.core.provision.JobStateRepository;
import org.elb.warmkeeper.core.provision.JobStatus;
import org.elb.warmkeeper.core.provision.JobStoreException;
import org.elb.warmkeeper.core.provision.JobTransitions;
import org.elb.warmkeeper.core.provision.JobUpdate;
import org.elb.warmkeeper.core.provision.NewJob;
import org.elb.warmkeeper.core.provision.TaskId;
import org.elb.warmkeeper.core.provision.UpdateResult;
import org.elb.warmkeeper.jdbi.internal.PayloadCodec;
import org.elb.warmkeeper.jdbi.internal.SqlFailures;
import org.elb.warmkeeper.jdbi.internal.Tables;
import org.elb.warmkeeper.jdbi.internal.Times;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link JobStateRepository} on PostgreSQL or H2 (table {@code <prefix>job_state}).
 *
 * <ul>
 *   <li><b>Compare-and-set</b>: an update reads the row, decides with {@link JobState#rejection} and
 *       {@link JobState#apply} (the core's rules), then writes with
 *       {@code UPDATE ... WHERE id = ? AND row_version = ? AND <guard>}, the guard generated from the
 *       core's rule ({@link JobTransitions#guard}: the legal statuses with and without the cancel fence,
 *       and the task-id predicate). The version makes it atomic (no lost or reordered update); the guard
 *       enforces the rule in SQL as well, so even a writer that skipped the check cannot move a terminal
 *       row or end a fenced one succeeded or failed. The fence is the column {@code cancel_fenced},
 *       written from the payload's {@code cancel_requested} by every update. When no row is written the
 *       row is read again to say why ({@code Stale}, {@code Rejected}, {@code NotFound}).
 *   <li><b>Recent failed</b> is one query on the index
 *       {@code (owner_id, job_type, status, updated_at DESC, id)}: the database walks the owner's failed
 *       rows of that type newest first and stops at {@code limit}; nothing is filtered in memory.
 *   <li><b>Times</b> are the caller's: {@code NewJob.createdAt} and the {@code at} of an update, i.e. the
 *       service's injected {@code Clock}, not the database's {@code now()}. The service computes "since"
 *       for recent-failed from the same clock, so the window and the rows agree even when the database
 *       server's clock drifts, and tests with a settable clock are exact. Stored at microsecond precision.
 *   <li><b>Payload</b> is a JSON object of strings ({@code jsonb} on PostgreSQL: {@code payload->>'region'}
 *       works in SQL).
 * </ul>
 *
 * Every failure is a {@link JobStoreException} with the driver's exception as the cause.
 */
public final class JdbiJobStateRepository implements JobStateRepository {

    private static final Logger log = LoggerFactory.getLogger(JdbiJobStateRepository.class);

    private final Jdbi jdbi;
    private final Tables tables;
    private final String backend;
    private final String columns;
    private final String insertSql;
    private final String selectById;
    private final String selectByTask;
    private final String selectRecentFailed;
    private final String selectUnfinished;
    private final int recentFailedTimeoutMillis;
    private final String heartbeatSql;
    private final String selectStale;
    private final String purgeSql;
    private final String selectChangedSince;

    JdbiJobStateRepository(Jdbi jdbi, Tables tables, Duration recentFailedTimeout) {
        this.jdbi = jdbi;
        this.recentFailedTimeoutMillis = (int) Math.min(Integer.MAX_VALUE, Math.max(1, recentFailedTimeout.toMillis()));
        this.tables = tables;
        this.backend = tables.dialect().backendName();
        String t = tables.jobs();
        this.columns = "id, job_type, owner_id, status, task_id, cluster_state, error_category, error_code, "
                + "error_message, " + tables.jsonText("payload")
                + " AS payload_json, row_version, created_at, updated_at";
        this.insertSql = "INSERT INTO " + t
                + " (id, job_type, owner_id, status, payload, cancel_fenced, row_version, created_at, updated_at)"
                + " VALUES (:id, :type, :owner, 'queued', " + tables.jsonParam("payload")
                + ", :fenced, 0, :createdAt, :createdAt)";
        this.selectById = "SELECT " + columns + " FROM " + t + " WHERE id = :id";
        this.selectByTask = "SELECT " + columns + " FROM " + t
                + " WHERE task_id = :taskId AND owner_id = :owner ORDER BY created_at, id LIMIT 1";
        this.selectRecentFailed = recentFailedSql(t, columns);
        this.selectUnfinished = "SELECT " + columns + " FROM " + t
                + " WHERE job_type = :type AND status IN ('queued', 'running') ORDER BY created_at, id";
        this.heartbeatSql = "UPDATE " + t + " SET heartbeat_at = :at WHERE id = :id AND status IN ('queued', 'running')"
                + " AND (heartbeat_at IS NULL OR heartbeat_at < :at)";
        this.selectStale = "SELECT " + columns + " FROM " + t
                + " WHERE job_type = :type AND status IN ('queued', 'running') AND updated_at < :before"
                + " AND (heartbeat_at IS NULL OR heartbeat_at < :before) ORDER BY created_at, id";
        // The owner prefix of the recent-failed index (owner_id, job_type, status, updated_at, id) finds the
        // owner's rows; retention keeps them few.
        this.selectChangedSince = "SELECT " + columns + " FROM " + t
                + " WHERE owner_id = :owner AND updated_at >= :since ORDER BY updated_at, id LIMIT :limit";
        this.purgeSql = "DELETE FROM " + t + " WHERE id IN (SELECT id FROM " + t
                + " WHERE job_type = :type AND status IN ('succeeded', 'failed', 'cancelled') AND updated_at < :before"
                + " ORDER BY updated_at, id LIMIT :limit)";
    }

    /** The recent-failed statement over {@code table}, selecting {@code columns}. */
    static String recentFailedSql(String table, String columns) {
        return "SELECT " + columns + " FROM " + table
                + " WHERE owner_id = :owner AND job_type = :type AND status = 'failed' AND updated_at >= :since"
                + " ORDER BY updated_at DESC, id LIMIT :limit";
    }

    /** The SQL of {@link #recentFailed}, with named parameters {@code :owner :type :since :limit}. */
    public String recentFailedSql() {
        return selectRecentFailed;
    }

    @Override
    public JobState create(NewJob job) {
        NewJob stored = new NewJob(job.id(), job.type(), job.owner(), job.payload(), Times.stored(job.createdAt()));
        return call("create", () -> {
            try {
                jdbi.useHandle(h -> h.createUpdate(insertSql)
                        .bind("id", job.id().value())
                        .bind("type", job.type())
                        .bind("owner", job.owner().value())
                        .bind("payload", PayloadCodec.toJson(job.payload()))
                        .bind("fenced", JobTransitions.fenced(job.payload()))
                        .bind("createdAt", Times.arg(stored.createdAt()))
                        .execute());
            } catch (RuntimeException e) {
                if (SqlFailures.isUniqueViolation(e)) {
                    throw new JobStoreException(backend, "create", "job " + job.id() + " already exists", e);
                }
                throw e;
            }
            log.debug("job {} created ({}, owner {})", job.id(), job.type(), job.owner());
            return JobState.created(stored);
        });
    }

    @Override
    public UpdateResult update(JobId id, long expectedVersion, JobUpdate update, Instant at) {
        return call(
                "update",
                () -> jdbi.withHandle(h -> {
                    Optional<JobState> read = select(h, id);
                    if (read.isEmpty()) {
                        return new UpdateResult.NotFound();
                    }
                    JobState current = read.get();
                    if (current.version() != expectedVersion) {
                        return new UpdateResult.Stale(current.version());
                    }
                    Optional<String> rejected = current.rejection(update);
                    if (rejected.isPresent()) {
                        return new UpdateResult.Rejected(rejected.get());
                    }
                    return writeOrExplain(h, current, update, at);
                }));
    }

    /**
     * One statement on the common path: the snapshot's version guards the write, so a current snapshot
     * needs no read. A snapshot that already rejects the update takes the reading path, which tells a
     * stale snapshot ({@code Stale}) from a real rule violation ({@code Rejected}).
     */
    @Override
    public UpdateResult update(JobState snapshot, JobUpdate update, Instant at) {
        if (snapshot.rejection(update).isPresent()) {
            return update(snapshot.id(), snapshot.version(), update, at);
        }
        return call("update", () -> jdbi.withHandle(h -> writeOrExplain(h, snapshot, update, at)));
    }

    /** Writes {@code current + update}; when the guarded write misses, says what the row is now. */
    private UpdateResult writeOrExplain(Handle h, JobState current, JobUpdate update, Instant at) {
        JobState next = current.apply(update, Times.stored(at));
        if (write(h, current, update, next) == 1) {
            log.debug(
                    "job {} v{} -> v{} ({})",
                    current.id(),
                    current.version(),
                    next.version(),
                    next.status().wireName());
            return new UpdateResult.Updated(next);
        }
        // Someone else wrote since the row was read: say what the row is now.
        Optional<JobState> now = select(h, current.id());
        if (now.isEmpty()) {
            return new UpdateResult.NotFound();
        }
        if (now.get().version() != current.version()) {
            return new UpdateResult.Stale(now.get().version());
        }
        return new UpdateResult.Rejected(now.get().rejection(update).orElse("the row no longer accepts this update"));
    }

    /** The compare-and-set write; the WHERE clause repeats the core's rules. */
    int write(Handle h, JobState current, JobUpdate update, JobState next) {
        StringBuilder sql = new StringBuilder("UPDATE ")
                .append(tables.jobs())
                .append(" SET status = :status,")
                .append(" task_id = :taskId, cluster_state = :clusterState, error_category = :errorCategory,")
                .append(" error_code = :errorCode, error_message = :errorMessage, payload = ")
                .append(tables.jsonParam("payload"))
                .append(", cancel_fenced = :fenced, row_version = :nextVersion, updated_at = :at")
                .append(" WHERE id = :id AND row_version = :expected");
        sql.append(" AND ").append(guardSql(JobTransitions.guard(update)));
        var stmt = h.createUpdate(sql.toString())
                .bind("status", next.status().wireName())
                .bindBySqlType(
                        "taskId", next.taskId() == null ? null : next.taskId().value(), Types.VARCHAR)
                .bindBySqlType("clusterState", next.clusterState(), Types.VARCHAR)
                .bindBySqlType(
                        "errorCategory",
                        next.error() == null ? null : next.error().category().name(),
                        Types.VARCHAR)
                .bindBySqlType(
                        "errorCode", next.error() == null ? null : next.error().code(), Types.VARCHAR)
                .bindBySqlType(
                        "errorMessage",
                        next.error() == null ? null : next.error().message(),
                        Types.VARCHAR)
                .bind("payload", PayloadCodec.toJson(next.payload()))
                .bind("fenced", next.fenced())
                .bind("nextVersion", next.version())
                .bind("at", Times.arg(next.updatedAt()))
                .bind("id", current.id().value())
                .bind("expected", current.version());
        if (update.taskId() != null) {
            stmt.bind("newTaskId", update.taskId().value());
        }
        return stmt.execute();
    }

    /**
     * The WHERE predicate of {@code guard}, generated from the core's rule ({@link JobTransitions#guard}):
     * {@code ((cancel_fenced = FALSE AND status IN (..)) OR (cancel_fenced = TRUE AND status IN (..)))}
     * {@code [AND (task_id IS NULL OR task_id = :newTaskId)]}; an empty status set is {@code FALSE}.
     */
    static String guardSql(JobTransitions.Guard guard) {
        String sql = "((cancel_fenced = FALSE AND " + statusIn(guard.unfenced()) + ") OR (cancel_fenced = TRUE AND "
                + statusIn(guard.fenced()) + "))";
        return guard.checksTaskId() ? sql + " AND (task_id IS NULL OR task_id = :newTaskId)" : sql;
    }

    private static String statusIn(Set<JobStatus> statuses) {
        if (statuses.isEmpty()) {
            return "1 = 0";
        }
        return statuses.stream()
                .sorted()
                .map(s -> "'" + s.wireName() + "'")
                .collect(Collectors.joining(", ", "status IN (", ")"));
    }

    @Override
    public Optional<JobState> get(JobId id) {
        return call("get", () -> jdbi.withHandle(h -> select(h, id)));
    }

    @Override
    public Optional<JobState> findById(JobId id, OwnerId owner) {
        return call(
                "findById",
                () -> jdbi.withHandle(h -> h.createQuery(selectById + " AND owner_id = :owner")
                        .bind("id", id.value())
                        .bind("owner", owner.value())
                        .map(JdbiJobStateRepository::row)
                        .findOne()));
    }

    @Override
    public Optional<JobState> findByTaskId(TaskId taskId, OwnerId owner) {
        return call(
                "findByTaskId",
                () -> jdbi.withHandle(h -> h.createQuery(selectByTask)
                        .bind("taskId", taskId.value())
                        .bind("owner", owner.value())
                        .map(JdbiJobStateRepository::row)
                        .findOne()));
    }

    @Override
    public List<JobState> recentFailed(OwnerId owner, String type, Instant since, int limit) {
        Checks.positive(limit, "limit");
        return call(
                "recentFailed",
                () -> jdbi.withHandle(h -> {
                    // A dashboard read: bounded tighter than other calls so that a frozen database turns into
                    // "degraded" quickly. The connection's network timeout bounds every read of the answer.
                    Connection connection = h.getConnection();
                    int before = networkTimeout(connection);
                    boolean bounded = setNetworkTimeout(connection, recentFailedTimeoutMillis);
                    try {
                        return h.createQuery(selectRecentFailed)
                                .bind("owner", owner.value())
                                .bind("type", type)
                                .bind("since", Times.arg(since))
                                .bind("limit", limit)
                                .map(JdbiJobStateRepository::row)
                                .list();
                    } finally {
                        if (bounded) {
                            setNetworkTimeout(connection, before);
                        }
                    }
                }));
    }

    private static int networkTimeout(Connection connection) {
        try {
            return connection.getNetworkTimeout();
        } catch (SQLException | RuntimeException e) {
            return 0;
        }
    }

    /** Sets the driver's network timeout where it has one (pgjdbc does; H2 embedded has no network). */
    private static boolean setNetworkTimeout(Connection connection, int millis) {
        try {
            if (connection.isClosed()) {
                return false;
            }
            connection.setNetworkTimeout(Runnable::run, millis);
            return true;
        } catch (SQLException | RuntimeException | AbstractMethodError e) {
            log.debug("network timeout not set: {}", e.toString());
            return false;
        }
    }

    @Override
    public List<JobState> changedSince(OwnerId owner, Instant since, int limit) {
        Checks.required(owner, "owner");
        Checks.required(since, "since");
        Checks.positive(limit, "limit");
        return call(
                "changedSince",
                () -> jdbi.withHandle(h -> h.createQuery(selectChangedSince)
                        .bind("owner", owner.value())
                        .bind("since", Times.arg(since))
                        .bind("limit", limit)
                        .map(JdbiJobStateRepository::row)
                        .list()));
    }

    @Override
    public List<JobState> findUnfinished(String type) {
        return call(
                "findUnfinished",
                () -> jdbi.withHandle(h -> h.createQuery(selectUnfinished)
                        .bind("type", type)
                        .map(JdbiJobStateRepository::row)
                        .list()));
    }

    /** One statement; a finished row, or a later heartbeat already written, is left alone. */
    @Override
    public void heartbeat(JobId id, Instant at) {
        Checks.required(id, "id");
        Checks.required(at, "at");
        call(
                "heartbeat",
                () -> jdbi.withHandle(h -> h.createUpdate(heartbeatSql)
                        .bind("id", id.value())
                        .bind("at", Times.arg(Times.stored(at)))
                        .execute()));
    }

    /** Unfinished rows are few: the {@code (job_type, status, created_at)} index finds them. */
    @Override
    public List<JobState> findStale(String type, Instant before) {
        Checks.required(type, "type");
        Checks.required(before, "before");
        return call(
                "findStale",
                () -> jdbi.withHandle(h -> h.createQuery(selectStale)
                        .bind("type", type)
                        .bind("before", Times.arg(before))
                        .map(JdbiJobStateRepository::row)
                        .list()));
    }

    /** One statement on the {@code (job_type, status, updated_at)} index, at most {@code limit} rows. */
    @Override
    public int purgeFinished(String type, Instant before, int limit) {
        Checks.required(type, "type");
        Checks.required(before, "before");
        Checks.positive(limit, "limit");
        return call(
                "purgeFinished",
                () -> jdbi.withHandle(h -> h.createUpdate(purgeSql)
                        .bind("type", type)
                        .bind("before", Times.arg(before))
                        .bind("limit", limit)
                        .execute()));
    }

    private Optional<JobState> select(Handle h, JobId id) {
        return h.createQuery(selectById)
                .bind("id", id.value())
                .map(JdbiJobStateRepository::row)
                .findOne();
    }

    private <T> T call(String operation, Supplier<T> body) {
        try {
            return body.get();
        } catch (RuntimeException e) {
            throw SqlFailures.jobStore(backend, operation, e);
        }
    }

    static JobState row(ResultSet rs, StatementContext ctx) throws SQLException {
        String category = rs.getString("error_category");
        ErrorClassification error = category == null
                ? null
                : new ErrorClassification(
                        ErrorCategory.valueOf(category), rs.getString("error_code"), rs.getString("error_message"));
        String status = rs.getString("status");
        String taskId = rs.getString("task_id");
        return new JobState(
                new JobId(rs.getObject("id", UUID.class)),
                rs.getString("job_type"),
                OwnerId.of(rs.getString("owner_id")),
                JobStatus.fromWireName(status).orElseThrow(() -> new SQLException("unknown status '" + status + "'")),
                taskId == null ? null : TaskId.of(taskId),
                rs.getString("cluster_state"),
                error,
                PayloadCodec.fromJson(rs.getString("payload_json")),
                rs.getLong("row_version"),
                Times.read(rs, "created_at"),
                Times.read(rs, "updated_at"));
    }

    @Override
    public String toString() {
        return "JdbiJobStateRepository[" + backend + ", " + tables.jobs() + "]";
    }
}
