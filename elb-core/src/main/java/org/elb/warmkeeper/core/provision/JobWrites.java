package org.elb.warmkeeper.core.provision;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The service's job-state writes, ordered per job and retried until the store takes them.
 *
 * <p>A write for a job with nothing pending runs at once on the caller's thread (concurrent callers of
 * one job race as compare-and-set writes do). When it fails (the store threw), it is queued, and every
 * later write of the same job queues behind it, so a job's writes land in the order they were made. One retry thread drains the queues, job by job in the order of their
 * first queued write, each job's writes in order until one fails; it retries after a backoff that doubles
 * from {@code minBackoff} to {@code maxBackoff} and resets once a pass lands everything. The outage is
 * logged once when the first write is queued and once when the queues are empty again.
 *
 * <p>Bounded: at most {@code maxPending} writes wait; a write beyond that is dropped, counted and logged
 * (a provisioning that outlives such an outage shows up in the dead-job sweep). The queues live in memory:
 * a process that dies while writes wait loses them (see the README's failure modes).
 */
final class JobWrites implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(JobWrites.class);

    /** One write; throws when the store failed, returns when it took the write (or the write became moot). */
    interface Write {
        void run();
    }

    private record Pending(String operation, Write write) {}

    /** Per job, the writes waiting (never an empty queue). */
    private final Map<JobId, Deque<Pending>> pending = new LinkedHashMap<>();

    private final Duration minBackoff;
    private final Duration maxBackoff;
    private final int maxPending;
    private final ProvisioningObserver observer;
    private final @Nullable ScheduledExecutorService givenExecutor;
    private @Nullable ScheduledExecutorService executor;
    private @Nullable ScheduledFuture<?> scheduled;
    private Duration backoff;
    private int queued;
    private boolean outage;
    private boolean closed;
    private final AtomicLong retried = new AtomicLong();
    private final AtomicLong recovered = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();

    JobWrites(
            Duration minBackoff,
            Duration maxBackoff,
            int maxPending,
            ProvisioningObserver observer,
            @Nullable ScheduledExecutorService executor) {
        this.minBackoff = minBackoff;
        this.maxBackoff = maxBackoff;
        this.maxPending = maxPending;
        this.observer = observer;
        this.givenExecutor = executor;
        this.backoff = minBackoff;
    }

    /**
     * Runs {@code write} now when nothing of {@code job} is pending, else queues it behind the pending ones.
     *
     * @return true when it ran now and the store took it; false when it is queued (or dropped)
     */
    boolean submit(JobId job, String operation, Write write) {
        synchronized (this) {
            if (pending.containsKey(job)) {
                enqueue(job, new Pending(operation, write));
                return false;
            }
        }
        try {
            write.run();
            return true;
        } catch (RuntimeException e) {
            failed(operation, e);
            synchronized (this) {
                enqueue(job, new Pending(operation, write));
            }
            return false;
        }
    }

    /** Whether writes of {@code job} are waiting. */
    synchronized boolean isPending(JobId job) {
        Deque<Pending> q = pending.get(job);
        return q != null && !q.isEmpty();
    }

    /** Writes waiting now. */
    synchronized int pendingCount() {
        return queued;
    }

    /** Queued writes the store took on a retry, since start. */
    long recoveredCount() {
        return recovered.get();
    }

    /** Retry attempts (failed or not), since start. */
    long retriedCount() {
        return retried.get();
    }

    /** Writes dropped because {@code maxPending} were already waiting, since start. */
    long droppedCount() {
        return dropped.get();
    }

    private void enqueue(JobId job, Pending p) {
        if (queued >= maxPending) {
            dropped.incrementAndGet();
            log.error(
                    "job {}: {} dropped: {} job-state writes are already waiting for the store",
                    job,
                    p.operation,
                    queued);
            observer.stateWriteFailed("dropped_" + p.operation, new IllegalStateException("write queue full"));
            return;
        }
        Deque<Pending> q = pending.computeIfAbsent(job, k -> new ArrayDeque<>());
        q.addLast(p);
        queued++;
        if (!outage) {
            outage = true;
            log.warn(
                    "job-state store failed: writes are queued in order per job and retried every {} up to {}",
                    minBackoff,
                    maxBackoff);
        }
        schedule(backoff);
    }

    private void failed(String operation, RuntimeException e) {
        observer.stateWriteFailed(operation, e);
        log.debug("job-state {} failed (queued for retry): {}", operation, e.toString());
    }

    private void schedule(Duration delay) {
        if (closed || (scheduled != null && !scheduled.isDone())) {
            return;
        }
        scheduled = executor().schedule(this::drain, delay.toNanos(), TimeUnit.NANOSECONDS);
    }

    private ScheduledExecutorService executor() {
        if (executor == null) {
            if (givenExecutor != null) {
                executor = givenExecutor;
            } else {
                ScheduledThreadPoolExecutor own = new ScheduledThreadPoolExecutor(1, r -> {
                    Thread t = new Thread(r, "elb-job-writes");
                    t.setDaemon(true);
                    return t;
                });
                own.setRemoveOnCancelPolicy(true);
                executor = own;
            }
        }
        return executor;
    }

    /** One pass over every job with waiting writes; reschedules itself while any wait. */
    void drain() {
        List<JobId> jobs;
        synchronized (this) {
            scheduled = null;
            jobs = new ArrayList<>(pending.keySet());
        }
        boolean allLanded = true;
        for (JobId job : jobs) {
            while (true) {
                Pending next;
                synchronized (this) {
                    Deque<Pending> q = pending.get(job);
                    if (q == null || q.isEmpty()) {
                        pending.remove(job);
                        break;
                    }
                    next = q.peekFirst();
                }
                retried.incrementAndGet();
                try {
                    next.write.run();
                } catch (RuntimeException e) {
                    log.debug("job {}: retry of {} failed: {}", job, next.operation, e.toString());
                    allLanded = false;
                    break;
                }
                recovered.incrementAndGet();
                synchronized (this) {
                    Deque<Pending> q = pending.get(job);
                    if (q != null) {
                        q.pollFirst();
                        queued--;
                        if (q.isEmpty()) {
                            pending.remove(job);
                        }
                    }
                }
            }
        }
        synchronized (this) {
            if (queued == 0) {
                if (outage) {
                    outage = false;
                    log.info(
                            "job-state store took every queued write again ({} applied on retry so far)",
                            recovered.get());
                }
                backoff = minBackoff;
                return;
            }
            backoff = allLanded ? minBackoff : min(backoff.multipliedBy(2), maxBackoff);
            schedule(allLanded ? Duration.ZERO : backoff);
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    /** Stops retrying; writes still waiting are lost (logged). Shuts down the thread it made itself. */
    @Override
    public void close() {
        ScheduledExecutorService own;
        synchronized (this) {
            closed = true;
            if (scheduled != null) {
                scheduled.cancel(false);
            }
            if (queued > 0) {
                log.warn("closing with {} job-state writes still waiting for the store: they are lost", queued);
            }
            own = givenExecutor == null ? executor : null;
        }
        if (own != null) {
            own.shutdownNow();
            try {
                // a retry in flight ends with its store call (bounded by the store's timeouts)
                if (!own.awaitTermination(2, TimeUnit.SECONDS)) {
                    log.warn("job-state write retry thread still running 2 s after close");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
