package org.elb.warmkeeper.core.warm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.elb.warmkeeper.core.cluster.DatabaseName;

/**
 * The warm planner (reconcile step 3) and the cluster status rules (step 6). Inputs: the configured
 * databases (in the user's order, possibly with duplicates), the downloaded set, and the probe's
 * statuses (possibly missing some databases). A small name pool makes overlaps frequent.
 */
class WarmPlannerProperties {

    /** One planner input. */
    record Input(List<DatabaseName> configured, Set<DatabaseName> downloaded, Map<DatabaseName, WarmStatus> statuses) {
        List<DatabaseName> distinct() {
            return List.copyOf(new LinkedHashSet<>(configured));
        }

        WarmStatus statusOf(DatabaseName db) {
            return statuses.getOrDefault(db, WarmStatus.UNKNOWN);
        }
    }

    static final List<DatabaseName> POOL = List.of(
                    "core_nt",
                    "nt",
                    "nr",
                    "swissprot",
                    "pdbaa",
                    "16S_ribosomal_RNA",
                    "refseq_rna",
                    "env_nr",
                    "pataa",
                    "ref_viruses_rep_genomes")
            .stream()
            .map(DatabaseName::of)
            .toList();

    @Provide
    Arbitrary<Input> plannerInputs() {
        Arbitrary<List<DatabaseName>> configured =
                Arbitraries.of(POOL).list().ofMinSize(0).ofMaxSize(12);
        Arbitrary<Set<DatabaseName>> downloaded = Arbitraries.of(POOL).set().ofMaxSize(POOL.size());
        Arbitrary<Map<DatabaseName, WarmStatus>> statuses = Arbitraries.maps(
                        Arbitraries.of(POOL), Arbitraries.of(WarmStatus.class))
                .ofMaxSize(POOL.size());
        return Combinators.combine(configured, downloaded, statuses).as(Input::new);
    }

    @Property
    void every_configured_db_lands_in_exactly_one_of_warm_skipped_candidates(@ForAll("plannerInputs") Input in) {
        WarmPlan plan = WarmPlanner.plan(in.configured(), in.downloaded(), in.statuses());
        List<DatabaseName> all = new ArrayList<>(plan.warm());
        plan.skipped().forEach(s -> all.add(s.db()));
        all.addAll(plan.candidates());
        assertThat(all).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(in.distinct());
    }

    @Property
    void ready_and_loading_are_warm_never_planned(@ForAll("plannerInputs") Input in) {
        WarmPlan plan = WarmPlanner.plan(in.configured(), in.downloaded(), in.statuses());
        for (DatabaseName db : in.distinct()) {
            boolean warm = in.statusOf(db) == WarmStatus.READY || in.statusOf(db) == WarmStatus.LOADING;
            assertThat(plan.warm().contains(db))
                    .as("%s (%s) warm", db, in.statusOf(db))
                    .isEqualTo(warm);
        }
    }

    @Property
    void an_undownloaded_db_is_never_a_candidate_and_is_skipped_not_downloaded_unless_warm(
            @ForAll("plannerInputs") Input in) {
        WarmPlan plan = WarmPlanner.plan(in.configured(), in.downloaded(), in.statuses());
        for (DatabaseName db : in.distinct()) {
            if (!in.downloaded().contains(db)) {
                assertThat(plan.candidates()).doesNotContain(db);
                if (!in.statusOf(db).isWarmOrWarming()) {
                    assertThat(plan.skipped()).contains(new Skip(db, SkipReason.NOT_DOWNLOADED));
                }
            }
        }
    }

    @Property
    void candidates_are_exactly_the_downloaded_failed_or_absent_dbs_in_configured_order(
            @ForAll("plannerInputs") Input in) {
        WarmPlan plan = WarmPlanner.plan(in.configured(), in.downloaded(), in.statuses());
        List<DatabaseName> expected = in.distinct().stream()
                .filter(in.downloaded()::contains)
                .filter(db -> in.statusOf(db) == WarmStatus.FAILED || in.statusOf(db) == WarmStatus.ABSENT)
                .toList();
        assertThat(plan.candidates()).containsExactlyElementsOf(expected);
    }

    @Property
    void a_downloaded_db_the_probe_cannot_judge_is_skipped_status_unknown(@ForAll("plannerInputs") Input in) {
        WarmPlan plan = WarmPlanner.plan(in.configured(), in.downloaded(), in.statuses());
        for (DatabaseName db : in.distinct()) {
            boolean unknown = in.downloaded().contains(db) && in.statusOf(db) == WarmStatus.UNKNOWN;
            assertThat(plan.skipped().contains(new Skip(db, SkipReason.STATUS_UNKNOWN)))
                    .isEqualTo(unknown);
        }
        assertThat(plan.skipped())
                .allMatch(s -> s.reason() == SkipReason.NOT_DOWNLOADED || s.reason() == SkipReason.STATUS_UNKNOWN);
    }

    @Property
    void the_plan_depends_only_on_its_inputs_not_on_their_order_of_statuses(@ForAll("plannerInputs") Input in) {
        // Deterministic: planning twice (with a differently built statuses map) gives the same plan.
        Map<DatabaseName, WarmStatus> copy = new HashMap<>(in.statuses());
        Set<DatabaseName> downloadedCopy = new HashSet<>(in.downloaded());
        assertThat(WarmPlanner.plan(in.configured(), downloadedCopy, copy))
                .isEqualTo(WarmPlanner.plan(in.configured(), in.downloaded(), in.statuses()));
    }

    // ---- cluster status rules (step 6) -----------------------------------------------------------

    @Property
    void status_of_a_ready_cluster_follows_the_rules(
            @ForAll @IntRange(min = 0, max = 50) int configured,
            @ForAll @IntRange(min = 0, max = 50) int warm,
            @ForAll @IntRange(min = 0, max = 50) int enqueued) {
        net.jqwik.api.Assume.that(warm + enqueued <= configured);
        ClusterStatus status = ClusterStatus.ofReadyCluster(configured, warm, enqueued);
        assertThat(status == ClusterStatus.TRIGGERED)
                .as("TRIGGERED iff something enqueued")
                .isEqualTo(enqueued > 0);
        assertThat(status == ClusterStatus.READY_NOOP)
                .as("READY_NOOP iff all warm")
                .isEqualTo(warm == configured);
        assertThat(status == ClusterStatus.WAITING)
                .as("WAITING otherwise")
                .isEqualTo(enqueued == 0 && warm < configured);
        assertThat(status).isNotIn(ClusterStatus.CLUSTER_NOT_READY, ClusterStatus.ERROR);
    }

    @Property
    void status_of_a_planned_cluster_when_every_candidate_is_enqueued_or_none_is(
            @ForAll("plannerInputs") Input in, @ForAll boolean enqueueAll) {
        WarmPlan plan = WarmPlanner.plan(in.configured(), in.downloaded(), in.statuses());
        List<DatabaseName> enqueued = enqueueAll ? plan.candidates() : List.of();
        ClusterStatus status =
                ClusterStatus.ofReadyCluster(in.distinct().size(), plan.warm().size(), enqueued.size());
        if (!enqueued.isEmpty()) {
            assertThat(status).isEqualTo(ClusterStatus.TRIGGERED);
        } else if (in.distinct().stream().allMatch(db -> in.statusOf(db).isWarmOrWarming())) {
            assertThat(status).isEqualTo(ClusterStatus.READY_NOOP);
        } else {
            assertThat(status).isEqualTo(ClusterStatus.WAITING);
        }
    }

    @Example
    void wire_names_are_the_seeds_words() {
        assertThat(ClusterStatus.TRIGGERED.wireName()).isEqualTo("triggered");
        assertThat(ClusterStatus.READY_NOOP.wireName()).isEqualTo("ready_noop");
        assertThat(ClusterStatus.WAITING.wireName()).isEqualTo("waiting");
        assertThat(ClusterStatus.CLUSTER_NOT_READY.wireName()).isEqualTo("cluster_not_ready");
        assertThat(ClusterStatus.ERROR.wireName()).isEqualTo("error");
        assertThat(SkipReason.INFLIGHT.wireName()).isEqualTo("inflight");
        assertThat(SkipReason.NOT_DOWNLOADED.wireName()).isEqualTo("not_downloaded");
        assertThat(SkipReason.STATUS_UNKNOWN.wireName()).isEqualTo("status_unknown");
        assertThat(SkipReason.ENQUEUE_FAILED.wireName()).isEqualTo("enqueue_failed");
    }
}
