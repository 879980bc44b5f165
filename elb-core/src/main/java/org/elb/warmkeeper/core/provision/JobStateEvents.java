package org.elb.warmkeeper.core.provision;

import java.util.function.Consumer;

/**
 * Port: publish and subscribe job-state changes, the server-side counterpart of the seed's cross-tab
 * sync. Delivery is best effort; subscribers re-read the row for the authoritative state (the version
 * orders changes).
 */
public interface JobStateEvents {

    /** Never throws for an unreachable backend: a lost event must not fail a state change. */
    void publish(JobStateChange change);

    /** Subscribes; closing the returned handle unsubscribes. */
    Subscription subscribe(Consumer<JobStateChange> subscriber);

    /** A subscription handle. */
    interface Subscription extends AutoCloseable {
        @Override
        void close();
    }

    /** Publishes nowhere. */
    JobStateEvents NOOP = new JobStateEvents() {
        @Override
        public void publish(JobStateChange change) {}

        @Override
        public Subscription subscribe(Consumer<JobStateChange> subscriber) {
            return () -> {};
        }
    };
}
