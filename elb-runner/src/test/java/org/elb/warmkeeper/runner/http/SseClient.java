package org.elb.warmkeeper.runner.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A test client of {@code GET /api/events}: parses the stream on a thread of its own into events. */
public final class SseClient implements AutoCloseable {

    public record Event(String type, String id, String data, List<String> comments) {
        public JsonNode json() {
            try {
                return new ObjectMapper().readTree(data);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + data, e);
            }
        }
    }

    static final Event END = new Event("<end>", "", "", List.of());

    public final int status;
    final String contentType;
    final String body;
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final List<Event> seen = java.util.Collections.synchronizedList(new ArrayList<>());
    private final InputStream in;
    private final Thread reader;

    private SseClient(HttpResponse<InputStream> r) throws IOException {
        this.status = r.statusCode();
        this.contentType = r.headers().firstValue("Content-Type").orElse("");
        this.in = r.body();
        if (status != 200) {
            this.body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            this.reader = new Thread(() -> {});
            return;
        }
        this.body = "";
        this.reader = new Thread(this::read, "sse-client");
        reader.setDaemon(true);
        reader.start();
    }

    public static SseClient open(int port, String owner, String lastEventId) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/events"))
                .header("Accept", "text/event-stream");
        if (owner != null) {
            b.header(HttpApi.DEFAULT_OWNER_HEADER, owner);
        }
        if (lastEventId != null) {
            b.header("Last-Event-ID", lastEventId);
        }
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        return new SseClient(http.send(b.build(), HttpResponse.BodyHandlers.ofInputStream()));
    }

    private void read() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String type = "message";
            String id = "";
            StringBuilder data = new StringBuilder();
            List<String> comments = new ArrayList<>();
            for (String line; (line = r.readLine()) != null; ) {
                if (line.isEmpty()) {
                    if (data.length() > 0 || !comments.isEmpty()) {
                        Event e = new Event(type, id, data.toString(), List.copyOf(comments));
                        seen.add(e);
                        events.add(e);
                    }
                    type = "message";
                    id = "";
                    data.setLength(0);
                    comments.clear();
                } else if (line.startsWith(":")) {
                    comments.add(line.substring(1).strip());
                } else if (line.startsWith("event: ")) {
                    type = line.substring(7);
                } else if (line.startsWith("id: ")) {
                    id = line.substring(4);
                } else if (line.startsWith("data: ")) {
                    if (data.length() > 0) {
                        data.append('\n');
                    }
                    data.append(line.substring(6));
                }
            }
        } catch (IOException e) {
            // the server closed the stream (its fixed length is never reached)
        } finally {
            events.add(END);
        }
    }

    /** The next event that matches, skipping others; fails after {@code timeout}. */
    public Event await(Predicate<Event> match, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            Event e = events.poll(Math.max(0, left), TimeUnit.NANOSECONDS);
            if (e == null) {
                throw new AssertionError("no matching event within " + timeout + "; seen: " + seen());
            }
            if (match.test(e)) {
                return e;
            }
            if (e == END) {
                events.add(END);
                throw new AssertionError("the stream ended; seen: " + seen());
            }
        }
    }

    public Event await(String type) throws InterruptedException {
        return await(e -> e.type().equals(type), Duration.ofSeconds(10));
    }

    /** Waits for the end of the stream. */
    void awaitEnd(Duration timeout) throws InterruptedException {
        await(e -> e == END, timeout);
    }

    List<Event> seen() {
        synchronized (seen) {
            return List.copyOf(seen);
        }
    }

    @Override
    public void close() {
        try {
            in.close();
        } catch (IOException e) {
            // closing
        }
        reader.interrupt();
    }
}
