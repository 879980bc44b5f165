package org.elb.warmkeeper.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;
import org.elb.warmkeeper.core.cluster.Checks;
import org.elb.warmkeeper.core.cluster.OwnerId;
import org.elb.warmkeeper.core.provision.JobState;
import org.elb.warmkeeper.core.provision.JobStateChange;
import org.elb.warmkeeper.core.provision.JobStateEvents;
import org.elb.warmkeeper.core.provision.JobStateRepository;
import org.elb.warmkeeper.core.provision.JobStatus;
import org.elb.warmkeeper.core.provision.ProvisionRequest;
import org.elb.warmkeeper.core.provision.ProvisioningService;
import org.elb.warmkeeper.core.warm.TickReport;
import org.elb.warmkeeper.json.ProvisioningJson;
import org.elb.warmkeeper.json.WireJson;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /api/events}: Server-Sent Events of the caller's own job-state changes and of the auto-warm
 * ticks this replica sees, over any server: the server hands each accepted request over as a
 * {@link Sink} ({@link #open}).
 *
 * <p>Fed by {@link JobStateEvents} (Redis pub/sub across replicas, or local events), so a change made
 * through any replica reaches a stream on any other; each change is re-read from the store once per
 * replica and sent only to streams of the row's owner. Events:
 * <ul>
 *   <li>{@code job} (id = the row's {@code updated_at} in epoch milliseconds): the row as
 *       {@code GET /api/tasks/{taskId}} shows it, plus {@code partial_resource_likely} and
 *       {@code portal_url} for a cancelled job whose cluster had a {@code cluster_state}
 *   <li>{@code autowarm}: a tick report as {@code GET /api/autowarm/status}, sent when a newer one exists
 *   <li>{@code ready}: once, after the replay ({@code {"resumed":…,"replayed":n}})
 *   <li>{@code reset}: the missed changes cannot be replayed (older than the resume window, more than the
 *       replay limit, or the store failed): the client re-reads its state
 *   <li>{@code close}: the server ends the stream ({@code {"reason":…}}: draining, a client too slow, or
 *       the caller's token expired)
 * </ul>
 * and a comment line every heartbeat interval. A client that sends {@code Last-Event-ID} gets every row
 * of its owner changed since then (less a clock-skew margin) from the store before live events; a row is
 * never sent twice at the same or an older version on one stream, so replay and live overlap safely.
 *
 * <p>Bounds: at most {@code maxStreams} streams are open (the next is a 503 with {@code Retry-After}),
 * at most {@code maxStreamsPerOwner} of one owner (the next is a 429), so one owner cannot lock the
 * others out. Each open stream holds one writer thread of its own (never a request thread). A stream
 * whose buffer is full is dropped with a {@code close} event and its sink closed within a grace period,
 * even when the client reads nothing. A stream opened with an expiry (the caller's token's) ends with a
 * {@code close} event when it passes.
 */
public final class EventHub implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EventHub.class);
    private static final byte[] CLOSE_MARK = new byte[0];
    private static final Duration DROP_GRACE = Duration.ofSeconds(2);
    private static final long REAP_MILLIS = 250;

    /** The streams' limits and intervals. */
    public record Options(
            Duration heartbeat,
            int maxStreams,
            int maxStreamsPerOwner,
            int bufferEvents,
            Duration resumeWindow,
            int replayLimit,
            Duration clockSkew,
            Duration tickPoll) {

        public static final Duration DEFAULT_HEARTBEAT = Duration.ofSeconds(15);
        public static final int DEFAULT_MAX_STREAMS = 64;
        public static final int DEFAULT_MAX_STREAMS_PER_OWNER = 8;
        public static final int DEFAULT_BUFFER_EVENTS = 256;
        public static final Duration DEFAULT_RESUME_WINDOW = Duration.ofMinutes(15);
        public static final int DEFAULT_REPLAY_LIMIT = 500;
        public static final Duration DEFAULT_CLOCK_SKEW = Duration.ofSeconds(5);
        public static final Duration DEFAULT_TICK_POLL = Duration.ofMillis(500);

        public Options {
            Checks.positive(heartbeat, "heartbeat");
            range(maxStreams, 1, 4096, "maxStreams");
            range(maxStreamsPerOwner, 1, 4096, "maxStreamsPerOwner");
            range(bufferEvents, 4, 100_000, "bufferEvents");
            Checks.positive(resumeWindow, "resumeWindow");
            range(replayLimit, 1, 100_000, "replayLimit");
            Checks.required(clockSkew, "clockSkew");
            if (clockSkew.isNegative()) {
                throw new IllegalArgumentException("'clockSkew' must not be negative, but was " + clockSkew);
            }
            Checks.positive(tickPoll, "tickPoll");
        }

        public static Options defaults() {
            return new Options(
                    DEFAULT_HEARTBEAT,
                    DEFAULT_MAX_STREAMS,
                    DEFAULT_MAX_STREAMS_PER_OWNER,
                    DEFAULT_BUFFER_EVENTS,
                    DEFAULT_RESUME_WINDOW,
                    DEFAULT_REPLAY_LIMIT,
                    DEFAULT_CLOCK_SKEW,
                    DEFAULT_TICK_POLL);
        }

        public Options withHeartbeat(Duration d) {
            return new Options(
                    d, maxStreams, maxStreamsPerOwner, bufferEvents, resumeWindow, replayLimit, clockSkew, tickPoll);
        }

        public Options withMaxStreams(int n) {
            return new Options(
                    heartbeat, n, maxStreamsPerOwner, bufferEvents, resumeWindow, replayLimit, clockSkew, tickPoll);
        }

        public Options withMaxStreamsPerOwner(int n) {
            return new Options(heartbeat, maxStreams, n, bufferEvents, resumeWindow, replayLimit, clockSkew, tickPoll);
        }

        public Options withBufferEvents(int n) {
            return new Options(
                    heartbeat, maxStreams, maxStreamsPerOwner, n, resumeWindow, replayLimit, clockSkew, tickPoll);
        }

        public Options withResumeWindow(Duration d) {
            return new Options(
                    heartbeat, maxStreams, maxStreamsPerOwner, bufferEvents, d, replayLimit, clockSkew, tickPoll);
        }

        public Options withTickPoll(Duration d) {
            return new Options(
                    heartbeat, maxStreams, maxStreamsPerOwner, bufferEvents, resumeWindow, replayLimit, clockSkew, d);
        }

        private static void range(int v, int min, int max, String name) {
            if (v < min || v > max) {
                throw new IllegalArgumentException(
                        "'" + name + "' must be between " + min + " and " + max + ", but was " + v);
            }
        }
    }

    /**
     * One accepted request's response, as a server gives it: the hub's writer thread calls {@link #start}
     * once, then {@link #write} for each event, then {@link #close}; {@link #close} may also come from
     * another thread (a stream dropped or drained while its writer is blocked) and must not block.
     */
    public interface Sink {
        /** Sends the status (200) and the headers ({@link EventHub#HEADERS}). */
        void start() throws IOException;

        /** Writes and flushes these bytes. */
        void write(byte[] bytes) throws IOException;

        /** Ends the response; called once. */
        void close();
    }

    /** An open stream, for the server to report that its client went away. */
    public interface Handle {
        /** Ends the stream now (its client disconnected): frees its place. */
        void close();
    }

    /** The response headers of a stream. */
    public static final Map<String, String> HEADERS = Map.of(
            "Content-Type", "text/event-stream; charset=utf-8",
            "Cache-Control", "no-store",
            "X-Accel-Buffering", "no");

    private final JobStateRepository jobs;
    private final Function<JobState, ObjectNode> view;
    private final Supplier<Optional<TickReport>> ticks;
    private final Clock clock;
    private final Options options;
    private final String stopping;
    private final Set<Stream> open = ConcurrentHashMap.newKeySet();
    private final ExecutorService writers;
    private final ThreadPoolExecutor dispatcher;
    private final ScheduledExecutorService ticker;
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong expired = new AtomicLong();
    private final JobStateEvents.Subscription subscription;
    private volatile @Nullable TickReport lastTick;
    private volatile boolean closed;

    /**
     * @param events the job-state changes (a subscription failure leaves ticks and heartbeats only)
     * @param jobs the store a change is re-read from, and replay reads
     * @param view a {@code job} event's data ({@link #jobView})
     * @param ticks the latest tick report, polled every {@code tickPoll}
     * @param clock the resume window's and the expiries' clock
     * @param stopping the reason a draining hub gives ({@code close} event and 503 body)
     */
    public EventHub(
            JobStateEvents events,
            JobStateRepository jobs,
            Function<JobState, ObjectNode> view,
            Supplier<Optional<TickReport>> ticks,
            Clock clock,
            Options options,
            String stopping) {
        this.jobs = Checks.required(jobs, "jobs");
        this.view = Checks.required(view, "view");
        this.ticks = Checks.required(ticks, "ticks");
        this.clock = Checks.required(clock, "clock");
        this.options = Checks.required(options, "options");
        this.stopping = Checks.required(stopping, "stopping");
        // twice the streams: a dropped stream's writer may still be blocked in a write while a new one opens
        this.writers = new ThreadPoolExecutor(
                0,
                2 * options.maxStreams(),
                30,
                TimeUnit.SECONDS,
                new SynchronousQueue<>(),
                daemon("elb-events-stream"));
        this.dispatcher = new ThreadPoolExecutor(
                1, 1, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(10_000), daemon("elb-events-dispatch"));
        this.ticker = Executors.newSingleThreadScheduledExecutor(daemon("elb-events-ticker"));
        this.lastTick = ticks.get().orElse(null);
        long poll = options.tickPoll().toMillis();
        ticker.scheduleWithFixedDelay(this::pollTick, poll, poll, TimeUnit.MILLISECONDS);
        long beat = options.heartbeat().toMillis();
        ticker.scheduleWithFixedDelay(this::heartbeat, beat, beat, TimeUnit.MILLISECONDS);
        ticker.scheduleWithFixedDelay(this::reap, REAP_MILLIS, REAP_MILLIS, TimeUnit.MILLISECONDS);
        JobStateEvents.Subscription s;
        try {
            s = Checks.required(events, "events").subscribe(this::onChange);
        } catch (RuntimeException e) {
            log.warn("job-state events unavailable ({}): /api/events sends ticks and heartbeats only", e.toString());
            s = () -> {};
        }
        this.subscription = s;
    }

    /**
     * A {@code job} event's data: the row as {@link ProvisioningJson#job}, plus
     * {@code partial_resource_likely} and {@code portal_url} as a cancel's answer has them (a cancelled
     * job whose cluster had a state).
     */
    public static Function<JobState, ObjectNode> jobView(ProvisioningService provisioning) {
        return row -> {
            ObjectNode m = ProvisioningJson.job(row);
            boolean partial = row.status() == JobStatus.CANCELLED && row.clusterState() != null;
            @Nullable String url = null;
            if (partial) {
                try {
                    url = provisioning.portalUrl(
                            ProvisionRequest.fromPayload(row.payload()).cluster());
                } catch (IllegalArgumentException e) {
                    url = null; // not a provision's payload: no cluster to link
                }
            }
            m.put("partial_resource_likely", partial);
            m.put("portal_url", url);
            return m;
        };
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    public Options options() {
        return options;
    }

    /** Streams open now. */
    public int openStreams() {
        return open.size();
    }

    /** Streams dropped because their client did not keep up. */
    public long droppedStreams() {
        return dropped.get();
    }

    /** Requests refused because {@code maxStreams} (503) or {@code maxStreamsPerOwner} (429) were open. */
    public long refusedStreams() {
        return refused.get();
    }

    /** Streams ended because their expiry (the caller's token's) passed. */
    public long expiredStreams() {
        return expired.get();
    }

    /**
     * Takes a request over: a writer thread of its own answers it from now on.
     *
     * @param lastEventId the {@code Last-Event-ID} header's one value, or null
     * @param expiresAt when the stream must end (the caller's token's expiry), or null for never
     * @throws HttpProblem 503 when {@code maxStreams} are open or the hub is closing, 429 when the owner
     *     has {@code maxStreamsPerOwner} open, 400 for a bad {@code Last-Event-ID}, 401 when
     *     {@code expiresAt} has passed
     */
    public Handle open(OwnerId owner, @Nullable String lastEventId, @Nullable Instant expiresAt, Sink sink) {
        Checks.required(owner, "owner");
        Checks.required(sink, "sink");
        @Nullable Instant resumeFrom = lastEventId(lastEventId);
        if (expiresAt != null && !clock.instant().isBefore(expiresAt)) {
            throw new HttpProblem(401, "the caller's token has expired");
        }
        Stream stream = new Stream(sink, owner, expiresAt, options.bufferEvents());
        synchronized (open) {
            if (closed) {
                throw new HttpProblem(503, stopping);
            }
            if (open.size() >= options.maxStreams()) {
                refused.incrementAndGet();
                throw new HttpProblem(
                        503,
                        "too many event streams open (" + options.maxStreams()
                                + ", elb.http.events.max-streams); retry later",
                        Map.of(),
                        Map.of("Retry-After", "5"));
            }
            long mine = open.stream().filter(s -> s.owner.equals(owner)).count();
            if (mine >= options.maxStreamsPerOwner()) {
                refused.incrementAndGet();
                throw new HttpProblem(
                        429,
                        "too many event streams open for this caller (" + options.maxStreamsPerOwner()
                                + ", elb.http.events.max-streams-per-owner); close one or retry later",
                        Map.of(),
                        Map.of("Retry-After", "5"));
            }
            open.add(stream);
        }
        try {
            writers.execute(() -> stream.run(resumeFrom));
        } catch (RejectedExecutionException e) {
            open.remove(stream);
            throw new HttpProblem(503, stopping);
        }
        return stream::forceClose;
    }

    private static @Nullable Instant lastEventId(@Nullable String raw) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        String v = raw.strip();
        if (!v.matches("[0-9]{1,18}")) {
            throw HttpProblem.badRequest(
                    "'Last-Event-ID' must be an event id this stream sent (ASCII digits), but was '"
                            + HttpProblem.echo(v) + "'");
        }
        return Instant.ofEpochMilli(Long.parseLong(v));
    }

    private void onChange(JobStateChange change) {
        if (closed) {
            return;
        }
        try {
            dispatcher.execute(() -> deliver(change));
        } catch (RejectedExecutionException e) {
            log.warn("job-state change {} not delivered to event streams: dispatch queue full", change.jobId());
        }
    }

    private void deliver(JobStateChange change) {
        List<Stream> targets =
                open.stream().filter(s -> s.owner.equals(change.owner())).toList();
        if (targets.isEmpty()) {
            return;
        }
        Optional<JobState> row;
        try {
            row = jobs.get(change.jobId());
        } catch (RuntimeException e) {
            log.debug("job {} not re-read for its event: {}", change.jobId(), e.toString());
            row = Optional.empty();
        }
        Event event;
        if (row.isPresent() && row.get().owner().equals(change.owner())) {
            event = jobEvent(row.get());
        } else if (row.isEmpty()) {
            event = changeEvent(change);
        } else {
            return;
        }
        targets.forEach(s -> s.offer(event));
    }

    private Event jobEvent(JobState row) {
        return new Event(
                "job",
                Long.toString(row.updatedAt().toEpochMilli()),
                WireJson.write(view.apply(row)),
                row.id().toString(),
                row.version());
    }

    /** The store could not be read: what the change itself says (a later replay or reload completes it). */
    private static Event changeEvent(JobStateChange c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("job_id", c.jobId().toString());
        m.put("type", c.type());
        m.put("status", c.status().wireName());
        m.put("task_id", c.taskId() == null ? null : c.taskId().value());
        m.put("cluster_state", c.clusterState());
        m.put("version", c.version());
        m.put("updated_at", c.at().toString());
        m.put("partial", true);
        return new Event(
                "job",
                Long.toString(c.at().toEpochMilli()),
                encode(m),
                c.jobId().toString(),
                c.version());
    }

    private static String encode(Object value) {
        try {
            return WireJson.mapper().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write an event's JSON", e);
        }
    }

    private void pollTick() {
        try {
            Optional<TickReport> now = ticks.get();
            if (now.isEmpty() || now.get().equals(lastTick)) {
                return;
            }
            lastTick = now.get();
            Event e = tickEvent(now.get());
            open.forEach(s -> s.offer(e));
        } catch (RuntimeException e) {
            log.debug("tick not sent to event streams: {}", e.toString());
        }
    }

    private static Event tickEvent(TickReport report) {
        return Event.of("autowarm", WireJson.write(TickViews.forEveryone(report)));
    }

    private void heartbeat() {
        byte[] beat = (": heartbeat " + clock.instant() + "\n\n").getBytes(StandardCharsets.UTF_8);
        open.forEach(s -> s.offerRaw(beat));
    }

    /**
     * Ends streams whose expiry passed, and closes streams that were ended (dropped, expired, drained)
     * and whose writer did not finish within the grace period.
     */
    private void reap() {
        long now = System.nanoTime();
        Instant at = clock.instant();
        open.forEach(s -> {
            Instant expiry = s.expiresAt;
            if (expiry != null && !at.isBefore(expiry) && !s.ending) {
                expired.incrementAndGet();
                s.end(closeBytes("the caller's token expired: reconnect with a new one"));
            }
            long deadline = s.closeBy;
            if (deadline != 0 && now - deadline > 0) {
                s.forceClose();
            }
        });
    }

    /**
     * Ends every stream: a {@code close} event (the {@code stopping} reason) where the client keeps up,
     * then the sink closes; within about a second every stream's sink is closed whatever its client does.
     */
    @Override
    public void close() {
        synchronized (open) {
            if (closed) {
                return;
            }
            closed = true;
        }
        subscription.close();
        byte[] bye = closeBytes(stopping);
        open.forEach(s -> s.end(bye));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
        while (!open.isEmpty() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        open.forEach(Stream::forceClose);
        ticker.shutdownNow();
        dispatcher.shutdownNow();
        writers.shutdownNow();
    }

    private static byte[] closeBytes(String reason) {
        return Event.of("close", encode(Map.of("reason", reason))).bytes();
    }

    /** One event: its SSE text, and the job row's id and version when it is one. */
    private record Event(
            String type,
            @Nullable String id,
            String data,
            @Nullable String jobId,
            long version) {
        static Event of(String type, String data) {
            return new Event(type, null, data, null, -1);
        }

        byte[] bytes() {
            StringBuilder b = new StringBuilder(data.length() + 64);
            b.append("event: ").append(type).append('\n');
            if (id != null) {
                b.append("id: ").append(id).append('\n');
            }
            // JSON from the mapper has no raw line break; split anyway so a data line never carries one
            for (String line : data.split("\n", -1)) {
                b.append("data: ").append(line).append('\n');
            }
            return b.append('\n').toString().getBytes(StandardCharsets.UTF_8);
        }
    }

    /** An open stream: its queue, the job versions it has sent, and its writer's state. */
    private final class Stream {
        final Sink sink;
        final OwnerId owner;
        final @Nullable Instant expiresAt;
        final BlockingQueue<Object> queue;
        final Map<String, Long> sent = new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
                return size() > 10_000;
            }
        };
        volatile long closeBy;
        volatile boolean ending;
        private volatile boolean finished;

        Stream(Sink sink, OwnerId owner, @Nullable Instant expiresAt, int capacity) {
            this.sink = sink;
            this.owner = owner;
            this.expiresAt = expiresAt;
            this.queue = new ArrayBlockingQueue<>(capacity + 2);
        }

        void offer(Event e) {
            if (ending) {
                return;
            }
            if (!queue.offer(e) || queue.remainingCapacity() < 2) {
                drop();
            }
        }

        void offerRaw(byte[] bytes) {
            if (ending) {
                return;
            }
            if (!queue.offer(bytes) || queue.remainingCapacity() < 2) {
                drop();
            }
        }

        /** The client does not keep up: end it with a reason; closed by the reaper if its writer is stuck. */
        private synchronized void drop() {
            if (ending) {
                return;
            }
            dropped.incrementAndGet();
            log.info("event stream of {} dropped: its client does not keep up", owner);
            queue.clear();
            end(closeBytes("client too slow: " + options.bufferEvents()
                    + " events waiting; reconnect with Last-Event-ID to resume"));
        }

        synchronized void end(byte[] last) {
            if (ending) {
                return;
            }
            ending = true;
            closeBy = System.nanoTime() + DROP_GRACE.toNanos();
            queue.offer(last);
            queue.offer(CLOSE_MARK);
        }

        void run(@Nullable Instant resumeFrom) {
            try {
                sink.start();
                sink.write(("retry: 2000\n: connected\n\n").getBytes(StandardCharsets.UTF_8));
                int replayed = resumeFrom == null ? 0 : replay(resumeFrom);
                Map<String, Object> ready = new LinkedHashMap<>();
                ready.put("resumed", resumeFrom != null && replayed >= 0);
                ready.put("replayed", Math.max(0, replayed));
                ready.put("heartbeat_seconds", options.heartbeat().toSeconds());
                sink.write(Event.of("ready", encode(ready)).bytes());
                TickReport tick = lastTick;
                if (tick != null) {
                    sink.write(tickEvent(tick).bytes());
                }
                while (!finished) {
                    Object next = queue.poll(1, TimeUnit.SECONDS);
                    if (next == null) {
                        if (closed && !ending) {
                            break;
                        }
                        continue;
                    }
                    if (next == CLOSE_MARK) {
                        break;
                    }
                    if (next instanceof Event e) {
                        if (e.jobId() != null) {
                            Long had = sent.get(e.jobId());
                            if (had != null && had >= e.version()) {
                                continue;
                            }
                            sent.put(e.jobId(), e.version());
                        }
                        sink.write(e.bytes());
                    } else {
                        sink.write((byte[]) next);
                    }
                }
            } catch (IOException e) {
                log.debug("event stream of {} ended: {}", owner, e.toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                log.warn("event stream of {} failed: {}", owner, e.toString());
            } finally {
                forceClose();
            }
        }

        /** Writes the missed rows; -1 when they cannot be replayed (a {@code reset} was sent instead). */
        private int replay(Instant from) throws IOException {
            Instant now = clock.instant();
            if (from.isBefore(now.minus(options.resumeWindow()))) {
                reset("the last event is older than the resume window (" + options.resumeWindow() + ")", now);
                return -1;
            }
            List<JobState> rows;
            try {
                rows = jobs.changedSince(owner, from.minus(options.clockSkew()), options.replayLimit() + 1);
            } catch (UnsupportedOperationException e) {
                reset("the store cannot replay changes", now);
                return -1;
            } catch (RuntimeException e) {
                reset("the store could not be read: re-read your state", now);
                return -1;
            }
            if (rows.size() > options.replayLimit()) {
                reset("more than " + options.replayLimit() + " changes were missed", now);
                return -1;
            }
            for (JobState row : rows) {
                Event e = jobEvent(row);
                sent.put(row.id().toString(), row.version());
                sink.write(e.bytes());
            }
            return rows.size();
        }

        private void reset(String reason, Instant now) throws IOException {
            sink.write(new Event("reset", Long.toString(now.toEpochMilli()), encode(Map.of("reason", reason)), null, -1)
                    .bytes());
        }

        /** Ends the response (the sink's close must not block) and frees the stream's place. */
        void forceClose() {
            synchronized (this) {
                if (finished) {
                    return;
                }
                finished = true;
                ending = true;
            }
            try {
                sink.close();
            } catch (RuntimeException e) {
                log.debug("event stream close: {}", e.toString());
            } finally {
                open.remove(this);
            }
        }
    }
}
