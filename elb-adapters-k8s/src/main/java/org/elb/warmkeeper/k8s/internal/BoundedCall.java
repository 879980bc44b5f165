package org.elb.warmkeeper.k8s.internal;

import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Runs one Kubernetes API call with a hard deadline. Fabric8's request timeout bounds the wait for a
 * response's headers, not for its body: a server that sends the headers and then stalls holds the
 * caller in {@code waitForResult} without end (seen against a loaded API server). The call runs on a
 * daemon thread of the owner's cached pool (ended by {@link #close()}); past the deadline it is interrupted (Fabric8 then gives up the
 * request) and the caller gets a {@link KubernetesClientException} naming the bound.
 */
public final class BoundedCall implements AutoCloseable {

    private final AtomicInteger threads = new AtomicInteger();
    // A thread per call in flight, none kept idle for more than a second.
    private final ExecutorService calls =
            new ThreadPoolExecutor(0, Integer.MAX_VALUE, 1, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
                Thread t = new Thread(r, "elb-k8s-call-" + threads.incrementAndGet());
                t.setDaemon(true);
                return t;
            });

    /**
     * The call's result, or its own exception as it was thrown.
     *
     * @throws KubernetesClientException when no answer came within {@code deadline}, or the caller was
     *     interrupted (its interrupt flag is then set again)
     */
    public <T> T within(Duration deadline, Supplier<T> call) {
        Future<T> future;
        try {
            future = calls.submit(call::get);
        } catch (RejectedExecutionException e) {
            throw new KubernetesClientException("the Kubernetes client provider is closed", e);
        }
        try {
            return future.get(deadline.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new KubernetesClientException("no answer within " + deadline + " (call abandoned)", e);
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new KubernetesClientException("interrupted while waiting for the API server", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new KubernetesClientException(String.valueOf(cause), cause);
        }
    }

    /** Interrupts calls still running and ends the pool's threads (waits up to a second for them). */
    @Override
    public void close() {
        calls.shutdownNow();
        try {
            calls.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
