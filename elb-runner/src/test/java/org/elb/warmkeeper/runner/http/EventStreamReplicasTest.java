package org.elb.warmkeeper.runner.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.elb.warmkeeper.core.cluster.DatabaseName;
import org.elb.warmkeeper.core.provision.ArmError;
import org.elb.warmkeeper.core.provision.ProvisioningService;
import org.elb.warmkeeper.core.provision.TaskId;
import org.elb.warmkeeper.core.version.ImageTagSource;
import org.elb.warmkeeper.core.version.VersionGateService;
import org.elb.warmkeeper.core.warm.AutoWarmPreference;
import org.elb.warmkeeper.core.warm.AutoWarmReconciler;
import org.elb.warmkeeper.http.EventHub;
import org.elb.warmkeeper.jdbi.JdbiStore;
import org.elb.warmkeeper.redis.RedissonClients;
import org.elb.warmkeeper.redis.RedissonJobStateEvents;
import org.elb.warmkeeper.testkit.FakeClusterProvisioner;
import org.elb.warmkeeper.testkit.FakeDeployedVersionProbe;
import org.elb.warmkeeper.testkit.FakeImageRegistry;
import org.elb.warmkeeper.testkit.FakeWarmStatusProbe;
import org.elb.warmkeeper.testkit.InMemoryAutoWarmPreferences;
import org.elb.warmkeeper.testkit.InMemoryDatabaseInventory;
import org.elb.warmkeeper.testkit.InMemoryInflightLock;
import org.elb.warmkeeper.testkit.MutableClock;
import org.elb.warmkeeper.testkit.RecordingWarmupDispatcher;
import org.elb.warmkeeper.testservers.TestPostgres;
import org.elb.warmkeeper.testservers.TestRedis;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.redisson.api.RedissonClient;

/**
 * Two runners' APIs (A and B) on one real PostgreSQL schema and one real Redis, each with its own store,
 * Redis client and provisioner, as two replicas have them: a change made through A reaches a stream
 * connected to B.
 */
class EventStreamReplicasTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String schema = TestPostgres.schema();
    private final String channel = "elb:test:jobstate:" + UUID.randomUUID();
    private final List<AutoCloseable> open = new ArrayList<>();
    private Replica a;
    private Replica b;

    /** One replica: its own store, Redis client, events, provisioner, service and API. */
    private final class Replica {
        final FakeClusterProvisioner provisioner = new FakeClusterProvisioner();
        final HttpApi api;

        Replica() throws Exception {
            MutableClock clock = MutableClock.start();
            JdbiStore store =
                    JdbiStore.builder(TestPostgres.url()).schema(schema).build();
            RedissonClient redis = RedissonClients.create(TestRedis.url());
            open.add(0, redis::shutdown);
            open.add(0, store);
            RedissonJobStateEvents events =
                    RedissonJobStateEvents.builder(redis).channel(channel).build();
            ProvisioningService provisioning = ProvisioningService.builder(store.jobStateRepository(), provisioner)
                    .events(events)
                    .build();
            open.add(0, provisioning);
            DatabaseName coreNt = DatabaseName.of("core_nt");
            AutoWarmReconciler reconciler = AutoWarmReconciler.builder(
                            new InMemoryAutoWarmPreferences()
                                    .put(new AutoWarmPreference(EventStreamTest.CLUSTER, List.of(coreNt), true)),
                            new InMemoryDatabaseInventory().markDownloaded(EventStreamTest.CLUSTER, coreNt),
                            new FakeWarmStatusProbe(),
                            new InMemoryInflightLock(clock),
                            new RecordingWarmupDispatcher())
                    .build();
            VersionGateService gate = VersionGateService.builder(
                            ImageTagSource.of(Map.of()), new FakeDeployedVersionProbe(), new FakeImageRegistry())
                    .build();
            api = HttpApi.builder(provisioning, reconciler, gate)
                    .port(0)
                    .events(events, store.jobStateRepository(), EventHub.Options.defaults())
                    .start();
            open.add(0, api);
        }

        SseClient stream(String owner, String lastEventId) throws Exception {
            SseClient c = SseClient.open(api.port(), owner, lastEventId);
            open.add(0, c);
            return c;
        }

        String provision(String owner, String cluster) throws Exception {
            String body = "{\"subscription_id\":\"" + EventStreamTest.SUB
                    + "\",\"resource_group\":\"rg-elb\",\"cluster_name\":\"" + cluster
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
    }

    @BeforeEach
    void start() throws Exception {
        a = new Replica();
        b = new Replica();
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
        TestPostgres.drop(schema);
    }

    private static ArmError quota() {
        return ArmError.of("QuotaExceeded", "exceeding approved Total Regional Cores quota");
    }

    private static boolean failedTask(SseClient.Event e, String task) {
        return e.type().equals("job")
                && e.json().get("task_id").asText().equals(task)
                && e.json().get("status").asText().equals("failed");
    }

    @Test
    void a_failure_through_A_reaches_a_stream_on_B_and_never_another_owners_stream() throws Exception {
        SseClient aliceOnB = b.stream("alice", null);
        SseClient bobOnB = b.stream("bob", null);
        aliceOnB.await("ready");
        bobOnB.await("ready");

        String task = a.provision("alice", "elb-east");
        a.provisioner.fail(TaskId.of(task), quota());

        SseClient.Event failed = aliceOnB.await(e -> failedTask(e, task), WAIT);
        assertThat(failed.json().get("error").get("category").asText()).isEqualTo("quota_exceeded");
        assertThat(failed.json().get("payload").get("region").asText()).isEqualTo("koreacentral");

        String bobs = b.provision("bob", "elb-bob");
        bobOnB.await(
                e -> e.type().equals("job") && e.json().get("task_id").asText().equals(bobs), WAIT);
        String jobId = failed.json().get("job_id").asText();
        assertThat(bobOnB.seen())
                .noneMatch(e -> e.data().contains(jobId) || e.data().contains("elb-east"));
    }

    @Test
    void a_client_reconnecting_to_B_with_last_event_id_gets_the_change_made_through_A_meanwhile() throws Exception {
        SseClient first = b.stream("alice", null);
        first.await("ready");
        String task = a.provision("alice", "elb-west");
        SseClient.Event last = first.await(
                e -> e.type().equals("job") && e.json().get("task_id").asText().equals(task), WAIT);
        first.close();

        a.provisioner.fail(TaskId.of(task), quota()); // while alice is disconnected

        SseClient again = b.stream("alice", last.id());
        assertThat(again.await(e -> failedTask(e, task), WAIT)).isNotNull();
        assertThat(again.await("ready").json().get("resumed").asBoolean()).isTrue();
    }
}
