package org.elb.warmkeeper.inmemory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Set;
import org.elb.warmkeeper.core.cluster.ClusterRef;
import org.elb.warmkeeper.core.cluster.DatabaseName;
import org.elb.warmkeeper.core.warm.Acquisition;
import org.elb.warmkeeper.core.warm.InflightKey;
import org.elb.warmkeeper.core.warm.LockToken;
import org.elb.warmkeeper.testkit.MutableClock;
import org.junit.jupiter.api.Test;

class InMemoryInflightLockTest {

    private static final ClusterRef CLUSTER =
            ClusterRef.of("00000000-0000-0000-0000-000000000000", "rg", "elb-cluster");

    private final MutableClock clock = MutableClock.start();
    private final InMemoryInflightLock lock = InMemoryInflightLock.create(clock);

    @Test
    void expired_keys_do_not_accumulate() {
        for (int round = 0; round < 50; round++) {
            InflightKey key = new InflightKey(CLUSTER, DatabaseName.of("db_" + round));
            assertThat(lock.tryAcquireAll(Set.of(key), LockToken.of("t"), Duration.ofSeconds(1)))
                    .containsEntry(key, Acquisition.ACQUIRED);
            clock.advance(Duration.ofSeconds(2));
        }
        assertThat(lock.size()).isLessThanOrEqualTo(33);
    }

    @Test
    void rejects_a_non_positive_ttl_naming_it() {
        InflightKey key = new InflightKey(CLUSTER, DatabaseName.of("nr"));
        assertThatThrownBy(() -> lock.tryAcquireAll(Set.of(key), LockToken.of("t"), Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ttl must be positive");
    }
}
