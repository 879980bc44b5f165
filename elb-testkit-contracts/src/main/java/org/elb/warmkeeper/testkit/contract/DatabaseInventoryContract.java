package org.elb.warmkeeper.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.elb.warmkeeper.core.cluster.ClusterRef;
import org.elb.warmkeeper.core.cluster.DatabaseName;
import org.elb.warmkeeper.core.warm.DatabaseInventory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link DatabaseInventory} must do: per cluster, the set of downloaded databases; the batched
 * form answers every requested cluster (an empty set when none) and agrees with the per-cluster form.
 * The port is read-only, so the suite seeds through {@link #markDownloaded} and {@link #removeDownloaded},
 * which must act on the store {@link #createInventory()} returned.
 */
public abstract class DatabaseInventoryContract {

    protected DatabaseInventory inventory;

    /** An inventory over a store in which nothing is downloaded. Called before each test. */
    protected abstract DatabaseInventory createInventory();

    /** Records these databases as downloaded to {@code cluster} (idempotent). */
    protected abstract void markDownloaded(ClusterRef cluster, DatabaseName... databases);

    /** Records {@code database} as no longer downloaded to {@code cluster}. */
    protected abstract void removeDownloaded(ClusterRef cluster, DatabaseName database);

    /** How many clusters the batched test asks about. */
    protected int manyClusters() {
        return 120;
    }

    @BeforeEach
    void createStore() {
        inventory = createInventory();
    }

    protected static ClusterRef cluster(int n) {
        return ClusterRef.of(String.format("%08x-0000-4000-8000-%012d", n, n), "rg-elb-" + (n % 3), "elb-" + n);
    }

    protected static DatabaseName db(String name) {
        return DatabaseName.of(name);
    }

    @Test
    void nothing_is_downloaded_at_first() {
        assertThat(inventory.downloaded(cluster(1))).isEmpty();
    }

    @Test
    void marked_databases_are_downloaded_to_that_cluster_only() {
        markDownloaded(cluster(1), db("core_nt"), db("swissprot"));
        markDownloaded(cluster(2), db("nr"));

        assertThat(inventory.downloaded(cluster(1))).containsExactlyInAnyOrder(db("core_nt"), db("swissprot"));
        assertThat(inventory.downloaded(cluster(2))).containsExactly(db("nr"));
        assertThat(inventory.downloaded(cluster(3))).isEmpty();
    }

    @Test
    void marking_twice_is_harmless() {
        markDownloaded(cluster(1), db("core_nt"));
        markDownloaded(cluster(1), db("core_nt"), db("core_nt"));

        assertThat(inventory.downloaded(cluster(1))).containsExactly(db("core_nt"));
    }

    @Test
    void a_removed_database_is_no_longer_downloaded() {
        markDownloaded(cluster(1), db("core_nt"), db("swissprot"));

        removeDownloaded(cluster(1), db("core_nt"));
        removeDownloaded(cluster(1), db("never_there"));

        assertThat(inventory.downloaded(cluster(1))).containsExactly(db("swissprot"));
    }

    @Test
    void the_batched_form_answers_every_requested_cluster_as_the_single_form_does() {
        List<ClusterRef> asked = new ArrayList<>();
        Map<ClusterRef, Set<DatabaseName>> expected = new LinkedHashMap<>();
        for (int i = 0; i < manyClusters(); i++) {
            ClusterRef c = cluster(i);
            asked.add(c);
            if (i % 3 == 0) {
                expected.put(c, Set.of());
            } else if (i % 3 == 1) {
                markDownloaded(c, db("core_nt"));
                expected.put(c, Set.of(db("core_nt")));
            } else {
                markDownloaded(c, db("core_nt"), db("db" + i));
                expected.put(c, Set.of(db("core_nt"), db("db" + i)));
            }
        }
        markDownloaded(cluster(10_000), db("not_asked"));

        Map<ClusterRef, Set<DatabaseName>> batched = inventory.downloaded(asked);

        assertThat(batched).isEqualTo(expected);
        for (ClusterRef c : asked.subList(0, 6)) {
            assertThat(inventory.downloaded(c)).isEqualTo(batched.get(c));
        }
    }

    @Test
    void the_batched_form_of_no_cluster_is_empty() {
        markDownloaded(cluster(1), db("core_nt"));

        assertThat(inventory.downloaded(List.of())).isEmpty();
    }

    @Test
    void clusters_that_differ_only_in_one_part_are_distinct() {
        ClusterRef a = ClusterRef.of("00000000-0000-4000-8000-000000000001", "rg", "elb");
        ClusterRef otherRg = ClusterRef.of("00000000-0000-4000-8000-000000000001", "rg2", "elb");
        ClusterRef otherName = ClusterRef.of("00000000-0000-4000-8000-000000000001", "rg", "elb2");
        markDownloaded(a, db("core_nt"));

        assertThat(inventory.downloaded(List.of(a, otherRg, otherName)))
                .isEqualTo(Map.of(a, Set.of(db("core_nt")), otherRg, Set.of(), otherName, Set.of()));
    }
}
