package org.elb.warmkeeper.runner.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.elb.warmkeeper.core.cluster.ClusterRef;
import org.elb.warmkeeper.core.cluster.DatabaseName;
import org.elb.warmkeeper.core.cluster.OwnerId;
import org.elb.warmkeeper.core.provision.ArmError;
import org.elb.warmkeeper.core.provision.JobId;
import org.elb.warmkeeper.core.provision.JobState;
import org.elb.warmkeeper.core.provision.JobStateChange;
import org.elb.warmkeeper.core.provision.JobUpdate;
import org.elb.warmkeeper.core.provision.NewJob;
import org.elb.warmkeeper.core.provision.ProvisioningService;
import org.elb.warmkeeper.core.provision.TaskId;
import org.elb.warmkeeper.core.provision.UpdateResult;
import org.elb.warmkeeper.core.version.ImageTagSource;
import org.elb.warmkeeper.core.version.VersionGateService;
import org.elb.warmkeeper.core.warm.AutoWarmPreference;
import org.elb.warmkeeper.core.warm.AutoWarmReconciler;
import org.elb.warmkeeper.http.EventHub;
import org.elb.warmkeeper.testkit.FakeClusterProvisioner;
import org.elb.warmkeeper.testkit.FakeDeployedVersionProbe;
import org.elb.warmkeeper.testkit.FakeImageRegistry;
import org.elb.warmkeeper.testkit.FakeWarmStatusProbe;
import org.elb.warmkeeper.testkit.InMemoryAutoWarmPreferences;
import org.elb.warmkeeper.testkit.InMemoryDatabaseInventory;
import org.elb.warmkeeper.testkit.InMemoryInflightLock;
import org.elb.warmkeeper.testkit.InMemoryJobStateEvents;
import org.elb.warmkeeper.testkit.InMemoryJobStateRepository;
import org.elb.warmkeeper.testkit.MutableClock;
import org.elb.warmkeeper.testkit.RecordingWarmupDispatcher;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code GET /api/events} over real HTTP on one runner's API, on the testkit's fakes. */
class EventStreamTest {

    static final String SUB = "00000000-0000-4000-8000-000000000001";
    static final ClusterRef CLUSTER = ClusterRef.of(SUB, "rg-elb", "elb-cluster");
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final MutableClock clock = MutableClock.start();
    private final InMemoryJobStateRepository jobs = new InMemoryJobStateRepository();
    private final InMemoryJobStateEvents events = new InMemoryJobStateEvents();
    private final FakeClusterProvisioner provisioner = new FakeClusterProvisioner();
    private final List<AutoCloseable> open = new ArrayList<>();
    private HttpApi api;

    private HttpApi start(EventHub.Options options) throws Exception {
        DatabaseName coreNt = DatabaseName.of("core_nt");
        AutoWarmReconciler reconciler = AutoWarmReconciler.builder(
                        new InMemoryAutoWarmPreferences().put(new AutoWarmPreference(CLUSTER, List.of(coreNt), true)),
                        new InMemoryDatabaseInventory().markDownloaded(CLUSTER, coreNt),
                        new FakeWarmStatusProbe(),
                        new InMemoryInflightLock(clock),
                        new RecordingWarmupDispatcher())
                .clock(clock)
                .build();
        ProvisioningService provisioning = ProvisioningService.builder(jobs, provisioner)
                .clock(clock)
                .events(events)
                .tenant("contoso.onmicrosoft.com")
                .build();
        VersionGateService gate = VersionGateService.builder(
                        ImageTagSource.of(Map.of()), new FakeDeployedVersionProbe(), new FakeImageRegistry())
                .build();
        api = HttpApi.builder(provisioning, reconciler, gate)
                .port(0)
                .events(events, jobs, options)
                .eventClock(clock)
                .start();
        open.add(api);
        open.add(provisioning);
        return api;
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    private SseClient stream(String owner, String lastEventId) throws Exception {
        SseClient c = SseClient.open(api.port(), owner, lastEventId);
        open.add(0, c);
        return c;
    }

    private String provision(String owner, String cluster) throws Exception {
        String body = "{\"subscription_id\":\"" + SUB + "\",\"resource_group\":\"rg-elb\",\"cluster_name\":\"" + cluster
                + "\",\"region\":\"koreacentral\",\"vm_size\":\"Standard_E32s_v5\",\"node_count\":3}";
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + "/api/aks/provision"))
                        .header(HttpApi.DEFAULT_OWNER_HEADER, owner)
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        return json.readTree(r.body()).get("task_id").asText();
    }

    private static ArmError quota() {
        return ArmError.of(
                "InvalidTemplateDeployment",
                "deployment failed",
                ArmError.of("QuotaExceeded", "exceeding approved Total Regional Cores quota"));
    }

    @Test
    void a_stream_gets_its_owners_changes_with_the_classified_error_and_never_another_owners() throws Exception {
        start(EventHub.Options.defaults());
        SseClient alice = stream("alice", null);
        SseClient bob = stream("bob", null);
        assertThat(alice.status).isEqualTo(200);
        assertThat(alice.contentType).startsWith("text/event-stream");
        alice.await("ready");
        bob.await("ready");

        String task = provision("alice", "elb-a");
        clock.advance(Duration.ofSeconds(5));
        provisioner.fail(TaskId.of(task), quota());

        SseClient.Event failed = alice.await(
                e -> e.type().equals("job") && e.json().get("status").asText().equals("failed"), WAIT);
        JsonNode job = failed.json();
        assertThat(job.get("task_id").asText()).isEqualTo(task);
        assertThat(job.get("error").get("category").asText()).isEqualTo("quota_exceeded");
        assertThat(job.get("error").get("suggested_actions")).isNotEmpty();
        assertThat(job.get("payload").get("cluster_name").asText()).isEqualTo("elb-a");
        assertThat(failed.id())
                .isEqualTo(Long.toString(Instant(job.get("updated_at").asText())));

        // bob's own change arrives on bob's stream; alice's never did
        String bobs = provision("bob", "elb-b");
        SseClient.Event bobEvent = bob.await(
                e -> e.type().equals("job") && e.json().get("task_id").asText().equals(bobs), WAIT);
        assertThat(bobEvent.json().get("task_id").asText()).isEqualTo(bobs);
        assertThat(bob.seen())
                .filteredOn(e -> e.type().equals("job"))
                .allSatisfy(e -> assertThat(e.data()).doesNotContain(task).doesNotContain("elb-a"));
        assertThat(alice.seen())
                .filteredOn(e -> e.type().equals("job"))
                .allSatisfy(e -> assertThat(e.data()).doesNotContain(bobs));
    }

    private static long Instant(String iso) {
        return java.time.Instant.parse(iso).toEpochMilli();
    }

    @Test
    void a_cancel_after_cluster_state_carries_the_portal_link() throws Exception {
        start(EventHub.Options.defaults());
        SseClient alice = stream("alice", null);
        alice.await("ready");
        String task = provision("alice", "elb-c");
        provisioner.created(TaskId.of(task));
        provisioner.publishState(TaskId.of(task), "Creating");
        HttpResponse<String> cancel = http.send(
                HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + api.port() + "/api/aks/provision/" + task + "/cancel"))
                        .header(HttpApi.DEFAULT_OWNER_HEADER, "alice")
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        String portal = json.readTree(cancel.body()).get("portal_url").asText();

        JsonNode cancelled = alice.await(
                        e -> e.type().equals("job")
                                && e.json().get("status").asText().equals("cancelled"),
                        WAIT)
                .json();
        assertThat(cancelled.get("partial_resource_likely").asBoolean()).isTrue();
        assertThat(cancelled.get("portal_url").asText())
                .isEqualTo(portal)
                .startsWith("https://portal.azure.com/#@contoso.onmicrosoft.com/resource/subscriptions/" + SUB);
    }

    @Test
    void last_event_id_replays_the_change_missed_while_disconnected_and_an_old_one_resets() throws Exception {
        start(EventHub.Options.defaults());
        SseClient first = stream("alice", null);
        first.await("ready");
        String task = provision("alice", "elb-r");
        SseClient.Event seen = first.await("job");
        first.close();

        clock.advance(Duration.ofSeconds(30));
        provisioner.fail(TaskId.of(task), quota()); // nobody is connected

        SseClient again = stream("alice", seen.id());
        SseClient.Event missed = again.await("job");
        assertThat(missed.json().get("status").asText()).isEqualTo("failed");
        assertThat(missed.json().get("task_id").asText()).isEqualTo(task);
        assertThat(again.await("ready").json().get("replayed").asInt()).isEqualTo(1);

        clock.advance(EventHub.Options.DEFAULT_RESUME_WINDOW.plusMinutes(1));
        SseClient late = stream("alice", seen.id());
        assertThat(late.await("reset").json().get("reason").asText()).contains("resume window");

        SseClient bad = stream("alice", "abc");
        assertThat(bad.status).isEqualTo(400);
        assertThat(bad.body).contains("Last-Event-ID");
    }

    @Test
    void heartbeats_come_as_comments_and_a_stream_needs_an_identity() throws Exception {
        start(EventHub.Options.defaults().withHeartbeat(Duration.ofMillis(200)));
        SseClient alice = stream("alice", null);
        SseClient.Event beat =
                alice.await(e -> e.comments().stream().anyMatch(c -> c.startsWith("heartbeat")), Duration.ofSeconds(5));
        assertThat(beat.data()).isEmpty();

        SseClient nobody = stream(null, null);
        assertThat(nobody.status).isEqualTo(401);
    }

    @Test
    void streams_beyond_the_bound_get_a_503_json_and_request_threads_stay_free() throws Exception {
        // heartbeats find the stream whose client went away
        start(EventHub.Options.defaults()
                .withMaxStreams(HttpApi.DEFAULT_THREADS + 2)
                .withMaxStreamsPerOwner(HttpApi.DEFAULT_THREADS + 2)
                .withHeartbeat(Duration.ofMillis(200)));
        List<SseClient> streams = new ArrayList<>();
        for (int i = 0; i < HttpApi.DEFAULT_THREADS + 2; i++) {
            SseClient s = stream("alice", null);
            s.await("ready");
            streams.add(s);
        }
        SseClient refused = stream("alice", null);
        assertThat(refused.status).isEqualTo(503);
        assertThat(json.readTree(refused.body).get("error").asText()).contains("too many event streams");

        // more streams than request threads are open, and requests are still answered
        HttpResponse<String> health = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + "/healthz"))
                        .timeout(Duration.ofSeconds(5))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);

        streams.get(0).close();
        awaitOpen(HttpApi.DEFAULT_THREADS + 1);
        assertThat(stream("alice", null).await("ready")).isNotNull();
    }

    @Test
    void one_owner_cannot_take_every_stream() throws Exception {
        start(EventHub.Options.defaults().withMaxStreams(4).withMaxStreamsPerOwner(2));
        stream("alice", null).await("ready");
        stream("alice", null).await("ready");
        SseClient third = stream("alice", null);
        assertThat(third.status).isEqualTo(429);
        assertThat(json.readTree(third.body).get("error").asText()).contains("max-streams-per-owner");
        assertThat(stream("bob", null).await("ready")).isNotNull();
    }

    private void awaitOpen(int n) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (api.eventStream().openStreams() != n && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(api.eventStream().openStreams()).isEqualTo(n);
    }

    @Test
    void a_client_that_reads_nothing_is_dropped_and_its_connection_closed() throws Exception {
        start(EventHub.Options.defaults().withBufferEvents(8).withHeartbeat(Duration.ofMillis(100)));
        OwnerId alice = OwnerId.of("alice");
        try (Socket socket = new Socket()) {
            socket.setReceiveBufferSize(4096);
            socket.connect(new InetSocketAddress("127.0.0.1", api.port()), 5000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET /api/events HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Elb-Owner: alice\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            awaitOpen(1);
            // large rows, each a new version: the socket's buffers fill, then the stream's
            JobState row = jobs.create(new NewJob(
                    JobId.random(), "aks_provision", alice, Map.of("cluster_name", "elb-slow"), clock.instant()));
            String big = "x".repeat(16 * 1024);
            for (int i = 0; i < 2_000 && api.eventStream().droppedStreams() == 0; i++) {
                UpdateResult r = jobs.update(row, JobUpdate.payload(Map.of("filler", big + i)), clock.instant());
                row = ((UpdateResult.Updated) r).state();
                events.publish(JobStateChange.of(row));
            }
            awaitOpen(0);
            assertThat(api.eventStream().droppedStreams()).isEqualTo(1);
            // the connection is closed: reading drains what was sent, then meets the end
            socket.setSoTimeout(10_000);
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[64 * 1024];
            long total = 0;
            for (int n; (n = in.read(buffer)) >= 0; ) {
                total += n;
            }
            assertThat(total).isPositive();
        }
    }

    @Test
    void drain_ends_every_stream_with_a_close_event() throws Exception {
        start(EventHub.Options.defaults());
        SseClient alice = stream("alice", null);
        alice.await("ready");

        assertThat(api.drain(Duration.ofSeconds(5))).isTrue();

        assertThat(alice.await("close").json().get("reason").asText()).contains("draining");
        alice.awaitEnd(WAIT);
        assertThat(api.eventStream().openStreams()).isZero();
    }
}
