package org.elb.warmkeeper.testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.elb.warmkeeper.core.provision.JobStateChange;
import org.elb.warmkeeper.core.provision.JobStateEvents;

/** Delivers each change synchronously to every subscriber and keeps a log of what was published. */
public final class InMemoryJobStateEvents implements JobStateEvents {

    private final List<Consumer<JobStateChange>> subscribers = new CopyOnWriteArrayList<>();
    private final List<JobStateChange> published = new ArrayList<>();

    @Override
    public void publish(JobStateChange change) {
        synchronized (this) {
            published.add(change);
        }
        for (Consumer<JobStateChange> s : subscribers) {
            try {
                s.accept(change);
            } catch (RuntimeException ignored) {
                // one subscriber's failure never reaches the publisher or the others
            }
        }
    }

    @Override
    public Subscription subscribe(Consumer<JobStateChange> subscriber) {
        subscribers.add(subscriber);
        return () -> subscribers.remove(subscriber);
    }

    public synchronized List<JobStateChange> published() {
        return List.copyOf(published);
    }
}
