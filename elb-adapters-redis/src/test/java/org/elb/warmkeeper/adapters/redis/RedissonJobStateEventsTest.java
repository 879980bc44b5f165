package org.elb.warmkeeper.adapters.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.elb.warmkeeper.adapters.redis.support.Resp;
import org.elb.warmkeeper.adapters.redis.support.TestRedis;
import org.elb.warmkeeper.core.cluster.OwnerId;
import org.elb.warmkeeper.core.provision.JobId;
import org.elb.warmkeeper.core.provision.JobStateChange;
import org.elb.warmkeeper.core.provision.JobStateEvents;
import org.elb.warmkeeper.core.provision.JobStatus;
import org.elb.warmkeeper.core.provision.TaskId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.redisson.api.RedissonClient;

/** Job-state change events across two Redisson clients on a real Redis, on a random channel per test. */
class RedissonJobStateEventsTest {

    private final String channel = "elb-test:jobstate:" + UUID.randomUUID();
    private final String subscriberName = "elb-events-sub-" + UUID.randomUUID().toString().substring(0, 8);
    private TestRedis.Target target;
    private RedissonClient publisherClient;
    private RedissonClient subscriberClient;
    private RedissonJobStateEvents publisher;
    private RedissonJobStateEvents subscriber;

    @BeforeEach
    void start() {
        target = TestRedis.shared();
        publisherClient = TestRedis.warmClient(target.url(), "elb-events-pub");
        subscriberClient = TestRedis.warmClient(target.url(), subscriberName);
        publisher = RedissonJobStateEvents.builder(publisherClient).channel(channel).build();
        subscriber = RedissonJobStateEvents.builder(subscriberClient).channel(channel).build();
    }

    @AfterEach
    void stop() {
        publisherClient.shutdown();
        subscriberClient.shutdown();
    }

    private static JobStateChange change(JobId id, JobStatus status, long version, String clusterState) {
        return new JobStateChange(id, "aks_provision", OwnerId.of("owner-1"), status,
                version > 1 ? TaskId.of("task-" + id.value()) : null, clusterState, version,
                Instant.parse("2026-01-01T00:00:00Z").plusSeconds(version));
    }

    @Test
    void a_subscriber_in_another_client_gets_each_change_once_in_order() {
        List<JobStateChange> received = new CopyOnWriteArrayList<>();
        try (JobStateEvents.Subscription ignored = subscriber.subscribe(received::add)) {
            List<JobStateChange> sent = new ArrayList<>();
            for (int j = 0; j < 5; j++) {
                JobId id = JobId.random();
                sent.add(change(id, JobStatus.QUEUED, 1, null));
                sent.add(change(id, JobStatus.RUNNING, 2, "Creating"));
                sent.add(change(id, JobStatus.SUCCEEDED, 3, "Succeeded"));
            }
            sent.forEach(publisher::publish);

            await().atMost(Duration.ofSeconds(10)).until(() -> received.size() >= sent.size());
            // nothing more arrives: each change exactly once
            await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> received.size() == sent.size());
            assertThat(received).containsExactlyElementsOf(sent);
        }
    }

    @Test
    void two_subscriptions_each_get_every_change_and_a_closed_one_gets_no_more() {
        List<JobStateChange> first = new CopyOnWriteArrayList<>();
        List<JobStateChange> second = new CopyOnWriteArrayList<>();
        JobStateEvents.Subscription s1 = subscriber.subscribe(first::add);
        try (JobStateEvents.Subscription s2 = subscriber.subscribe(second::add)) {
            JobStateChange c1 = change(JobId.random(), JobStatus.QUEUED, 1, null);
            publisher.publish(c1);
            await().atMost(Duration.ofSeconds(10)).until(() -> first.size() == 1 && second.size() == 1);

            s1.close();
            await().atMost(Duration.ofSeconds(5)).until(() -> subscriberClient.getTopic(channel).countListeners() == 1);
            JobStateChange c2 = change(JobId.random(), JobStatus.QUEUED, 1, null);
            publisher.publish(c2);
            await().atMost(Duration.ofSeconds(10)).until(() -> second.size() == 2);
            assertThat(second).containsExactly(c1, c2);
            assertThat(first).containsExactly(c1);
        }
    }

    @Test
    void a_throwing_subscriber_and_foreign_messages_do_not_stop_delivery() {
        List<JobStateChange> received = new CopyOnWriteArrayList<>();
        try (JobStateEvents.Subscription bad = subscriber.subscribe(c -> {
                    throw new IllegalStateException("subscriber bug");
                });
                JobStateEvents.Subscription good = subscriber.subscribe(received::add);
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
            assertThat((String) message.get(2)).isEqualTo("{\"job_id\":\"" + id + "\",\"type\":\"aks_provision\","
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
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).until(() -> {
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
