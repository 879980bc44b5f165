package org.elb.warmkeeper.spring.boot;

import java.time.Clock;
import org.elb.warmkeeper.core.cluster.Checks;

/**
 * The clock of the library's beans, in a type of its own so that the application's injection points
 * never receive it as a {@link Clock} (nor does the library pick up an application's {@code Clock}
 * bean). Define an {@code ElbClock} bean to drive the library's time, e.g. in a test.
 */
public record ElbClock(Clock clock) {

    public ElbClock {
        Checks.required(clock, "clock");
    }

    /** The system clock in UTC. */
    public static ElbClock systemUtc() {
        return new ElbClock(Clock.systemUTC());
    }
}
