package org.elb.warmkeeper.core.warm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.elb.warmkeeper.core.warm.WarmWorld.cluster;
import static org.elb.warmkeeper.core.warm.WarmWorld.db;

import java.util.List;
import org.elb.warmkeeper.core.cluster.ClusterRef;
import org.elb.warmkeeper.core.cluster.DatabaseName;
import org.elb.warmkeeper.inmemory.InMemoryWarmAttemptHistory;
import org.elb.warmkeeper.testkit.FakeWarmStatusProbe;
import org.elb.warmkeeper.testkit.InMemoryAutoWarmPreferences;
import org.elb.warmkeeper.testkit.InMemoryDatabaseInventory;
import org.elb.warmkeeper.testkit.InMemoryInflightLock;
import org.elb.warmkeeper.testkit.MutableClock;
import org.junit.jupiter.api.Test;

/** A dispatch's name (the Kubernetes Job's) reaches the attempt history; a dispatcher that names nothing records none. */
class DispatchJobNameTest {

    static final ClusterRef A = cluster("elb-a");
    static final DatabaseName CORE_NT = db("core_nt");
    static final InflightKey KEY = new InflightKey(A, CORE_NT);

    private static AutoWarmReconciler reconciler(WarmupDispatcher dispatcher, WarmAttemptHistory history) {
        MutableClock clock = MutableClock.start();
        return AutoWarmReconciler.builder(
                        new InMemoryAutoWarmPreferences().put(new AutoWarmPreference(A, List.of(CORE_NT), true)),
                        new InMemoryDatabaseInventory().markDownloaded(A, CORE_NT),
                        new FakeWarmStatusProbe().set(A, CORE_NT, WarmStatus.ABSENT),
                        new InMemoryInflightLock(clock),
                        dispatcher)
                .clock(clock)
                .history(history)
                .build();
    }

    @Test
    void the_dispatchers_job_name_is_recorded_with_the_dispatch() {
        InMemoryWarmAttemptHistory history = InMemoryWarmAttemptHistory.create();
        WarmupDispatcher naming = new WarmupDispatcher() {
            @Override
            public DispatchOutcome enqueue(WarmupRequest request) {
                return DispatchOutcome.ENQUEUED;
            }

            @Override
            public DispatchResult dispatch(WarmupRequest request) {
                return new DispatchResult(
                        DispatchOutcome.ENQUEUED,
                        "elb-warmup-" + request.database().value());
            }
        };

        try (AutoWarmReconciler r = reconciler(naming, history)) {
            assertThat(r.tick().outcome(A).orElseThrow().enqueued()).containsExactly(CORE_NT);
        }

        assertThat(history.recent(KEY, 5)).singleElement().satisfies(a -> {
            assertThat(a.event()).isEqualTo(AttemptEvent.DISPATCHED);
            assertThat(a.jobName()).isEqualTo("elb-warmup-core_nt");
            assertThat(a.token()).isNotNull();
        });
    }

    @Test
    void a_dispatcher_that_names_nothing_records_no_job_name() {
        InMemoryWarmAttemptHistory history = InMemoryWarmAttemptHistory.create();

        try (AutoWarmReconciler r = reconciler(request -> DispatchOutcome.ENQUEUED, history)) {
            r.tick();
        }

        assertThat(history.recent(KEY, 5))
                .singleElement()
                .extracting(WarmAttempt::jobName)
                .isNull();
    }

    @Test
    void a_blank_job_name_is_rejected_naming_the_field() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new DispatchResult(DispatchOutcome.ENQUEUED, " "))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'jobName'");
    }
}
