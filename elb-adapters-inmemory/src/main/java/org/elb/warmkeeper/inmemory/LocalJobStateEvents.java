package org.elb.warmkeeper.inmemory;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.elb.warmkeeper.core.provision.JobStateChange;
import org.elb.warmkeeper.core.provision.JobStateEvents;

/**
 * Job-state changes within one process (a single replica without Redis): delivered at once, in order, on
 * the publishing thread; a subscriber that throws is logged and the others still hear the change. The
 * runner and the Spring Boot starter use it when no Redis is configured, so a replica's event streams hear
 * its own changes; with several replicas use the Redis pub/sub adapter, which every replica hears.
 */
public final class LocalJobStateEvents implements JobStateEvents {

    private static final System.Logger log = System.getLogger(LocalJobStateEvents.class.getName());

    private final List<Consumer<JobStateChange>> subscribers = new CopyOnWriteArrayList<>();

    private LocalJobStateEvents() {}

    /** A new channel with no subscriber. */
    public static LocalJobStateEvents create() {
        return new LocalJobStateEvents();
    }

    @Override
    public void publish(JobStateChange change) {
        for (Consumer<JobStateChange> s : subscribers) {
            try {
                s.accept(change);
            } catch (RuntimeException e) {
                log.log(System.Logger.Level.WARNING, "a job-state subscriber failed on {0}: {1}", change.jobId(), e);
            }
        }
    }

    @Override
    public Subscription subscribe(Consumer<JobStateChange> subscriber) {
        subscribers.add(subscriber);
        return () -> subscribers.remove(subscriber);
    }

    @Override
    public String toString() {
        return "LocalJobStateEvents[in process, " + subscribers.size() + " subscriber(s)]";
    }
}
