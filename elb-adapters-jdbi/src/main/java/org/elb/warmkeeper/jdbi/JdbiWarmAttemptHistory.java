package org.elb.warmkeeper.jdbi;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.elb.warmkeeper.core.BackendUnavailableException;
import org.elb.warmkeeper.core.cluster.Checks;
import org.elb.warmkeeper.core.cluster.ClusterRef;
import org.elb.warmkeeper.core.cluster.DatabaseName;
import org.elb.warmkeeper.core.warm.AttemptEvent;
import org.elb.warmkeeper.core.warm.InflightKey;
import org.elb.warmkeeper.core.warm.LockToken;
import org.elb.warmkeeper.core.warm.WarmAttempt;
import org.elb.warmkeeper.core.warm.WarmAttemptHistory;
import org.elb.warmkeeper.jdbi.internal.SqlFailures;
import org.elb.warmkeeper.jdbi.internal.Tables;
import org.elb.warmkeeper.jdbi.internal.Times;
import org.jdbi.v3.core.Jdbi;

/**
 * {@link WarmAttemptHistory} on PostgreSQL or H2 (table {@code <prefix>warm_attempt}, indexed by database
 * and id). {@link #record} is an insert and a trim to the newest {@code keep} rows of that database in one
 * transaction; {@link #recent} is one query per cluster asked about. Shared by every replica on the same
 * store and kept across restarts, so the backoff decided from it is too. Failures are
 * {@link BackendUnavailableException}s.
 */
public final class JdbiWarmAttemptHistory implements WarmAttemptHistory {

    private static final String KEY = JdbiAutoWarmPreferences.KEY_SQL + " AND database_name = :db";

    private final Jdbi jdbi;
    private final Tables tables;
    private final int keep;
    private final String backend;

    JdbiWarmAttemptHistory(Jdbi jdbi, Tables tables, int keep) {
        this.jdbi = jdbi;
        this.tables = tables;
        this.keep = Checks.positive(keep, "keep");
        this.backend = tables.dialect().backendName();
    }

    @Override
    public void record(WarmAttempt a) {
        Checks.required(a, "attempt");
        LockToken token = a.token();
        call(
                "record",
                () -> jdbi.inTransaction(h -> {
                    JdbiAutoWarmPreferences.key(
                                    h.createUpdate(
                                            "INSERT INTO " + tables.attempts()
                                                    + " (subscription_id, resource_group, cluster_name, database_name, seen_at, event, reason,"
                                                    + " job_name, lock_token) VALUES (:sub, :rg, :cluster, :db, :at, :event, :reason, :job, :token)"),
                                    a.cluster())
                            .bind("db", a.database().value())
                            .bind("at", Times.arg(a.at()))
                            .bind("event", a.event().name())
                            .bind("reason", a.reason())
                            .bind("job", a.jobName())
                            .bind("token", token == null ? null : token.value())
                            .execute();
                    return JdbiAutoWarmPreferences.key(
                                    h.createUpdate("DELETE FROM " + tables.attempts() + " WHERE " + KEY
                                            + " AND id <= (SELECT id FROM " + tables.attempts() + " WHERE " + KEY
                                            + " ORDER BY id DESC LIMIT 1 OFFSET :keep)"),
                                    a.cluster())
                            .bind("db", a.database().value())
                            .bind("keep", keep)
                            .execute();
                }));
    }

    @Override
    public Map<InflightKey, List<WarmAttempt>> recent(Set<InflightKey> keys, int limit) {
        Checks.required(keys, "keys");
        Checks.positive(limit, "limit");
        Map<ClusterRef, List<String>> byCluster = new LinkedHashMap<>();
        keys.forEach(k -> byCluster
                .computeIfAbsent(k.cluster(), c -> new ArrayList<>())
                .add(k.database().value()));
        if (byCluster.isEmpty()) {
            return Map.of();
        }
        return call(
                "recent",
                () -> jdbi.withHandle(h -> {
                    Map<InflightKey, List<WarmAttempt>> out = new LinkedHashMap<>();
                    byCluster.forEach((cluster, dbs) -> JdbiAutoWarmPreferences.key(
                                    h.createQuery(
                                            "SELECT database_name, seen_at, event, reason, job_name, lock_token FROM "
                                                    + tables.attempts()
                                                    + " WHERE " + JdbiAutoWarmPreferences.KEY_SQL
                                                    + " AND database_name IN (<dbs>)"
                                                    + " ORDER BY id DESC"),
                                    cluster)
                            .bindList("dbs", dbs)
                            .map((rs, ctx) -> {
                                String token = rs.getString("lock_token");
                                return new WarmAttempt(
                                        cluster,
                                        DatabaseName.of(rs.getString("database_name")),
                                        Times.read(rs, "seen_at"),
                                        AttemptEvent.valueOf(rs.getString("event")),
                                        rs.getString("reason"),
                                        rs.getString("job_name"),
                                        token == null ? null : LockToken.of(token));
                            })
                            .forEach(a -> {
                                List<WarmAttempt> list = out.computeIfAbsent(a.key(), k -> new ArrayList<>());
                                if (list.size() < limit) {
                                    list.add(a);
                                }
                            }));
                    out.replaceAll((k, v) -> List.copyOf(v));
                    return out;
                }));
    }

    private <T> T call(String operation, Supplier<T> body) {
        try {
            return body.get();
        } catch (RuntimeException e) {
            throw SqlFailures.backend(backend, operation, e);
        }
    }

    @Override
    public String toString() {
        return "JdbiWarmAttemptHistory[" + backend + ", " + tables.attempts() + ", keep " + keep + "]";
    }
}
