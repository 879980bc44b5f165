package org.elb.warmkeeper.spring.boot.web;

import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.elb.warmkeeper.core.provision.JobStateEvents;
import org.elb.warmkeeper.core.provision.JobStateRepository;
import org.elb.warmkeeper.core.provision.ProvisioningService;
import org.elb.warmkeeper.http.EventHub;
import org.elb.warmkeeper.http.HttpProblem;
import org.jspecify.annotations.Nullable;

/**
 * The web layer's {@link EventHub}, built on the first {@code GET /api/events} (a context that enables
 * the web layer subscribes to no event bus and builds no store at start for it), closed with the context.
 * Also the thread that ends a stream's response when the hub closes it from another thread (a response
 * write may block on a client that stopped reading; the hub's own threads never wait for it).
 */
public final class ElbEvents implements AutoCloseable {

    private final Supplier<JobStateEvents> events;
    private final Supplier<@Nullable JobStateRepository> jobs;
    private final Supplier<ProvisioningService> provisioning;
    private final ElbDashboard dashboard;
    private final Clock clock;
    private final EventHub.Options options;
    private final ExecutorService closer = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "elb-events-close");
        t.setDaemon(true);
        return t;
    });
    private @Nullable EventHub hub;
    private boolean closed;

    ElbEvents(
            Supplier<JobStateEvents> events,
            Supplier<@Nullable JobStateRepository> jobs,
            Supplier<ProvisioningService> provisioning,
            ElbDashboard dashboard,
            Clock clock,
            EventHub.Options options) {
        this.events = events;
        this.jobs = jobs;
        this.provisioning = provisioning;
        this.dashboard = dashboard;
        this.clock = clock;
        this.options = options;
    }

    synchronized EventHub hub() {
        if (closed) {
            throw new HttpProblem(503, "draining: the application is stopping");
        }
        EventHub h = hub;
        if (h == null) {
            JobStateRepository store = jobs.get();
            if (store == null) {
                throw new HttpProblem(404, "no event streams: the application has no job-state store");
            }
            ProvisioningService service = provisioning.get();
            h = new EventHub(
                    events.get(),
                    store,
                    row -> EventHub.jobView(service).apply(row),
                    dashboard::latestReport,
                    clock,
                    options,
                    "draining: the application is stopping");
            hub = h;
        }
        return h;
    }

    ExecutorService closer() {
        return closer;
    }

    /** Ends every stream (a {@code close} event, then the response), then stops the threads. */
    @Override
    public void close() {
        EventHub h;
        synchronized (this) {
            closed = true;
            h = hub;
        }
        if (h != null) {
            h.close();
        }
        closer.shutdown();
    }
}
