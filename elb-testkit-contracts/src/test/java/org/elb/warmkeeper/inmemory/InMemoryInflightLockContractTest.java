package org.elb.warmkeeper.inmemory;

import java.time.Duration;
import org.elb.warmkeeper.core.warm.InflightLock;
import org.elb.warmkeeper.testkit.MutableClock;
import org.elb.warmkeeper.testkit.contract.InflightLockContract;

/** The production single-replica lock passes the lock contract, with time on a settable clock. */
class InMemoryInflightLockContractTest extends InflightLockContract {

    private final MutableClock clock = MutableClock.start();

    @Override
    protected InflightLock createLock() {
        return InMemoryInflightLock.create(clock);
    }

    @Override
    protected void advanceTime(Duration by) {
        clock.advance(by);
    }
}
