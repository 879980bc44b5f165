package org.elb.warmkeeper.testkit.contract;

import org.elb.warmkeeper.core.provision.JobStateEvents;
import org.elb.warmkeeper.inmemory.LocalJobStateEvents;

/** The in-process adapter (the runner's and the starter's without Redis) passes the Redis adapter's suite. */
class LocalJobStateEventsContractTest extends JobStateEventsContract {

    private final LocalJobStateEvents events = LocalJobStateEvents.create();

    @Override
    protected JobStateEvents publisher() {
        return events;
    }

    @Override
    protected JobStateEvents subscriber() {
        return events;
    }
}
