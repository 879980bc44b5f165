package org.elb.warmkeeper.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.elb.warmkeeper.core.cluster.OwnerId;
import org.elb.warmkeeper.core.provision.JobId;
import org.elb.warmkeeper.core.provision.JobState;
import org.elb.warmkeeper.core.provision.JobStateChange;
import org.elb.warmkeeper.core.provision.NewJob;
import org.elb.warmkeeper.core.provision.ProvisioningService;
import org.elb.warmkeeper.json.ProvisioningJson;
import org.elb.warmkeeper.testkit.InMemoryJobStateEvents;
import org.elb.warmkeeper.testkit.InMemoryJobStateRepository;
import org.elb.warmkeeper.testkit.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The event streams' bounds, owner scoping, replay and expiry, on a recording sink (no server). */
class EventHubTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final OwnerId ALICE = OwnerId.of("alice");
    private static final OwnerId BOB = OwnerId.of("bob");

    private final MutableClock clock = MutableClock.start();
    private final InMemoryJobStateRepository jobs = new InMemoryJobStateRepository();
    private final InMemoryJobStateEvents events = new InMemoryJobStateEvents();
    private final List<EventHub> hubs = new ArrayList<>();

    /** What a stream wrote, and whether it was closed. */
    static final class RecordingSink implements EventHub.Sink {
        private final ByteArrayOutputStream written = new ByteArrayOutputStream();
        final AtomicBoolean started = new AtomicBoolean();
        final AtomicBoolean closed = new AtomicBoolean();

        @Override
        public void start() {
            started.set(true);
        }

        @Override
        public synchronized void write(byte[] bytes) {
            written.write(bytes, 0, bytes.length);
        }

        @Override
        public void close() {
            closed.set(true);
        }

        synchronized String text() {
            return written.toString(StandardCharsets.UTF_8);
        }
    }

    private EventHub hub(EventHub.Options options) {
        EventHub hub = new EventHub(
                events, jobs, ProvisioningJson::job, Optional::empty, clock, options, "draining: stopping");
        hubs.add(hub);
        return hub;
    }

    @AfterEach
    void close() {
        hubs.forEach(EventHub::close);
    }

    private static RecordingSink ready(EventHub hub, OwnerId owner) {
        return ready(hub, owner, null, null);
    }

    private static RecordingSink ready(EventHub hub, OwnerId owner, String lastEventId, Instant expiresAt) {
        RecordingSink sink = new RecordingSink();
        hub.open(owner, lastEventId, expiresAt, sink);
        await().atMost(WAIT).until(() -> sink.text().contains("event: ready"));
        return sink;
    }

    private JobState job(OwnerId owner) {
        return jobs.create(new NewJob(JobId.random(), ProvisioningService.JOB_TYPE, owner, Map.of(), clock.instant()));
    }

    @Test
    void one_owner_cannot_hold_more_than_its_cap_and_others_still_get_streams() {
        EventHub hub = hub(EventHub.Options.defaults().withMaxStreams(4).withMaxStreamsPerOwner(2));
        ready(hub, ALICE);
        RecordingSink second = new RecordingSink();
        EventHub.Handle secondHandle = hub.open(ALICE, null, null, second);

        assertThatThrownBy(() -> hub.open(ALICE, null, null, new RecordingSink()))
                .isInstanceOfSatisfying(HttpProblem.class, p -> {
                    assertThat(p.status()).isEqualTo(429);
                    assertThat(p.headers()).containsEntry("Retry-After", "5");
                    assertThat(p.getMessage()).contains("elb.http.events.max-streams-per-owner");
                });
        ready(hub, BOB);
        assertThat(hub.refusedStreams()).isEqualTo(1);

        secondHandle.close();
        await().atMost(WAIT).until(() -> hub.openStreams() == 2);
        assertThat(second.closed).isTrue();
        ready(hub, ALICE);
    }

    @Test
    void the_total_cap_answers_503_whoever_asks() {
        EventHub hub = hub(EventHub.Options.defaults().withMaxStreams(2).withMaxStreamsPerOwner(2));
        ready(hub, ALICE);
        ready(hub, BOB);
        assertThatThrownBy(() -> hub.open(OwnerId.of("carol"), null, null, new RecordingSink()))
                .isInstanceOfSatisfying(HttpProblem.class, p -> {
                    assertThat(p.status()).isEqualTo(503);
                    assertThat(p.headers()).containsEntry("Retry-After", "5");
                });
    }

    @Test
    void a_stream_ends_with_a_close_event_when_its_token_expires() {
        EventHub hub = hub(EventHub.Options.defaults());
        RecordingSink sink = ready(hub, ALICE, null, clock.instant().plusSeconds(60));
        RecordingSink forever = ready(hub, BOB);

        clock.advance(Duration.ofSeconds(61));

        await().atMost(WAIT).until(sink.closed::get);
        assertThat(sink.text()).contains("event: close\ndata: {\"reason\":\"the caller's token expired");
        assertThat(hub.expiredStreams()).isEqualTo(1);
        assertThat(forever.closed).isFalse();
        assertThat(hub.openStreams()).isEqualTo(1);
        assertThatThrownBy(() -> hub.open(ALICE, null, clock.instant(), new RecordingSink()))
                .isInstanceOfSatisfying(
                        HttpProblem.class, p -> assertThat(p.status()).isEqualTo(401));
    }

    @Test
    void a_change_reaches_only_its_owners_streams() {
        EventHub hub = hub(EventHub.Options.defaults());
        RecordingSink alice = ready(hub, ALICE);
        RecordingSink bob = ready(hub, BOB);
        JobState row = job(ALICE);

        events.publish(JobStateChange.of(row));

        await().atMost(WAIT).until(() -> alice.text().contains("event: job"));
        assertThat(alice.text())
                .contains("id: " + row.updatedAt().toEpochMilli())
                .contains(row.id().toString());
        assertThat(bob.text()).doesNotContain("event: job");
    }

    @Test
    void last_event_id_replays_the_owners_changes_and_a_bad_one_is_a_400() {
        EventHub hub = hub(EventHub.Options.defaults());
        Instant from = clock.instant();
        clock.advance(Duration.ofSeconds(30));
        JobState mine = job(ALICE);
        job(BOB);

        RecordingSink sink = ready(hub, ALICE, Long.toString(from.toEpochMilli()), null);

        assertThat(sink.text())
                .contains(mine.id().toString())
                .contains("event: ready\ndata: {\"resumed\":true,\"replayed\":1,");
        assertThatThrownBy(() -> hub.open(ALICE, "12ab", null, new RecordingSink()))
                .isInstanceOfSatisfying(
                        HttpProblem.class, p -> assertThat(p.status()).isEqualTo(400));
    }

    @Test
    void closing_the_hub_ends_every_stream_with_its_reason() {
        EventHub hub = hub(EventHub.Options.defaults());
        RecordingSink sink = ready(hub, ALICE);
        hub.close();
        assertThat(sink.closed).isTrue();
        assertThat(sink.text()).contains("event: close\ndata: {\"reason\":\"draining: stopping\"}");
        assertThatThrownBy(() -> hub.open(ALICE, null, null, new RecordingSink()))
                .isInstanceOfSatisfying(
                        HttpProblem.class, p -> assertThat(p.status()).isEqualTo(503));
    }
}
