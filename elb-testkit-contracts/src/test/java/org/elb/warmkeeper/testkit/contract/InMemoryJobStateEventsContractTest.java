package org.elb.warmkeeper.testkit.contract;

import org.elb.warmkeeper.core.provision.JobStateEvents;
import org.elb.warmkeeper.testkit.InMemoryJobStateEvents;

/** The fake passes the same suite as the Redis pub/sub adapter; one instance plays both sides. */
class InMemoryJobStateEventsContractTest extends JobStateEventsContract {

    private final InMemoryJobStateEvents events = new InMemoryJobStateEvents();

    @Override
    protected JobStateEvents publisher() {
        return events;
    }

    @Override
    protected JobStateEvents subscriber() {
        return events;
    }
}
