package org.elb.warmkeeper.runner.http;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.elb.warmkeeper.core.warm.AutoWarmReconciler;
import org.elb.warmkeeper.core.warm.TickReport;
import org.elb.warmkeeper.http.HttpProblem;
import org.jspecify.annotations.Nullable;

/**
 * {@code POST /api/autowarm/reconcile} on its own thread, one tick at a time: a request while a tick
 * with the same {@code force} runs gets that tick's report; with the other {@code force}, a 409. The
 * HTTP threads never run a tick, so reads are never starved by reconciles.
 */
final class OnDemandReconcile implements AutoCloseable {

    /** A running tick and whether it was forced. */
    private record Running(boolean force, CompletableFuture<TickReport> report) {}

    private final AutoWarmReconciler reconciler;
    private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "elb-reconcile-on-demand");
        t.setDaemon(true);
        return t;
    });
    private @Nullable Running running;
    private volatile @Nullable TickReport last;

    OnDemandReconcile(AutoWarmReconciler reconciler) {
        this.reconciler = reconciler;
    }

    /** The running tick's report if one with this {@code force} runs, else a new tick's; a 409 for the other {@code force}. */
    synchronized CompletableFuture<TickReport> request(boolean force) {
        if (running != null && !running.report().isDone()) {
            if (running.force() != force) {
                throw new HttpProblem(
                        409, "a reconcile with force=" + running.force() + " is running; retry when it is done");
            }
            return running.report();
        }
        CompletableFuture<TickReport> report = CompletableFuture.supplyAsync(
                () -> {
                    TickReport r = reconciler.tick(force);
                    last = r;
                    return r;
                },
                executor);
        running = new Running(force, report);
        return report;
    }

    /** The last on-demand tick's report, or null. */
    @Nullable TickReport last() {
        return last;
    }

    /** Lets a running tick finish within {@code millis}, then interrupts it. */
    void drain(long millis) {
        executor.shutdown();
        try {
            if (!executor.awaitTermination(millis, TimeUnit.MILLISECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
