package org.elb.warmkeeper.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.elb.warmkeeper.core.ElbException;
import org.elb.warmkeeper.core.cluster.ClusterRef;
import org.elb.warmkeeper.core.warm.ClusterReadinessProbe;
import org.elb.warmkeeper.core.warm.Readiness;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link ClusterReadinessProbe} keeps: a cluster the backend calls ready is ready; one
 * that cannot take warmups is not ready, with a reason; a change is seen by the next probe (no stale
 * cache); clusters do not leak into each other; a cluster the backend has no trace of is not ready;
 * one probe is at most one backend call; a probe that itself fails (backend unreachable) throws an
 * {@link ElbException}, never a vendor exception, so that the reconciler marks that cluster ERROR.
 *
 * <p>Subclasses supply the probe and hooks that make one cluster ready or not ready in the backend.
 */
public abstract class ClusterReadinessProbeContract {

    protected static final ClusterRef CLUSTER =
            ClusterRef.of("00000000-0000-0000-0000-000000000001", "rg-contract", "elb-contract");
    protected static final ClusterRef OTHER_CLUSTER =
            ClusterRef.of("00000000-0000-0000-0000-000000000002", "rg-contract", "elb-other");

    private ClusterReadinessProbe probe;

    /** A fresh probe over a backend that answers for {@link #CLUSTER} and {@link #OTHER_CLUSTER}. */
    protected abstract ClusterReadinessProbe createProbe();

    /** Puts {@code cluster} into a state in which it can take warmups (e.g. ARM Succeeded/Running, a Ready node). */
    protected abstract void makeReady(ClusterRef cluster);

    /**
     * Puts {@code cluster} into a state in which it exists but cannot take warmups (e.g. ARM
     * provisioningState Updating, every node NotReady), replacing what was there.
     */
    protected abstract void makeNotReady(ClusterRef cluster);

    /**
     * Removes every trace of {@code cluster} from the backend (no managed cluster, no nodes).
     *
     * @return false when the backend has no such state (the test is then skipped)
     */
    protected boolean makeAbsent(ClusterRef cluster) {
        return false;
    }

    /**
     * Makes the backend that answers for {@code cluster} unreachable (refused connections, HTTP 500).
     *
     * @return false when the backend cannot be broken on purpose (the test is then skipped)
     */
    protected boolean makeUnreachable(ClusterRef cluster) {
        return false;
    }

    /**
     * Backend calls made so far (e.g. HTTP requests the server saw), or -1 when the backend cannot
     * count them (the test is then skipped).
     */
    protected long backendCalls() {
        return -1;
    }

    @BeforeEach
    final void createProbeUnderTest() {
        probe = createProbe();
    }

    protected final ClusterReadinessProbe probe() {
        return probe;
    }

    @Test
    void a_ready_cluster_is_ready() {
        makeReady(CLUSTER);

        assertThat(probe.probe(CLUSTER).isReady()).isTrue();
    }

    @Test
    void a_cluster_that_cannot_take_warmups_is_not_ready_with_a_reason() {
        makeNotReady(CLUSTER);

        Readiness readiness = probe.probe(CLUSTER);

        assertThat(readiness.isReady()).isFalse();
        assertThat(readiness.reason()).isNotBlank();
    }

    @Test
    void a_change_is_seen_by_the_next_probe() {
        makeReady(CLUSTER);
        assertThat(probe.probe(CLUSTER).isReady()).as("first ready").isTrue();
        makeNotReady(CLUSTER);
        assertThat(probe.probe(CLUSTER).isReady()).as("then not ready").isFalse();
        makeReady(CLUSTER);
        assertThat(probe.probe(CLUSTER).isReady()).as("ready again").isTrue();
    }

    @Test
    void clusters_do_not_leak_into_each_other() {
        makeReady(CLUSTER);
        makeNotReady(OTHER_CLUSTER);

        assertThat(probe.probe(CLUSTER).isReady()).isTrue();
        assertThat(probe.probe(OTHER_CLUSTER).isReady()).isFalse();

        makeNotReady(CLUSTER);
        makeReady(OTHER_CLUSTER);

        assertThat(probe.probe(CLUSTER).isReady()).isFalse();
        assertThat(probe.probe(OTHER_CLUSTER).isReady()).isTrue();
    }

    @Test
    void a_cluster_the_backend_has_no_trace_of_is_not_ready() {
        Assumptions.assumeTrue(makeAbsent(CLUSTER), "backend has no absent state");

        Readiness readiness = probe.probe(CLUSTER);

        assertThat(readiness.isReady()).isFalse();
        assertThat(readiness.reason()).isNotBlank();
    }

    @Test
    void one_probe_is_at_most_one_backend_call() {
        makeReady(CLUSTER);
        long before = backendCalls();
        Assumptions.assumeTrue(before >= 0, "backend cannot count its calls");

        probe.probe(CLUSTER);

        assertThat(backendCalls() - before).as("backend calls for one probe").isBetween(0L, 1L);
    }

    @Test
    void an_unreachable_backend_throws_a_core_exception_not_a_vendor_one() {
        makeReady(CLUSTER);
        Assumptions.assumeTrue(makeUnreachable(CLUSTER), "backend cannot be made unreachable");

        assertThatThrownBy(() -> probe.probe(CLUSTER)).isInstanceOf(ElbException.class);
    }
}
