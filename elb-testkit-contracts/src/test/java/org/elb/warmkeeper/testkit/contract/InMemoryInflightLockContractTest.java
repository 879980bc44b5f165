package org.elb.warmkeeper.testkit.contract;

import java.time.Duration;
import org.elb.warmkeeper.core.warm.InflightLock;
import org.elb.warmkeeper.testkit.InMemoryInflightLock;
import org.elb.warmkeeper.testkit.MutableClock;

/** The fake passes the same suite as the Redis adapter, with time on a settable clock. */
class InMemoryInflightLockContractTest extends FallibleInflightLockContract {

    private final MutableClock clock = MutableClock.start();
    private InMemoryInflightLock fake = new InMemoryInflightLock(clock);

    @Override
    protected InflightLock createLock() {
        fake = new InMemoryInflightLock(clock);
        return fake;
    }

    @Override
    protected void startOutage() {
        fake.faults().unavailable();
    }

    @Override
    protected void endOutage() {
        fake.faults().heal();
    }

    @Override
    protected void advanceTime(Duration by) {
        clock.advance(by);
    }
}
