package org.elb.warmkeeper.runner;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.elb.warmkeeper.core.provision.JobStateChange;
import org.elb.warmkeeper.core.provision.JobStateEvents;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Job-state changes within one process (a single replica without Redis): delivered at once, in order. */
final class LocalJobStateEvents implements JobStateEvents {

    private static final Logger log = LoggerFactory.getLogger(LocalJobStateEvents.class);

    private final List<Consumer<JobStateChange>> subscribers = new CopyOnWriteArrayList<>();

    @Override
    public void publish(JobStateChange change) {
        for (Consumer<JobStateChange> s : subscribers) {
            try {
                s.accept(change);
            } catch (RuntimeException e) {
                log.warn("a job-state subscriber failed on {}: {}", change.jobId(), e.toString());
            }
        }
    }

    @Override
    public Subscription subscribe(Consumer<JobStateChange> subscriber) {
        subscribers.add(subscriber);
        return () -> subscribers.remove(subscriber);
    }
}
