package org.elb.warmkeeper.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.elb.warmkeeper.core.ElbException;
import org.elb.warmkeeper.core.cluster.ClusterRef;
import org.elb.warmkeeper.core.cluster.DatabaseName;
import org.elb.warmkeeper.core.warm.DispatchOutcome;
import org.elb.warmkeeper.core.warm.DispatchResult;
import org.elb.warmkeeper.core.warm.WarmupDispatcher;
import org.elb.warmkeeper.core.warm.WarmupRequest;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract every idempotent {@link WarmupDispatcher} keeps: a first enqueue answers ENQUEUED; a
 * second enqueue of the same warmup while it runs answers ALREADY_RUNNING (however many replicas
 * ask, concurrently or not, exactly one enqueues); once the warmup failed or finished, an enqueue
 * replaces it (ENQUEUED again); distinct databases (names are case-sensitive) and distinct clusters
 * are distinct warmups; an unreachable backend throws an {@link ElbException}, never a vendor one.
 *
 * <p>Subclasses supply the dispatcher and hooks that end a warmup the way the backend would.
 */
public abstract class WarmupDispatcherContract {

    protected static final ClusterRef CLUSTER =
            ClusterRef.of("00000000-0000-0000-0000-000000000001", "rg-contract", "elb-contract");
    protected static final ClusterRef OTHER_CLUSTER =
            ClusterRef.of("00000000-0000-0000-0000-000000000002", "rg-contract", "elb-other");

    private WarmupDispatcher dispatcher;

    /** A fresh dispatcher over an empty backend holding {@link #CLUSTER} and {@link #OTHER_CLUSTER}. */
    protected abstract WarmupDispatcher createDispatcher();

    /** The backend reports the (enqueued) warmup of {@code request} as failed. */
    protected abstract void markFailed(WarmupRequest request);

    /** The backend reports the (enqueued) warmup of {@code request} as finished successfully. */
    protected abstract void markFinished(WarmupRequest request);

    /**
     * Makes the backend of {@link #CLUSTER} unreachable (e.g. its API answers 500).
     *
     * @return false when the backend cannot be broken on purpose (the test is then skipped)
     */
    protected boolean makeUnavailable() {
        return false;
    }

    /**
     * The name the backend gives the warmup of {@code request} (e.g. the Kubernetes Job's), which
     * {@link WarmupDispatcher#dispatch} reports for the attempt history; null when the dispatcher names nothing.
     */
    protected @Nullable String expectedJobName(WarmupRequest request) {
        return null;
    }

    /** Threads racing in {@link #concurrent_enqueues_of_one_warmup_enqueue_exactly_once()}. */
    protected int racingThreads() {
        return 8;
    }

    @BeforeEach
    final void createDispatcherUnderTest() {
        dispatcher = createDispatcher();
    }

    protected final WarmupDispatcher dispatcher() {
        return dispatcher;
    }

    private static WarmupRequest request(ClusterRef cluster, String db) {
        return new WarmupRequest(cluster, DatabaseName.of(db), false);
    }

    @Test
    void first_enqueue_is_enqueued() {
        assertThat(dispatcher.enqueue(request(CLUSTER, "core_nt"))).isEqualTo(DispatchOutcome.ENQUEUED);
    }

    @Test
    void a_dispatch_reports_the_backends_name_of_the_warmup() {
        WarmupRequest r = request(CLUSTER, "env_nt");
        DispatchResult first = dispatcher.dispatch(r);

        assertThat(first.outcome()).isEqualTo(DispatchOutcome.ENQUEUED);
        assertThat(first.jobName()).isEqualTo(expectedJobName(r));
        assertThat(dispatcher.dispatch(r).outcome()).isEqualTo(DispatchOutcome.ALREADY_RUNNING);
    }

    @Test
    void a_second_enqueue_of_a_running_warmup_is_already_running() {
        WarmupRequest r = request(CLUSTER, "core_nt");
        assertThat(dispatcher.enqueue(r)).isEqualTo(DispatchOutcome.ENQUEUED);
        assertThat(dispatcher.enqueue(r)).isEqualTo(DispatchOutcome.ALREADY_RUNNING);
        assertThat(dispatcher.enqueue(new WarmupRequest(CLUSTER, r.database(), true)))
                .as("force bypasses the lock, not the backend's idempotency")
                .isEqualTo(DispatchOutcome.ALREADY_RUNNING);
    }

    @Test
    void after_the_warmup_failed_an_enqueue_replaces_it() {
        WarmupRequest r = request(CLUSTER, "swissprot");
        assertThat(dispatcher.enqueue(r)).isEqualTo(DispatchOutcome.ENQUEUED);
        markFailed(r);
        assertThat(dispatcher.enqueue(r)).isEqualTo(DispatchOutcome.ENQUEUED);
        assertThat(dispatcher.enqueue(r)).as("the replacement runs").isEqualTo(DispatchOutcome.ALREADY_RUNNING);
    }

    @Test
    void after_the_warmup_finished_an_enqueue_starts_a_new_one() {
        WarmupRequest r = request(CLUSTER, "pdbaa");
        assertThat(dispatcher.enqueue(r)).isEqualTo(DispatchOutcome.ENQUEUED);
        markFinished(r);
        assertThat(dispatcher.enqueue(r)).isEqualTo(DispatchOutcome.ENQUEUED);
        assertThat(dispatcher.enqueue(r)).isEqualTo(DispatchOutcome.ALREADY_RUNNING);
    }

    @Test
    void distinct_databases_and_clusters_are_distinct_warmups() {
        assertThat(dispatcher.enqueue(request(CLUSTER, "core_nt"))).isEqualTo(DispatchOutcome.ENQUEUED);
        assertThat(dispatcher.enqueue(request(CLUSTER, "Core_NT")))
                .as("case-sensitive")
                .isEqualTo(DispatchOutcome.ENQUEUED);
        assertThat(dispatcher.enqueue(request(CLUSTER, "core.nt"))).isEqualTo(DispatchOutcome.ENQUEUED);
        assertThat(dispatcher.enqueue(request(CLUSTER, "core-nt"))).isEqualTo(DispatchOutcome.ENQUEUED);
        assertThat(dispatcher.enqueue(request(OTHER_CLUSTER, "core_nt"))).isEqualTo(DispatchOutcome.ENQUEUED);
        String longPrefix = "L" + "o_ng.".repeat(19) + "nam"; // 99 characters: names differ only at the end
        assertThat(dispatcher.enqueue(request(CLUSTER, longPrefix + "a"))).isEqualTo(DispatchOutcome.ENQUEUED);
        assertThat(dispatcher.enqueue(request(CLUSTER, longPrefix + "b"))).isEqualTo(DispatchOutcome.ENQUEUED);
        assertThat(dispatcher.enqueue(request(CLUSTER, longPrefix + "a"))).isEqualTo(DispatchOutcome.ALREADY_RUNNING);
    }

    @Test
    void an_unreachable_backend_throws_a_core_exception_not_a_vendor_one() {
        Assumptions.assumeTrue(makeUnavailable(), "backend cannot be made unavailable");
        assertThatThrownBy(() -> dispatcher.enqueue(request(CLUSTER, "core_nt")))
                .isInstanceOf(ElbException.class);
    }

    @Test
    void concurrent_enqueues_of_one_warmup_enqueue_exactly_once() throws Exception {
        int threads = racingThreads();
        WarmupRequest r = request(CLUSTER, "nr");
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<DispatchOutcome>> results = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                results.add(pool.submit(() -> {
                    start.await();
                    return dispatcher.enqueue(r);
                }));
            }
            start.countDown();
            int enqueued = 0;
            int running = 0;
            for (Future<DispatchOutcome> f : results) {
                DispatchOutcome outcome = f.get(30, TimeUnit.SECONDS);
                if (outcome == DispatchOutcome.ENQUEUED) {
                    enqueued++;
                } else {
                    running++;
                }
            }
            assertThat(enqueued).as("ENQUEUED answers").isEqualTo(1);
            assertThat(running).as("ALREADY_RUNNING answers").isEqualTo(threads - 1);
        } finally {
            pool.shutdownNow();
        }
    }
}
