package org.elb.warmkeeper.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Set;
import org.elb.warmkeeper.core.cluster.ClusterRef;
import org.elb.warmkeeper.core.cluster.DatabaseName;
import org.elb.warmkeeper.core.warm.AttemptEvent;
import org.elb.warmkeeper.core.warm.InflightKey;
import org.elb.warmkeeper.core.warm.WarmAttempt;
import org.elb.warmkeeper.core.warm.WarmAttemptHistory;
import org.junit.jupiter.api.Test;

/** The reconciler's default history (in process, bounded) passes the history contract, and stays bounded. */
class InProcessWarmAttemptHistoryContractTest extends WarmAttemptHistoryContract {

    private static final ClusterRef C = ClusterRef.of("00000000-0000-4000-8000-0000000000aa", "rg-elb", "elb-1");

    @Override
    protected WarmAttemptHistory createHistory() {
        return WarmAttemptHistory.inProcess();
    }

    private static InflightKey key(int n) {
        return new InflightKey(C, DatabaseName.of("db_" + n));
    }

    private static WarmAttempt failed(InflightKey k) {
        return WarmAttempt.observed(k, Instant.parse("2026-12-01T10:00:00Z"), AttemptEvent.FAILED, null);
    }

    @Test
    void at_most_max_databases_are_kept_the_least_recently_used_forgotten_first() {
        WarmAttemptHistory small = WarmAttemptHistory.inProcess(3);
        small.record(failed(key(1)));
        small.record(failed(key(2)));
        small.record(failed(key(3)));
        small.recent(key(1), 1); // read: key 1 is now the most recently used
        small.record(failed(key(4))); // one too many: key 2, the least recently used, goes

        assertThat(small.recent(Set.of(key(1), key(2), key(3), key(4)), 5)).containsOnlyKeys(key(1), key(3), key(4));
    }

    @Test
    void the_bound_must_be_positive() {
        assertThatThrownBy(() -> WarmAttemptHistory.inProcess(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'maxDatabases' must be a positive integer");
    }
}
