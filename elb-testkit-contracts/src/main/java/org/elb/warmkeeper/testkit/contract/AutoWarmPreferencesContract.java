package org.elb.warmkeeper.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.elb.warmkeeper.core.cluster.ClusterRef;
import org.elb.warmkeeper.core.cluster.DatabaseName;
import org.elb.warmkeeper.core.warm.AutoWarmPreference;
import org.elb.warmkeeper.core.warm.AutoWarmPreferences;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link AutoWarmPreferences} must do: list every enabled cluster with its databases in the
 * user's order (no duplicates) and its lastReady, remember readiness per cluster, ignore unknown
 * clusters. The port has no write method for turning auto-warm on, so the suite seeds through the
 * {@link #enable} and {@link #disable} hooks, which must act on the store {@link #createPreferences()}
 * returned. The order of clusters in the answer is not part of the contract.
 */
public abstract class AutoWarmPreferencesContract {

    protected AutoWarmPreferences preferences;

    /** Preferences over a store with no clusters. Called before each test. */
    protected abstract AutoWarmPreferences createPreferences();

    /** Turns auto-warm on for {@code cluster} with these databases, replacing its list, keeping its lastReady. */
    protected abstract void enable(ClusterRef cluster, List<DatabaseName> databases);

    /** Turns auto-warm off for {@code cluster}; its lastReady is forgotten. */
    protected abstract void disable(ClusterRef cluster);

    /** How many clusters the "many clusters" test enables. */
    protected int manyClusters() {
        return 40;
    }

    @BeforeEach
    void createStore() {
        preferences = createPreferences();
    }

    protected static ClusterRef cluster(int n) {
        return ClusterRef.of(String.format("%08x-0000-4000-8000-%012d", n, n), "rg-elb-" + (n % 3), "elb-" + n);
    }

    protected static List<DatabaseName> dbs(String... names) {
        return java.util.Arrays.stream(names).map(DatabaseName::of).toList();
    }

    private Map<ClusterRef, AutoWarmPreference> byCluster() {
        List<AutoWarmPreference> all = preferences.enabledClusters();
        Map<ClusterRef, AutoWarmPreference> map =
                all.stream().collect(Collectors.toMap(AutoWarmPreference::cluster, Function.identity()));
        assertThat(map).as("one entry per cluster").hasSameSizeAs(all);
        return map;
    }

    private AutoWarmPreference preference(ClusterRef cluster) {
        AutoWarmPreference found = byCluster().get(cluster);
        assertThat(found).as("preference of %s", cluster).isNotNull();
        return found;
    }

    @Test
    void no_cluster_is_enabled_at_first() {
        assertThat(preferences.enabledClusters()).isEmpty();
    }

    @Test
    void an_enabled_cluster_lists_its_databases_in_the_users_order_not_ready_yet() {
        enable(cluster(1), dbs("swissprot", "core_nt", "16S_ribosomal_RNA"));

        assertThat(preferences.enabledClusters())
                .containsExactly(
                        new AutoWarmPreference(cluster(1), dbs("swissprot", "core_nt", "16S_ribosomal_RNA"), false));
    }

    @Test
    void duplicate_databases_are_listed_once() {
        enable(cluster(1), dbs("core_nt", "swissprot", "core_nt"));

        assertThat(preferences.enabledClusters())
                .containsExactly(new AutoWarmPreference(cluster(1), dbs("core_nt", "swissprot"), false));
    }

    @Test
    void a_cluster_enabled_without_databases_is_still_listed() {
        enable(cluster(1), List.of());

        assertThat(preferences.enabledClusters()).containsExactly(new AutoWarmPreference(cluster(1), List.of(), false));
    }

    @Test
    void every_enabled_cluster_is_listed_with_its_own_databases() {
        List<AutoWarmPreference> expected = new ArrayList<>();
        for (int i = 0; i < manyClusters(); i++) {
            List<DatabaseName> list = i % 2 == 0 ? dbs("core_nt", "db" + i) : dbs("db" + i);
            enable(cluster(i), list);
            expected.add(new AutoWarmPreference(cluster(i), list, false));
        }

        assertThat(preferences.enabledClusters()).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void re_enabling_replaces_the_databases_and_keeps_last_ready() {
        enable(cluster(1), dbs("core_nt", "swissprot"));
        preferences.recordReadiness(cluster(1), true);

        enable(cluster(1), dbs("nr", "core_nt"));

        assertThat(preferences.enabledClusters())
                .containsExactly(new AutoWarmPreference(cluster(1), dbs("nr", "core_nt"), true));
    }

    @Test
    void readiness_is_remembered_per_cluster_both_ways() {
        enable(cluster(1), dbs("core_nt"));
        enable(cluster(2), dbs("core_nt"));

        preferences.recordReadiness(cluster(1), true);
        assertThat(preference(cluster(1)).lastReady()).isTrue();
        assertThat(preference(cluster(2)).lastReady()).isFalse();

        preferences.recordReadiness(cluster(1), true);
        assertThat(preference(cluster(1)).lastReady()).isTrue();

        preferences.recordReadiness(cluster(1), false);
        assertThat(preference(cluster(1)).lastReady()).isFalse();
        assertThat(preference(cluster(1)).databases()).isEqualTo(dbs("core_nt"));
    }

    @Test
    void readiness_of_an_unknown_cluster_is_ignored() {
        enable(cluster(1), dbs("core_nt"));

        preferences.recordReadiness(cluster(99), true);

        assertThat(preferences.enabledClusters())
                .containsExactly(new AutoWarmPreference(cluster(1), dbs("core_nt"), false));
    }

    @Test
    void a_disabled_cluster_is_not_listed_and_comes_back_not_ready() {
        enable(cluster(1), dbs("core_nt"));
        enable(cluster(2), dbs("nr"));
        preferences.recordReadiness(cluster(1), true);

        disable(cluster(1));
        assertThat(preferences.enabledClusters()).containsExactly(new AutoWarmPreference(cluster(2), dbs("nr"), false));

        preferences.recordReadiness(cluster(1), true);
        enable(cluster(1), dbs("swissprot"));
        assertThat(preference(cluster(1))).isEqualTo(new AutoWarmPreference(cluster(1), dbs("swissprot"), false));
    }

    @Test
    void clusters_that_differ_only_in_one_part_are_distinct() {
        ClusterRef a = ClusterRef.of("00000000-0000-4000-8000-000000000001", "rg", "elb");
        ClusterRef otherRg = ClusterRef.of("00000000-0000-4000-8000-000000000001", "rg2", "elb");
        ClusterRef otherSub = ClusterRef.of("00000000-0000-4000-8000-000000000002", "rg", "elb");
        enable(a, dbs("core_nt"));
        enable(otherRg, dbs("nr"));
        enable(otherSub, dbs("swissprot"));

        preferences.recordReadiness(otherRg, true);

        assertThat(preferences.enabledClusters())
                .containsExactlyInAnyOrder(
                        new AutoWarmPreference(a, dbs("core_nt"), false),
                        new AutoWarmPreference(otherRg, dbs("nr"), true),
                        new AutoWarmPreference(otherSub, dbs("swissprot"), false));
    }
}
