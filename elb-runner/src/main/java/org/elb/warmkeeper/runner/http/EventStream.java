package org.elb.warmkeeper.runner.http;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Clock;
import java.util.Optional;
import java.util.function.Supplier;
import org.elb.warmkeeper.core.cluster.OwnerId;
import org.elb.warmkeeper.core.provision.JobStateEvents;
import org.elb.warmkeeper.core.provision.JobStateRepository;
import org.elb.warmkeeper.core.provision.ProvisioningService;
import org.elb.warmkeeper.core.warm.TickReport;
import org.elb.warmkeeper.http.EventHub;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /api/events} on the JDK HTTP server: the streams, their fan-out, replay and caps are an
 * {@link EventHub} (in {@code elb-http}, shared with the starter's web layer); this hands it each
 * exchange. The response has a fixed length no stream reaches, so closing it never writes (a chunked
 * response's last chunk would block on a client that stopped reading).
 */
public final class EventStream implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EventStream.class);
    private static final long STREAM_LENGTH = Long.MAX_VALUE;

    private final EventHub hub;

    EventStream(
            JobStateEvents events,
            JobStateRepository jobs,
            ProvisioningService provisioning,
            Supplier<Optional<TickReport>> ticks,
            Clock clock,
            EventHub.Options options) {
        this.hub = new EventHub(
                events,
                jobs,
                EventHub.jobView(provisioning),
                ticks,
                clock,
                options,
                "draining: the runner is stopping");
    }

    /** Streams open now. */
    public int openStreams() {
        return hub.openStreams();
    }

    /** Streams dropped because their client did not keep up. */
    public long droppedStreams() {
        return hub.droppedStreams();
    }

    /** Requests refused because {@code maxStreams} or {@code maxStreamsPerOwner} were open. */
    public long refusedStreams() {
        return hub.refusedStreams();
    }

    /** Takes the exchange over: a writer thread of the hub answers it from now on. */
    void open(HttpExchange exchange, OwnerId owner) {
        @Nullable String lastEventId =
                Request.single(exchange.getRequestHeaders(), "Last-Event-ID").orElse(null);
        hub.open(owner, lastEventId, null, new ExchangeSink(exchange));
    }

    @Override
    public void close() {
        hub.close();
    }

    /** One exchange as the hub's sink. */
    private static final class ExchangeSink implements EventHub.Sink {
        private final HttpExchange exchange;
        private @Nullable OutputStream out;

        ExchangeSink(HttpExchange exchange) {
            this.exchange = exchange;
        }

        @Override
        public void start() throws IOException {
            EventHub.HEADERS.forEach(
                    (name, value) -> exchange.getResponseHeaders().set(name, value));
            exchange.sendResponseHeaders(200, STREAM_LENGTH);
            out = exchange.getResponseBody();
        }

        @Override
        public void write(byte[] bytes) throws IOException {
            OutputStream o = out;
            if (o == null) {
                throw new IOException("the stream was not started");
            }
            o.write(bytes);
            o.flush();
        }

        /** Closes the connection without writing (the fixed-length response is left short). */
        @Override
        public void close() {
            try {
                exchange.close();
            } catch (RuntimeException e) {
                log.debug("event stream close: {}", e.toString());
            }
        }
    }
}
