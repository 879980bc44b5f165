package org.elb.warmkeeper.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.elb.warmkeeper.core.cluster.OwnerId;
import org.elb.warmkeeper.core.provision.JobId;
import org.elb.warmkeeper.core.provision.JobStateChange;
import org.elb.warmkeeper.core.provision.JobStateEvents;
import org.elb.warmkeeper.core.provision.JobStatus;
import org.elb.warmkeeper.core.provision.TaskId;
import org.elb.warmkeeper.redis.support.Resp;
import org.elb.warmkeeper.redis.support.WarmClients;
import org.elb.warmkeeper.testkit.contract.JobStateEventsContract;
import org.elb.warmkeeper.testservers.TestRedis;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.redisson.api.RedissonClient;

/**
 * Job-state change events across two Redisson clients (publisher and subscriber, as two replicas) on a
 * real Redis, on a random channel per test: the testkit's contract plus the Redis specifics (the JSON
 * a plain client reads, foreign messages, resubscription after a dropped connection).
 */
class RedissonJobStateEventsTest extends JobStateEventsContract {

    private final String channel = "elb-test:jobstate:" + UUID.randomUUID();
    private final String subscriberName =
            "elb-events-sub-" + UUID.randomUUID().toString().substring(0, 8);
    private TestRedis.Target target;
    private RedissonClient publisherClient;
    private RedissonClient subscriberClient;
    private RedissonJobStateEvents publisher;
    private RedissonJobStateEvents subscriber;

    @BeforeEach
    void start() {
        target = TestRedis.shared();
        publisherClient = WarmClients.warmClient(target.url(), "elb-events-pub");
        subscriberClient = WarmClients.warmClient(target.url(), subscriberName);
        publisher =
                RedissonJobStateEvents.builder(publisherClient).channel(channel).build();
        subscriber = RedissonJobStateEvents.builder(subscriberClient)
                .channel(channel)
                .build();
    }

    @Override
    protected JobStateEvents publisher() {
        return publisher;
    }

    @Override
    protected JobStateEvents subscriber() {
        return subscriber;
    }

    @AfterEach
    void stop() {
        publisherClient.shutdown();
        subscriberClient.shutdown();
    }

    private static JobStateChange change(JobId id, JobStatus status, long version, String clusterState) {
        return new JobStateChange(
                id,
                "aks_provision",
                OwnerId.of("owner-1"),
                status,
                version > 1 ? TaskId.of("task-" + id.value()) : null,
                clusterState,
                version,
                Instant.parse("2026-01-01T00:00:00Z").plusSeconds(version));
    }

    @Test
    void foreign_messages_on_the_channel_are_ignored() {
        List<JobStateChange> received = new CopyOnWriteArrayList<>();
        try (JobStateEvents.Subscription good = subscriber.subscribe(received::add);
                Resp plain = Resp.to(target)) {
            plain.call("PUBLISH", channel, "not json");
            plain.call("PUBLISH", channel, "{\"job_id\":\"nope\"}");
            JobStateChange c = change(JobId.random(), JobStatus.FAILED, 2, "Failed");
            publisher.publish(c);
            await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 1);
            assertThat(received).containsExactly(c);
        }
    }

    @Test
    void a_plain_client_reads_the_json_payload() {
        try (Resp plain = Resp.to(target)) {
            plain.call("SUBSCRIBE", channel);
            JobId id = JobId.random();
            publisher.publish(change(id, JobStatus.RUNNING, 2, "Creating"));
            @SuppressWarnings("unchecked")
            List<Object> message = (List<Object>) plain.read();
            assertThat(message.get(0)).isEqualTo("message");
            assertThat(message.get(1)).isEqualTo(channel);
            assertThat((String) message.get(2))
                    .isEqualTo("{\"job_id\":\"" + id + "\",\"type\":\"aks_provision\","
                            + "\"owner\":\"owner-1\",\"status\":\"running\",\"task_id\":\"task-" + id + "\","
                            + "\"cluster_state\":\"Creating\",\"version\":2,\"at\":\"2026-01-01T00:00:02Z\"}");
        }
    }

    @Test
    void a_dropped_subscriber_connection_is_resubscribed() {
        List<JobStateChange> received = new CopyOnWriteArrayList<>();
        try (JobStateEvents.Subscription ignored = subscriber.subscribe(received::add);
                Resp plain = Resp.to(target)) {
            JobStateChange before = change(JobId.random(), JobStatus.QUEUED, 1, null);
            publisher.publish(before);
            await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 1);

            // kill only this test's subscriber connections, found by client name (safe on a shared server)
            int killed = killConnections(plain, subscriberName, "subscribe");
            assertThat(killed).isPositive();

            // Redisson reconnects and resubscribes; keep publishing until a change arrives again
            JobId id = JobId.random();
            long[] version = {1};
            await().atMost(Duration.ofSeconds(20))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> {
                        publisher.publish(change(id, JobStatus.QUEUED, ++version[0], null));
                        return received.stream().anyMatch(c -> c.jobId().equals(id));
                    });
            assertThat(received.get(0)).isEqualTo(before);
        }
    }

    @SuppressWarnings("unchecked")
    private static int killConnections(Resp plain, String clientName, String cmdPrefix) {
        String list = (String) plain.call("CLIENT", "LIST");
        int killed = 0;
        for (String line : list.split("\n")) {
            if (line.contains(" name=" + clientName + " ") && line.contains(" cmd=" + cmdPrefix)) {
                String id = line.substring(line.indexOf("id=") + 3, line.indexOf(' '));
                killed += ((Long) plain.call("CLIENT", "KILL", "ID", id)).intValue();
            }
        }
        return killed;
    }
}
