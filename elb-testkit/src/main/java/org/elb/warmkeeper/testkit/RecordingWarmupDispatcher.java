package org.elb.warmkeeper.testkit;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.elb.warmkeeper.core.warm.DispatchException;
import org.elb.warmkeeper.core.warm.DispatchOutcome;
import org.elb.warmkeeper.core.warm.InflightKey;
import org.elb.warmkeeper.core.warm.WarmupDispatcher;
import org.elb.warmkeeper.core.warm.WarmupRequest;

/**
 * Records every enqueued warmup. Idempotent as a backend with named jobs is: a second request for a
 * key that is still {@linkplain #running running} answers ALREADY_RUNNING; {@link #finish} ends it.
 */
public final class RecordingWarmupDispatcher implements WarmupDispatcher {

    private final List<WarmupRequest> enqueued = new ArrayList<>();
    private final Set<InflightKey> running = new HashSet<>();
    private final Faults faults = new Faults("memory-dispatcher");
    private final boolean idempotent;
    private Consumer<WarmupRequest> onEnqueue = r -> {};

    /** An idempotent dispatcher. */
    public RecordingWarmupDispatcher() {
        this(true);
    }

    /** {@code idempotent=false} enqueues every request, as a plain task queue would. */
    public RecordingWarmupDispatcher(boolean idempotent) {
        this.idempotent = idempotent;
    }

    public Faults faults() {
        return faults;
    }

    /** Called after each successful enqueue (e.g. to move a simulated warmup along). */
    public synchronized RecordingWarmupDispatcher onEnqueue(Consumer<WarmupRequest> hook) {
        this.onEnqueue = hook;
        return this;
    }

    @Override
    public DispatchOutcome enqueue(WarmupRequest request) {
        Consumer<WarmupRequest> hook;
        synchronized (this) {
            try {
                faults.check("enqueue");
            } catch (RuntimeException e) {
                throw new DispatchException("enqueue of " + request.database() + " failed (simulated)", e);
            }
            if (idempotent && !running.add(request.key())) {
                return DispatchOutcome.ALREADY_RUNNING;
            }
            enqueued.add(request);
            hook = onEnqueue;
        }
        hook.accept(request);
        return DispatchOutcome.ENQUEUED;
    }

    /** The warmup of this key ended; a new request enqueues again. */
    public synchronized void finish(InflightKey key) {
        running.remove(key);
    }

    /** The warmup of this key failed; as with {@link #finish}, a new request replaces it. */
    public synchronized void fail(InflightKey key) {
        running.remove(key);
    }

    public synchronized List<WarmupRequest> enqueued() {
        return List.copyOf(enqueued);
    }

    public synchronized long count(InflightKey key) {
        return enqueued.stream().filter(r -> r.key().equals(key)).count();
    }
}
