package org.elb.warmkeeper.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.elb.warmkeeper.core.cluster.OwnerId;
import org.elb.warmkeeper.core.provision.JobId;
import org.elb.warmkeeper.core.provision.JobStateChange;
import org.elb.warmkeeper.core.provision.JobStateEvents;
import org.elb.warmkeeper.core.provision.JobStatus;
import org.elb.warmkeeper.core.provision.TaskId;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link JobStateEvents} must have. Extend it with {@link #publisher()} and
 * {@link #subscriber()}: the same instance for an in-process implementation, two instances on two
 * connections for a networked one (so that "another replica gets it" is what is tested). Delivery may
 * be asynchronous: assertions poll up to {@link #deliveryTimeout()}, and "nothing more arrives" waits
 * {@link #quietPeriod()}.
 */
public abstract class JobStateEventsContract {

    /** Where the test publishes. Called once per test, after any set-up. */
    protected abstract JobStateEvents publisher();

    /** Where the test subscribes: the publisher itself, or another instance on the same backend. */
    protected abstract JobStateEvents subscriber();

    /** How long a published change may take to arrive. Default 10 s. */
    protected Duration deliveryTimeout() {
        return Duration.ofSeconds(10);
    }

    /** How long to watch for deliveries that must not happen. Default 300 ms. */
    protected Duration quietPeriod() {
        return Duration.ofMillis(300);
    }

    /** A change of a fresh job, version {@code version}. */
    protected static JobStateChange change(JobId id, JobStatus status, long version) {
        return new JobStateChange(
                id,
                "aks_provision",
                OwnerId.of("owner-1"),
                status,
                version > 1 ? TaskId.of("task-" + id.value()) : null,
                version > 1 ? "Creating" : null,
                version,
                Instant.parse("2026-01-01T00:00:00Z").plusSeconds(version));
    }

    /** Waits until {@code condition} holds or the delivery timeout passes. */
    protected final boolean eventually(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + deliveryTimeout().toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(10);
        }
        return true;
    }

    /** Waits the quiet period. */
    protected final void quiet() throws InterruptedException {
        Thread.sleep(quietPeriod().toMillis());
    }

    @Test
    void a_subscriber_gets_each_change_exactly_once_in_publish_order() throws Exception {
        JobStateEvents pub = publisher();
        List<JobStateChange> received = new CopyOnWriteArrayList<>();
        try (JobStateEvents.Subscription ignored = subscriber().subscribe(received::add)) {
            List<JobStateChange> sent = new ArrayList<>();
            for (int j = 0; j < 5; j++) {
                JobId id = JobId.random();
                sent.add(change(id, JobStatus.QUEUED, 1));
                sent.add(change(id, JobStatus.RUNNING, 2));
                sent.add(change(id, JobStatus.SUCCEEDED, 3));
            }
            sent.forEach(pub::publish);

            assertThat(eventually(() -> received.size() >= sent.size()))
                    .as("all delivered, got " + received)
                    .isTrue();
            quiet();
            assertThat(received).containsExactlyElementsOf(sent);
        }
    }

    @Test
    void every_subscription_gets_every_change_and_a_closed_one_gets_no_more() throws Exception {
        JobStateEvents pub = publisher();
        JobStateEvents sub = subscriber();
        List<JobStateChange> first = new CopyOnWriteArrayList<>();
        List<JobStateChange> second = new CopyOnWriteArrayList<>();
        JobStateEvents.Subscription s1 = sub.subscribe(first::add);
        try (JobStateEvents.Subscription s2 = sub.subscribe(second::add)) {
            JobStateChange c1 = change(JobId.random(), JobStatus.QUEUED, 1);
            pub.publish(c1);
            assertThat(eventually(() -> first.size() == 1 && second.size() == 1))
                    .isTrue();

            s1.close();
            s1.close(); // closing twice is harmless
            JobStateChange c2 = change(JobId.random(), JobStatus.QUEUED, 1);
            pub.publish(c2);
            assertThat(eventually(() -> second.size() == 2)).isTrue();
            quiet();
            assertThat(second).containsExactly(c1, c2);
            assertThat(first).containsExactly(c1);
        }
    }

    @Test
    void a_throwing_subscriber_reaches_neither_the_publisher_nor_other_subscribers() throws Exception {
        JobStateEvents pub = publisher();
        List<JobStateChange> received = new CopyOnWriteArrayList<>();
        try (JobStateEvents.Subscription bad = subscriber().subscribe(c -> {
                    throw new IllegalStateException("subscriber bug");
                });
                JobStateEvents.Subscription good = subscriber().subscribe(received::add)) {
            JobStateChange c = change(JobId.random(), JobStatus.FAILED, 2);
            assertThatCode(() -> pub.publish(c)).doesNotThrowAnyException();
            JobStateChange d = change(JobId.random(), JobStatus.QUEUED, 1);
            pub.publish(d);

            assertThat(eventually(() -> received.size() == 2))
                    .as("got " + received)
                    .isTrue();
            assertThat(received).containsExactly(c, d);
        }
    }

    @Test
    void publishing_with_no_subscriber_does_not_throw() {
        assertThatCode(() -> publisher().publish(change(JobId.random(), JobStatus.QUEUED, 1)))
                .doesNotThrowAnyException();
    }
}
