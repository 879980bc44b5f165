package org.elb.warmkeeper.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.elb.warmkeeper.core.cluster.ClusterRef;
import org.elb.warmkeeper.core.cluster.DatabaseName;
import org.elb.warmkeeper.core.warm.AutoWarmPreference;
import org.elb.warmkeeper.core.warm.AutoWarmPreferences;
import org.elb.warmkeeper.core.warm.ManagedAutoWarmPreferences;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * What every {@link ManagedAutoWarmPreferences} must do on top of {@link AutoWarmPreferencesContract}:
 * enable and disable single databases (the dashboard's toggle), pause and resume a cluster or a
 * database, and keep pauses across re-enables and readiness records. Implementations give only
 * {@link #createManaged()}.
 */
public abstract class ManagedAutoWarmPreferencesContract extends AutoWarmPreferencesContract {

    /** Set by {@link #createPreferences()}, which the base class calls before each test. */
    private @Nullable ManagedAutoWarmPreferences managedStore;

    /** Preferences over a store with no clusters. Called before each test. */
    protected abstract ManagedAutoWarmPreferences createManaged();

    @Override
    protected final AutoWarmPreferences createPreferences() {
        ManagedAutoWarmPreferences created = createManaged();
        managedStore = created;
        return created;
    }

    private ManagedAutoWarmPreferences managed() {
        ManagedAutoWarmPreferences m = managedStore;
        if (m == null) {
            throw new IllegalStateException("createPreferences() has not run");
        }
        return m;
    }

    @Override
    protected final void enable(ClusterRef cluster, List<DatabaseName> databases) {
        managed().enableCluster(cluster, databases);
    }

    @Override
    protected final void disable(ClusterRef cluster) {
        managed().disableCluster(cluster);
    }

    /** How many threads the concurrent toggle test runs (each toggles databases of its own). */
    protected int togglingThreads() {
        return 8;
    }

    /** How many databases each thread of the concurrent toggle test enables. */
    protected int togglesPerThread() {
        return 6;
    }

    private AutoWarmPreference only() {
        List<AutoWarmPreference> all = managed().enabledClusters();
        assertThat(all).hasSize(1);
        return all.get(0);
    }

    @Test
    void nothing_is_paused_at_first() {
        managed().enableCluster(cluster(1), dbs("core_nt", "nr"));

        assertThat(only().paused()).isFalse();
        assertThat(only().pausedDatabases()).isEmpty();
    }

    @Test
    void enabling_a_database_appends_it_and_enables_its_cluster() {
        managed().enableDatabase(cluster(1), DatabaseName.of("core_nt"));
        managed().enableDatabase(cluster(1), DatabaseName.of("nr"));
        assertThat(managed().enabledClusters())
                .containsExactly(new AutoWarmPreference(cluster(1), dbs("core_nt", "nr"), false));
        managed().enableDatabase(cluster(1), DatabaseName.of("swissprot"));
        managed().enableDatabase(cluster(1), DatabaseName.of("nr"));

        assertThat(managed().enabledClusters())
                .containsExactly(new AutoWarmPreference(cluster(1), dbs("core_nt", "nr", "swissprot"), false));
    }

    @Test
    void disabling_a_database_keeps_the_cluster_and_the_others_in_order() {
        managed().enableCluster(cluster(1), dbs("swissprot", "core_nt", "nr"));
        managed().recordReadiness(cluster(1), true);

        managed().disableDatabase(cluster(1), DatabaseName.of("core_nt"));
        managed().disableDatabase(cluster(1), DatabaseName.of("not_listed"));
        managed().disableDatabase(cluster(99), DatabaseName.of("nr"));

        assertThat(managed().enabledClusters())
                .containsExactly(new AutoWarmPreference(cluster(1), dbs("swissprot", "nr"), true));
        managed().disableDatabase(cluster(1), DatabaseName.of("swissprot"));
        managed().disableDatabase(cluster(1), DatabaseName.of("nr"));
        assertThat(managed().enabledClusters()).containsExactly(new AutoWarmPreference(cluster(1), List.of(), true));
    }

    @Test
    void a_cluster_is_paused_and_resumed_and_stays_listed() {
        managed().enableCluster(cluster(1), dbs("core_nt"));
        managed().enableCluster(cluster(2), dbs("nr"));

        managed().setClusterPaused(cluster(1), true);
        assertThat(managed().enabledClusters())
                .containsExactlyInAnyOrder(
                        new AutoWarmPreference(cluster(1), dbs("core_nt"), false, true, Set.of()),
                        new AutoWarmPreference(cluster(2), dbs("nr"), false));

        managed().setClusterPaused(cluster(1), false);
        assertThat(managed().enabledClusters())
                .containsExactlyInAnyOrder(
                        new AutoWarmPreference(cluster(1), dbs("core_nt"), false),
                        new AutoWarmPreference(cluster(2), dbs("nr"), false));
    }

    @Test
    void a_database_is_paused_alone_and_resumed() {
        managed().enableCluster(cluster(1), dbs("core_nt", "nr", "swissprot"));

        managed().setDatabasePaused(cluster(1), DatabaseName.of("nr"), true);
        assertThat(only())
                .isEqualTo(new AutoWarmPreference(
                        cluster(1), dbs("core_nt", "nr", "swissprot"), false, false, Set.of(DatabaseName.of("nr"))));
        assertThat(only().pausedOrAll()).containsExactly(DatabaseName.of("nr"));

        managed().setDatabasePaused(cluster(1), DatabaseName.of("nr"), false);
        assertThat(only().pausedDatabases()).isEmpty();
    }

    @Test
    void pauses_survive_readiness_records_and_re_enabling_while_listed() {
        managed().enableCluster(cluster(1), dbs("core_nt", "nr"));
        managed().setClusterPaused(cluster(1), true);
        managed().setDatabasePaused(cluster(1), DatabaseName.of("nr"), true);

        managed().recordReadiness(cluster(1), true);
        managed().enableCluster(cluster(1), dbs("nr", "swissprot"));

        assertThat(only())
                .isEqualTo(new AutoWarmPreference(
                        cluster(1), dbs("nr", "swissprot"), true, true, Set.of(DatabaseName.of("nr"))));
    }

    @Test
    void pausing_an_unknown_cluster_or_an_unlisted_database_changes_nothing() {
        managed().enableCluster(cluster(1), dbs("core_nt"));

        managed().setClusterPaused(cluster(99), true);
        managed().setDatabasePaused(cluster(1), DatabaseName.of("nr"), true);
        managed().setDatabasePaused(cluster(99), DatabaseName.of("core_nt"), true);

        assertThat(managed().enabledClusters())
                .containsExactly(new AutoWarmPreference(cluster(1), dbs("core_nt"), false));
    }

    @Test
    void a_disabled_cluster_forgets_its_pauses() {
        managed().enableCluster(cluster(1), dbs("core_nt"));
        managed().setClusterPaused(cluster(1), true);
        managed().setDatabasePaused(cluster(1), DatabaseName.of("core_nt"), true);

        managed().disableCluster(cluster(1));
        managed().enableCluster(cluster(1), dbs("core_nt"));

        assertThat(managed().enabledClusters())
                .containsExactly(new AutoWarmPreference(cluster(1), dbs("core_nt"), false));
    }

    @Test
    void concurrent_toggles_of_different_databases_all_survive() throws Exception {
        int threads = togglingThreads();
        int perThread = togglesPerThread();
        List<String> initial = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            initial.add("kept_" + t);
            initial.add("dropped_" + t);
        }
        managed().enableCluster(cluster(1), dbs(initial.toArray(String[]::new)));

        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> done = new ArrayList<>();
        try {
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    go.await();
                    for (int i = 0; i < perThread; i++) {
                        managed().enableDatabase(cluster(1), DatabaseName.of("added_" + thread + "_" + i));
                        // a cluster nobody enabled before: every thread races to create it
                        managed().enableDatabase(cluster(2), DatabaseName.of("new_" + thread + "_" + i));
                        if (i == perThread / 2) {
                            managed().disableDatabase(cluster(1), DatabaseName.of("dropped_" + thread));
                        }
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        List<String> expected1 = new ArrayList<>();
        List<String> expected2 = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            expected1.add("kept_" + t);
            for (int i = 0; i < perThread; i++) {
                expected1.add("added_" + t + "_" + i);
                expected2.add("new_" + t + "_" + i);
            }
        }
        List<AutoWarmPreference> all = managed().enabledClusters();
        assertThat(all).extracting(AutoWarmPreference::cluster).containsExactlyInAnyOrder(cluster(1), cluster(2));
        for (AutoWarmPreference p : all) {
            List<String> expected = p.cluster().equals(cluster(1)) ? expected1 : expected2;
            assertThat(p.databases())
                    .as("databases of %s after concurrent toggles", p.cluster().display())
                    .extracting(DatabaseName::value)
                    .containsExactlyInAnyOrderElementsOf(expected);
        }
        // each thread's own enables keep their order (each was appended after the previous one)
        List<String> order =
                all.stream().filter(p -> p.cluster().equals(cluster(1))).findFirst().orElseThrow().databases().stream()
                        .map(DatabaseName::value)
                        .toList();
        for (int t = 0; t < threads; t++) {
            List<String> own = new ArrayList<>();
            for (String name : order) {
                if (name.startsWith("added_" + t + "_")) {
                    own.add(name);
                }
            }
            List<String> inOrder = new ArrayList<>();
            for (int i = 0; i < perThread; i++) {
                inOrder.add("added_" + t + "_" + i);
            }
            assertThat(own)
                    .as("thread %s's databases in the order it enabled them", t)
                    .isEqualTo(inOrder);
        }
    }
}
