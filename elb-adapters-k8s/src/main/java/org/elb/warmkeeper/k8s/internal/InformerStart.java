package org.elb.warmkeeper.k8s.internal;

import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.elb.warmkeeper.core.BackendUnavailableException;
import org.elb.warmkeeper.core.cluster.ClusterRef;

/** Starting an informer and waiting for its first sync, for the informer-backed probes. */
public final class InformerStart {

    private static final Duration SLICE = Duration.ofMillis(50);

    private InformerStart() {}

    /**
     * Starts {@code informer} and waits until {@code deadlineNanos}, in slices: when the exception
     * handler saw the start refused with 401/403 (put in {@code refusals} under {@code cluster}), the
     * wait ends at once with that refusal. Fabric8 does not always fail the start's future when the
     * handler stops the informer, so the caller would otherwise wait out the sync timeout and report a
     * timeout instead of the refusal.
     *
     * @throws BackendUnavailableException the refusal, as operation {@code operation}
     */
    public static void await(
            ClusterRef cluster,
            SharedIndexInformer<?> informer,
            long deadlineNanos,
            Map<ClusterRef, Throwable> refusals,
            String operation)
            throws InterruptedException, ExecutionException, TimeoutException {
        CompletableFuture<Void> started = informer.start().toCompletableFuture();
        while (true) {
            long left = deadlineNanos - System.nanoTime();
            if (left <= 0) {
                throw new TimeoutException();
            }
            try {
                started.get(Math.min(left, SLICE.toNanos()), TimeUnit.NANOSECONDS);
                return;
            } catch (TimeoutException e) {
                Throwable refused = refusals.remove(cluster);
                if (refused != null) {
                    informer.stop();
                    throw new BackendUnavailableException(
                            Errors.backend(cluster), operation, Errors.describe(refused), refused);
                }
            }
        }
    }

    /**
     * A 401/403 stops the informer (Fabric8 would retry a refused relist for ever on the stale client and
     * stops on a refused watch anyway) and is handed to {@code onRefused}; other failures keep Fabric8's
     * default (retry once started, unless the watch closed).
     */
    public static void stopOnAuthFailure(SharedIndexInformer<?> informer, Consumer<Throwable> onRefused) {
        informer.exceptionHandler((started, t) -> {
            if (Errors.isAuthFailure(t)) {
                onRefused.accept(t);
                return false;
            }
            return started && !(t instanceof WatcherException);
        });
    }
}
