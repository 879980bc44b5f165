package org.elb.warmkeeper.jdbi;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.elb.warmkeeper.core.cluster.Checks;
import org.elb.warmkeeper.core.cluster.ClusterRef;
import org.elb.warmkeeper.core.cluster.DatabaseName;
import org.elb.warmkeeper.core.warm.DatabaseInventory;
import org.elb.warmkeeper.jdbi.internal.SqlFailures;
import org.elb.warmkeeper.jdbi.internal.Tables;
import org.elb.warmkeeper.jdbi.internal.Times;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Query;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link DatabaseInventory} on PostgreSQL or H2 (table {@code <prefix>downloaded_database}). The batched
 * {@link #downloaded(Collection)} is one query ({@code WHERE (subscription_id, resource_group, cluster_name)
 * IN (...)}) for up to {@value #MAX_CLUSTERS_PER_QUERY} clusters, so a tick costs the same whatever the
 * number of clusters below that. {@link #markDownloaded} and {@link #removeDownloaded} are the write side
 * the port lacks (for the component that downloads databases, the runner and tests).
 */
public final class JdbiDatabaseInventory implements DatabaseInventory {

    private static final Logger log = LoggerFactory.getLogger(JdbiDatabaseInventory.class);
    private static final String KEY = "subscription_id = :sub AND resource_group = :rg AND cluster_name = :cluster";

    /** Clusters per batched query (three parameters each, well under PostgreSQL's 32767). */
    public static final int MAX_CLUSTERS_PER_QUERY = 1000;

    private final Jdbi jdbi;
    private final Tables tables;
    private final Clock clock;
    private final String backend;

    JdbiDatabaseInventory(Jdbi jdbi, Tables tables, Clock clock) {
        this.jdbi = jdbi;
        this.tables = tables;
        this.clock = clock;
        this.backend = tables.dialect().backendName();
    }

    @Override
    public Set<DatabaseName> downloaded(ClusterRef cluster) {
        String sql = "SELECT database_name FROM " + tables.downloaded() + " WHERE " + KEY;
        return call(
                "downloaded",
                () -> jdbi.withHandle(h -> JdbiAutoWarmPreferences.key(h.createQuery(sql), cluster)
                        .map((rs, ctx) -> DatabaseName.of(rs.getString(1)))
                        .collect(java.util.stream.Collectors.toUnmodifiableSet())));
    }

    @Override
    public Map<ClusterRef, Set<DatabaseName>> downloaded(Collection<ClusterRef> clusters) {
        List<ClusterRef> unique = List.copyOf(new LinkedHashSet<>(clusters));
        Map<ClusterRef, Set<DatabaseName>> found = new LinkedHashMap<>();
        unique.forEach(c -> found.put(c, new HashSet<>()));
        if (unique.isEmpty()) {
            return Map.of();
        }
        call(
                "downloaded",
                () -> jdbi.withHandle(h -> {
                    for (int from = 0; from < unique.size(); from += MAX_CLUSTERS_PER_QUERY) {
                        List<ClusterRef> chunk =
                                unique.subList(from, Math.min(unique.size(), from + MAX_CLUSTERS_PER_QUERY));
                        StringBuilder sql = new StringBuilder(
                                        "SELECT subscription_id, resource_group, cluster_name, database_name FROM ")
                                .append(tables.downloaded())
                                .append(" WHERE (subscription_id, resource_group, cluster_name) IN (");
                        for (int i = 0; i < chunk.size(); i++) {
                            sql.append(i == 0 ? "" : ", ")
                                    .append("(:s")
                                    .append(i)
                                    .append(", :r")
                                    .append(i)
                                    .append(", :c")
                                    .append(i)
                                    .append(')');
                        }
                        sql.append(')');
                        Query q = h.createQuery(sql.toString());
                        for (int i = 0; i < chunk.size(); i++) {
                            ClusterRef c = chunk.get(i);
                            q.bind("s" + i, c.subscriptionId())
                                    .bind("r" + i, c.resourceGroup())
                                    .bind("c" + i, c.clusterName());
                        }
                        q.map((rs, ctx) -> {
                                    ClusterRef c = ClusterRef.of(rs.getString(1), rs.getString(2), rs.getString(3));
                                    Set<DatabaseName> set = found.get(c);
                                    if (set != null) {
                                        set.add(DatabaseName.of(rs.getString(4)));
                                    }
                                    return c;
                                })
                                .list();
                    }
                    return null;
                }));
        Map<ClusterRef, Set<DatabaseName>> out = new LinkedHashMap<>();
        found.forEach((c, set) -> out.put(c, Set.copyOf(set)));
        return out;
    }

    /** Records {@code databases} as downloaded to {@code cluster}; already recorded ones are left as they are. */
    public void markDownloaded(ClusterRef cluster, Collection<DatabaseName> databases) {
        Checks.required(cluster, "cluster");
        List<DatabaseName> unique = new ArrayList<>(new LinkedHashSet<>(Checks.required(databases, "databases")));
        String insert = "INSERT INTO " + tables.downloaded()
                + " (subscription_id, resource_group, cluster_name, database_name, downloaded_at)"
                + " VALUES (:sub, :rg, :cluster, :db, :now)";
        String exists = "SELECT COUNT(*) FROM " + tables.downloaded() + " WHERE " + KEY + " AND database_name = :db";
        call(
                "markDownloaded",
                () -> jdbi.withHandle(h -> {
                    for (DatabaseName db : unique) {
                        long n = JdbiAutoWarmPreferences.key(h.createQuery(exists), cluster)
                                .bind("db", db.value())
                                .mapTo(Long.class)
                                .one();
                        if (n > 0) {
                            continue;
                        }
                        try {
                            JdbiAutoWarmPreferences.key(h.createUpdate(insert), cluster)
                                    .bind("db", db.value())
                                    .bind("now", Times.arg(clock.instant()))
                                    .execute();
                        } catch (RuntimeException e) {
                            if (!SqlFailures.isUniqueViolation(e)) {
                                throw e;
                            }
                        }
                    }
                    return null;
                }));
        log.debug("{}: downloaded {}", cluster.display(), unique);
    }

    /** Records {@code databases} as downloaded to {@code cluster}. */
    public void markDownloaded(ClusterRef cluster, DatabaseName... databases) {
        markDownloaded(cluster, List.of(databases));
    }

    /** Records {@code database} as no longer downloaded to {@code cluster} (deleted from its storage). */
    public void removeDownloaded(ClusterRef cluster, DatabaseName database) {
        Checks.required(cluster, "cluster");
        Checks.required(database, "database");
        call(
                "removeDownloaded",
                () -> jdbi.withHandle(h -> JdbiAutoWarmPreferences.key(
                                h.createUpdate("DELETE FROM " + tables.downloaded() + " WHERE " + KEY
                                        + " AND database_name = :db"),
                                cluster)
                        .bind("db", database.value())
                        .execute()));
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
        return "JdbiDatabaseInventory[" + backend + ", " + tables.downloaded() + "]";
    }
}
