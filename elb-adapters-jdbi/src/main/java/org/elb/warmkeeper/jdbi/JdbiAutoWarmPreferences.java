package org.elb.warmkeeper.jdbi;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.elb.warmkeeper.core.BackendUnavailableException;
import org.elb.warmkeeper.core.cluster.Checks;
import org.elb.warmkeeper.core.cluster.ClusterRef;
import org.elb.warmkeeper.core.cluster.DatabaseName;
import org.elb.warmkeeper.core.warm.AutoWarmPreference;
import org.elb.warmkeeper.core.warm.AutoWarmPreferences;
import org.elb.warmkeeper.core.warm.ManagedAutoWarmPreferences;
import org.elb.warmkeeper.jdbi.internal.SqlFailures;
import org.elb.warmkeeper.jdbi.internal.Tables;
import org.elb.warmkeeper.jdbi.internal.Times;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link AutoWarmPreferences} on PostgreSQL or H2 (tables {@code <prefix>autowarm_cluster} and
 * {@code <prefix>autowarm_database}). {@link #enabledClusters()} is one query (a join) whatever the number
 * of clusters. {@link #recordReadiness} is one update, which also stamps {@code ready_edge_at} on a
 * {@code false -> true} edge. The write side ({@link ManagedAutoWarmPreferences}: enable and disable a
 * cluster or one database, pause and resume either) is one transaction per call; {@link #enable} and
 * {@link #disable} are the names this class had before. Failures are {@link BackendUnavailableException}s.
 */
public final class JdbiAutoWarmPreferences implements ManagedAutoWarmPreferences {

    private static final Logger log = LoggerFactory.getLogger(JdbiAutoWarmPreferences.class);
    static final String KEY_SQL = "subscription_id = :sub AND resource_group = :rg AND cluster_name = :cluster";
    private static final String KEY = KEY_SQL;

    private final Jdbi jdbi;
    private final Tables tables;
    private final Clock clock;
    private final String backend;

    JdbiAutoWarmPreferences(Jdbi jdbi, Tables tables, Clock clock) {
        this.jdbi = jdbi;
        this.tables = tables;
        this.clock = clock;
        this.backend = tables.dialect().backendName();
    }

    @Override
    public List<AutoWarmPreference> enabledClusters() {
        String sql = "SELECT c.subscription_id, c.resource_group, c.cluster_name, c.last_ready, d.database_name,"
                + " c.paused, d.paused"
                + " FROM " + tables.clusters() + " c LEFT JOIN " + tables.clusterDatabases() + " d"
                + " ON d.subscription_id = c.subscription_id AND d.resource_group = c.resource_group"
                + " AND d.cluster_name = c.cluster_name"
                + " ORDER BY c.subscription_id, c.resource_group, c.cluster_name, d.db_order";
        return call(
                "enabledClusters",
                () -> jdbi.withHandle(h -> {
                    record Row(
                            ClusterRef cluster,
                            boolean lastReady,
                            @Nullable String db,
                            boolean paused,
                            boolean dbPaused) {}
                    Map<ClusterRef, List<DatabaseName>> dbs = new LinkedHashMap<>();
                    Map<ClusterRef, Set<DatabaseName>> pausedDbs = new HashMap<>();
                    Map<ClusterRef, Boolean> ready = new LinkedHashMap<>();
                    Map<ClusterRef, Boolean> paused = new HashMap<>();
                    h.createQuery(sql)
                            .map((rs, ctx) -> new Row(
                                    ClusterRef.of(rs.getString(1), rs.getString(2), rs.getString(3)),
                                    rs.getBoolean(4),
                                    rs.getString(5),
                                    rs.getBoolean(6),
                                    rs.getBoolean(7)))
                            .forEach(r -> {
                                ready.put(r.cluster(), r.lastReady());
                                paused.put(r.cluster(), r.paused());
                                List<DatabaseName> list = dbs.computeIfAbsent(r.cluster(), c -> new ArrayList<>());
                                Set<DatabaseName> p = pausedDbs.computeIfAbsent(r.cluster(), c -> new HashSet<>());
                                String db = r.db();
                                if (db != null) {
                                    list.add(DatabaseName.of(db));
                                    if (r.dbPaused()) {
                                        p.add(DatabaseName.of(db));
                                    }
                                }
                            });
                    List<AutoWarmPreference> out = new ArrayList<>(dbs.size());
                    dbs.forEach((c, list) -> out.add(new AutoWarmPreference(
                            c,
                            list,
                            Boolean.TRUE.equals(ready.get(c)),
                            Boolean.TRUE.equals(paused.get(c)),
                            pausedDbs.getOrDefault(c, Set.of()))));
                    return out;
                }));
    }

    @Override
    public void recordReadiness(ClusterRef cluster, boolean ready) {
        String sql = "UPDATE " + tables.clusters() + " SET ready_edge_at = CASE WHEN :ready AND NOT last_ready"
                + " THEN :now ELSE ready_edge_at END, last_ready = :ready WHERE " + KEY;
        int n = call(
                "recordReadiness",
                () -> jdbi.withHandle(h -> key(h.createUpdate(sql), cluster)
                        .bind("ready", ready)
                        .bind("now", Times.arg(clock.instant()))
                        .execute()));
        log.debug("cluster {} ready={} ({} row)", cluster.display(), ready, n);
    }

    /**
     * Turns auto-warm on for {@code cluster} with {@code databases} (in this order; duplicates dropped),
     * replacing its previous list and keeping its lastReady. One transaction.
     */
    public void enable(ClusterRef cluster, List<DatabaseName> databases) {
        Checks.required(cluster, "cluster");
        List<DatabaseName> unique = List.copyOf(new LinkedHashSet<>(Checks.required(databases, "databases")));
        call("enable", () -> {
            try {
                return enableOnce(cluster, unique);
            } catch (RuntimeException e) {
                if (!SqlFailures.isUniqueViolation(e)) {
                    throw e;
                }
                // A concurrent enable inserted the cluster between our update and insert: now it updates.
                return enableOnce(cluster, unique);
            }
        });
        log.debug("auto-warm on for {}: {}", cluster.display(), unique);
    }

    private Object enableOnce(ClusterRef cluster, List<DatabaseName> unique) {
        return jdbi.inTransaction(h -> write(h, cluster, unique));
    }

    /**
     * Seeds {@code cluster}'s preferences from configuration, once: the first seed of a cluster writes
     * {@code databases} when the cluster has no preferences yet (one that has, e.g. set through the API,
     * is kept) and remembers that the cluster was seeded; later seeds change nothing, so a cluster a user
     * turned off or whose databases a user changed stays as the user left it across restarts.
     * {@code reseed} writes {@code databases} again (replacing the cluster's list, as {@link #enable}
     * does) whatever was seeded or changed before: the way to re-apply configuration on purpose. One
     * transaction; replicas that seed the same cluster at once write it once.
     *
     * @return whether the cluster's preferences were written
     */
    public boolean seed(ClusterRef cluster, List<DatabaseName> databases, boolean reseed) {
        Checks.required(cluster, "cluster");
        List<DatabaseName> unique = List.copyOf(new LinkedHashSet<>(Checks.required(databases, "databases")));
        boolean written = call("seed", () -> {
            try {
                return seedOnce(cluster, unique, reseed);
            } catch (RuntimeException e) {
                if (!SqlFailures.isUniqueViolation(e)) {
                    throw e;
                }
                // Another replica seeded (or enabled) the cluster between our read and insert: read again.
                return seedOnce(cluster, unique, reseed);
            }
        });
        log.debug("seed of {} ({}): {}", cluster.display(), reseed ? "re-seed" : "once", written ? "written" : "kept");
        return written;
    }

    private boolean seedOnce(ClusterRef cluster, List<DatabaseName> unique, boolean reseed) {
        return jdbi.inTransaction(h -> {
            boolean seeded = key(h.createQuery("SELECT COUNT(*) FROM " + tables.seeds() + " WHERE " + KEY), cluster)
                            .mapTo(Integer.class)
                            .one()
                    > 0;
            if (seeded && !reseed) {
                return false;
            }
            boolean exists = key(h.createQuery("SELECT COUNT(*) FROM " + tables.clusters() + " WHERE " + KEY), cluster)
                            .mapTo(Integer.class)
                            .one()
                    > 0;
            key(
                            h.createUpdate(
                                    seeded
                                            ? "UPDATE " + tables.seeds() + " SET seeded_at = :now WHERE " + KEY
                                            : "INSERT INTO " + tables.seeds()
                                                    + " (subscription_id, resource_group, cluster_name, seeded_at)"
                                                    + " VALUES (:sub, :rg, :cluster, :now)"),
                            cluster)
                    .bind("now", Times.arg(clock.instant()))
                    .execute();
            if (reseed || !exists) {
                write(h, cluster, unique);
                return true;
            }
            return false;
        });
    }

    private @Nullable Object write(org.jdbi.v3.core.Handle h, ClusterRef cluster, List<DatabaseName> unique) {
        int updated = key(
                        h.createUpdate("UPDATE " + tables.clusters() + " SET enabled_at = :now WHERE " + KEY), cluster)
                .bind("now", Times.arg(clock.instant()))
                .execute();
        if (updated == 0) {
            key(
                            h.createUpdate("INSERT INTO " + tables.clusters()
                                    + " (subscription_id, resource_group, cluster_name, last_ready, enabled_at)"
                                    + " VALUES (:sub, :rg, :cluster, FALSE, :now)"),
                            cluster)
                    .bind("now", Times.arg(clock.instant()))
                    .execute();
        }
        Set<String> pausedDbs = new HashSet<>(key(
                        h.createQuery("SELECT database_name FROM " + tables.clusterDatabases() + " WHERE " + KEY
                                + " AND paused"),
                        cluster)
                .mapTo(String.class)
                .list());
        key(h.createUpdate("DELETE FROM " + tables.clusterDatabases() + " WHERE " + KEY), cluster)
                .execute();
        if (!unique.isEmpty()) {
            PreparedBatch batch = h.prepareBatch("INSERT INTO " + tables.clusterDatabases()
                    + " (subscription_id, resource_group, cluster_name, database_name, db_order, paused)"
                    + " VALUES (:sub, :rg, :cluster, :db, :pos, :paused)");
            for (int i = 0; i < unique.size(); i++) {
                String db = unique.get(i).value();
                key(batch, cluster)
                        .bind("db", db)
                        .bind("pos", i)
                        .bind("paused", pausedDbs.contains(db))
                        .add();
            }
            batch.execute();
        }
        return null;
    }

    /** Turns auto-warm off for {@code cluster}: it is no longer listed and its lastReady is forgotten. */
    public void disable(ClusterRef cluster) {
        Checks.required(cluster, "cluster");
        call(
                "disable",
                () -> jdbi.inTransaction(h -> {
                    key(h.createUpdate("DELETE FROM " + tables.clusterDatabases() + " WHERE " + KEY), cluster)
                            .execute();
                    return key(h.createUpdate("DELETE FROM " + tables.clusters() + " WHERE " + KEY), cluster)
                            .execute();
                }));
        log.debug("auto-warm off for {}", cluster.display());
    }

    @Override
    public void enableCluster(ClusterRef cluster, List<DatabaseName> databases) {
        enable(cluster, databases);
    }

    @Override
    public void disableCluster(ClusterRef cluster) {
        disable(cluster);
    }

    /**
     * Adds {@code db} at the end of the cluster's list (enabling the cluster when it is not), in one
     * transaction that first locks the cluster's row (an update of {@code enabled_at}, inserting the row when
     * the cluster is new): toggles of one cluster are serialized by that lock, so two concurrent enables of
     * different databases both survive and a concurrent {@link #disableDatabase} is never undone (neither
     * rewrites the list). Already listed: only {@code enabled_at} changes.
     */
    @Override
    public void enableDatabase(ClusterRef cluster, DatabaseName db) {
        Checks.required(cluster, "cluster");
        Checks.required(db, "db");
        boolean added = call("enableDatabase", () -> {
            try {
                return enableDatabaseOnce(cluster, db);
            } catch (RuntimeException e) {
                if (!SqlFailures.isUniqueViolation(e)) {
                    throw e;
                }
                // A concurrent toggle inserted the new cluster's row first: now our update locks it.
                return enableDatabaseOnce(cluster, db);
            }
        });
        log.debug("auto-warm on for {} on {} (added: {})", db, cluster.display(), added);
    }

    private boolean enableDatabaseOnce(ClusterRef cluster, DatabaseName db) {
        return jdbi.inTransaction(h -> {
            int locked = key(
                            h.createUpdate("UPDATE " + tables.clusters() + " SET enabled_at = :now WHERE " + KEY),
                            cluster)
                    .bind("now", Times.arg(clock.instant()))
                    .execute();
            if (locked == 0) {
                key(
                                h.createUpdate("INSERT INTO " + tables.clusters()
                                        + " (subscription_id, resource_group, cluster_name, last_ready, enabled_at)"
                                        + " VALUES (:sub, :rg, :cluster, FALSE, :now)"),
                                cluster)
                        .bind("now", Times.arg(clock.instant()))
                        .execute();
            }
            // the cluster's row is locked until commit: no other toggle of this cluster runs in between
            return key(
                                    h.createUpdate("INSERT INTO " + tables.clusterDatabases()
                                            + " (subscription_id, resource_group, cluster_name, database_name,"
                                            + " db_order, paused)"
                                            + " SELECT :sub, :rg, :cluster, :db, COALESCE(MAX(db_order), -1) + 1,"
                                            + " FALSE FROM " + tables.clusterDatabases() + " WHERE " + KEY
                                            + " HAVING COUNT(CASE WHEN database_name = :db THEN 1 END) = 0"),
                                    cluster)
                            .bind("db", db.value())
                            .execute()
                    == 1;
        });
    }

    @Override
    public void disableDatabase(ClusterRef cluster, DatabaseName db) {
        Checks.required(cluster, "cluster");
        Checks.required(db, "db");
        int n = call(
                "disableDatabase",
                () -> jdbi.withHandle(h -> key(
                                h.createUpdate("DELETE FROM " + tables.clusterDatabases() + " WHERE " + KEY
                                        + " AND database_name = :db"),
                                cluster)
                        .bind("db", db.value())
                        .execute()));
        log.debug("auto-warm off for {} on {} ({} row)", db, cluster.display(), n);
    }

    @Override
    public void setClusterPaused(ClusterRef cluster, boolean paused) {
        Checks.required(cluster, "cluster");
        call(
                "setClusterPaused",
                () -> jdbi.withHandle(h -> key(
                                h.createUpdate("UPDATE " + tables.clusters() + " SET paused = :paused WHERE " + KEY),
                                cluster)
                        .bind("paused", paused)
                        .execute()));
        log.debug("cluster {} paused={}", cluster.display(), paused);
    }

    @Override
    public void setDatabasePaused(ClusterRef cluster, DatabaseName db, boolean paused) {
        Checks.required(cluster, "cluster");
        Checks.required(db, "db");
        call(
                "setDatabasePaused",
                () -> jdbi.withHandle(h -> key(
                                h.createUpdate("UPDATE " + tables.clusterDatabases() + " SET paused = :paused WHERE "
                                        + KEY + " AND database_name = :db"),
                                cluster)
                        .bind("db", db.value())
                        .bind("paused", paused)
                        .execute()));
        log.debug("database {} on {} paused={}", db, cluster.display(), paused);
    }

    static <S extends org.jdbi.v3.core.statement.SqlStatement<S>> S key(S statement, ClusterRef cluster) {
        return statement
                .bind("sub", cluster.subscriptionId())
                .bind("rg", cluster.resourceGroup())
                .bind("cluster", cluster.clusterName());
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
        return "JdbiAutoWarmPreferences[" + backend + ", " + tables.clusters() + "]";
    }
}
