package org.elb.warmkeeper.redis;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.elb.warmkeeper.core.BackendUnavailableException;
import org.elb.warmkeeper.core.cluster.Checks;
import org.elb.warmkeeper.core.provision.JobStateChange;
import org.elb.warmkeeper.core.provision.JobStateEvents;
import org.elb.warmkeeper.json.JobStateChangeJson;
import org.elb.warmkeeper.redis.internal.Failures;
import org.elb.warmkeeper.redis.internal.OffThread;
import org.redisson.api.RTopic;
import org.redisson.api.RedissonClient;
import org.redisson.api.listener.MessageListener;
import org.redisson.client.codec.StringCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link JobStateEvents} on Redis pub/sub ({@link RTopic} with {@link StringCodec}): each change is one
 * JSON message on {@link Builder#channel} (default {@link #DEFAULT_CHANNEL}); see
 * {@link JobStateChangeJson} for the form. Any Redis client may subscribe to the channel.
 *
 * <ul>
 *   <li>{@link #publish} never throws and never runs Redisson on the caller's thread: it waits at most {@link Builder#publishBudget} (default
 *       {@link #DEFAULT_PUBLISH_BUDGET}) and logs a lost event. Publishing from one thread keeps order;
 *       subscribers order by {@link JobStateChange#version()} in any case.
 *   <li>Each subscription gets each change published while it is connected exactly once (Redis
 *       pub/sub), including a process's own changes. After a dropped connection Redisson reconnects
 *       and resubscribes by itself; changes published while the connection was down are lost (pub/sub
 *       is not durable: re-read the job row).
 *   <li>A subscriber that throws is logged and never affects the others or the publisher; malformed
 *       messages on the channel are ignored.
 * </ul>
 *
 * The events do not own the client: close it yourself. Thread-safe.
 */
public final class RedissonJobStateEvents implements JobStateEvents, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RedissonJobStateEvents.class);

    /** Default pub/sub channel. */
    public static final String DEFAULT_CHANNEL = "elb:jobstate:changes";
    /** Default longest wait of {@link #publish}: 250 ms. */
    public static final Duration DEFAULT_PUBLISH_BUDGET = Duration.ofMillis(250);
    /** Default longest wait of {@link #subscribe}: 5 s. */
    public static final Duration DEFAULT_SUBSCRIBE_TIMEOUT = Duration.ofSeconds(5);

    private static final Pattern CHANNEL = Pattern.compile("[\\x21-\\x7E]{1,200}");

    private final RTopic topic;
    private final String channel;
    private final Duration publishBudget;
    private final Duration subscribeTimeout;
    private final AtomicBoolean publishing = new AtomicBoolean(true);
    private final OffThread calls = new OffThread("redis-events");

    private RedissonJobStateEvents(Builder b) {
        this.channel = b.channel;
        this.topic = b.client.getTopic(b.channel, StringCodec.INSTANCE);
        this.publishBudget = b.publishBudget;
        this.subscribeTimeout = b.subscribeTimeout;
    }

    public static Builder builder(RedissonClient client) {
        return new Builder(client);
    }

    /** Events on {@link #DEFAULT_CHANNEL} with every default. */
    public static RedissonJobStateEvents of(RedissonClient client) {
        return builder(client).build();
    }

    public String channel() {
        return channel;
    }

    @Override
    public void publish(JobStateChange change) {
        CompletableFuture<Long> sent = null;
        try {
            String json = JobStateChangeJson.encode(change);
            sent = calls.start(() -> topic.publishAsync(json));
            Long receivers = sent.get(publishBudget.toMillis(), TimeUnit.MILLISECONDS);
            if (publishing.compareAndSet(false, true)) {
                log.info("job-state events: publishing to redis again");
            }
            log.debug(
                    "published {} of job {} (version {}) to {} subscriber(s)",
                    change.status().wireName(),
                    change.jobId(),
                    change.version(),
                    receivers);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            lost(change, e);
        } catch (TimeoutException | ExecutionException | RuntimeException e) {
            if (sent != null) {
                sent.cancel(false);
            }
            lost(change, e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e);
        }
    }

    private void lost(JobStateChange change, Throwable e) {
        String why = e instanceof TimeoutException
                ? "no answer within " + publishBudget.toMillis() + " ms"
                : Failures.describe(e);
        if (publishing.compareAndSet(true, false)) {
            log.warn(
                    "job-state events: could not publish the change of job {} to redis; events are lost until it is back: {}",
                    change.jobId(),
                    why);
        } else {
            log.debug("job-state events: lost the change of job {}: {}", change.jobId(), why);
        }
    }

    /**
     * Subscribes; the subscriber runs on a Redisson thread. Once the handle is closed the subscriber is
     * never called again (the unsubscribe from Redis completes in the background).
     *
     * @throws BackendUnavailableException when Redis does not confirm the subscription within
     *     {@link Builder#subscribeTimeout}
     */
    @Override
    public Subscription subscribe(Consumer<JobStateChange> subscriber) {
        AtomicBoolean open = new AtomicBoolean(true);
        MessageListener<String> listener = (ch, message) -> {
            if (!open.get()) {
                return; // closed: Redis may still deliver until the unsubscribe is through
            }
            JobStateChangeJson.decode(message)
                    .ifPresentOrElse(
                            change -> {
                                try {
                                    subscriber.accept(change);
                                } catch (RuntimeException e) {
                                    log.warn("job-state subscriber failed on job {}: {}", change.jobId(), e.toString());
                                }
                            },
                            () -> log.debug("ignored a message on {} that is not a job-state change", ch));
        };
        CompletableFuture<Integer> added = calls.start(() -> topic.addListenerAsync(String.class, listener));
        int id;
        try {
            id = added.get(subscribeTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw abandon(added, e);
        } catch (TimeoutException | ExecutionException e) {
            throw abandon(added, e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e);
        }
        log.debug("subscribed listener {} to {}", id, channel);
        return () -> {
            if (open.compareAndSet(true, false)) {
                topic.removeListenerAsync(id).whenComplete((v, e) -> {
                    if (e != null) {
                        log.debug("unsubscribe of listener {} from {} failed: {}", id, channel, Failures.describe(e));
                    }
                });
            }
        };
    }

    /** Gives up a subscription that did not complete; if it completes later it is removed again. */
    private BackendUnavailableException abandon(CompletableFuture<Integer> added, Throwable cause) {
        added.thenAccept(lateId -> topic.removeListenerAsync(lateId));
        return new BackendUnavailableException(
                "redis",
                "subscribe",
                "no subscription to '" + channel + "' within " + subscribeTimeout.toMillis() + " ms",
                cause);
    }

    @Override
    public String toString() {
        return "RedissonJobStateEvents[channel=" + channel + "]";
    }

    /** Builder of {@link RedissonJobStateEvents}; every setter validates eagerly. */
    public static final class Builder {
        private final RedissonClient client;
        private String channel = DEFAULT_CHANNEL;
        private Duration publishBudget = DEFAULT_PUBLISH_BUDGET;
        private Duration subscribeTimeout = DEFAULT_SUBSCRIBE_TIMEOUT;

        private Builder(RedissonClient client) {
            this.client = Checks.required(client, "client");
        }

        /** Default {@link #DEFAULT_CHANNEL}; 1-200 printable ASCII characters without whitespace. */
        public Builder channel(String channel) {
            this.channel =
                    Checks.matches(channel, "channel", CHANNEL, "1-200 printable ASCII characters without whitespace");
            return this;
        }

        /** Default {@link #DEFAULT_PUBLISH_BUDGET}; at least 1 ms. */
        public Builder publishBudget(Duration publishBudget) {
            this.publishBudget = atLeastOneMilli(publishBudget, "publishBudget");
            return this;
        }

        /** Default {@link #DEFAULT_SUBSCRIBE_TIMEOUT}; at least 1 ms. */
        public Builder subscribeTimeout(Duration subscribeTimeout) {
            this.subscribeTimeout = atLeastOneMilli(subscribeTimeout, "subscribeTimeout");
            return this;
        }

        public RedissonJobStateEvents build() {
            return new RedissonJobStateEvents(this);
        }

        private static Duration atLeastOneMilli(Duration d, String field) {
            Checks.positive(d, field);
            if (d.toMillis() < 1) {
                throw new IllegalArgumentException("'" + field + "' must be at least 1 ms, but was " + d);
            }
            return d;
        }
    }

    /** Ends the threads these events start its calls on (the Redisson client is the caller's to shut down). */
    @Override
    public void close() {
        calls.shutdown();
    }
}
