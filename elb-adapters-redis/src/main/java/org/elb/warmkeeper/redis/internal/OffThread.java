package org.elb.warmkeeper.redis.internal;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Starts Redisson calls on a small private pool, never on the caller's thread. Redisson's "async" API
 * is not always asynchronous: with lazy initialisation, the first command of a client that has never
 * connected runs the connect attempt, retries and sleeps included, on the calling thread (about 2 s
 * against a frozen server, seen in 3.52.0). Starting calls here lets the caller wait only for its
 * budget. The pool is bounded (2 daemon threads that time out when idle, a queue of 64); a call it
 * cannot take fails at once, which callers treat as "unavailable". Idle threads end by themselves;
 * {@link #shutdown()} ends them at once.
 */
public final class OffThread {

    private static final AtomicInteger POOLS = new AtomicInteger();

    private final ThreadPoolExecutor pool;

    public OffThread(String name) {
        int id = POOLS.incrementAndGet();
        AtomicInteger threads = new AtomicInteger();
        pool = new ThreadPoolExecutor(
                2,
                2,
                30,
                TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(64),
                r -> {
                    Thread t = new Thread(r, "elb-" + name + "-" + id + "-" + threads.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                },
                new ThreadPoolExecutor.AbortPolicy());
        pool.allowCoreThreadTimeOut(true);
    }

    /** Runs {@code call} on the pool; the result completes with what the call's own future completes with. */
    public <T> CompletableFuture<T> start(Supplier<? extends CompletionStage<T>> call) {
        CompletableFuture<T> result = new CompletableFuture<>();
        try {
            pool.execute(() -> {
                if (result.isDone()) {
                    return; // the caller gave up before the call could start
                }
                try {
                    call.get().whenComplete((v, e) -> {
                        if (e != null) {
                            result.completeExceptionally(e);
                        } else {
                            result.complete(v);
                        }
                    });
                } catch (RuntimeException e) {
                    result.completeExceptionally(e);
                }
            });
        } catch (RejectedExecutionException e) {
            result.completeExceptionally(e);
        }
        return result;
    }

    /** Ends the pool's threads now; later calls fail as "unavailable". */
    public void shutdown() {
        pool.shutdownNow();
    }
}
