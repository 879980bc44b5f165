package org.elb.warmkeeper.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.elb.warmkeeper.core.cluster.ClusterRef;
import org.elb.warmkeeper.core.cluster.DatabaseName;
import org.elb.warmkeeper.core.warm.DispatchOutcome;
import org.elb.warmkeeper.core.warm.WarmStatus;
import org.elb.warmkeeper.core.warm.WarmupRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A warm database stays READY a day after its warmup finished. The mock server runs no controllers, so
 * the test plays the TTL-after-finished controller: 24 h after a Job completed it deletes every finished
 * Job whose {@code ttlSecondsAfterFinished} has run out, and the Pods it owns.
 */
class WarmAfterJobGarbageCollectionTest {

    private static final ClusterRef CLUSTER = ClusterRef.of("00000000-0000-0000-0000-0000000000ab", "rg", "elb-gc");
    private static final DatabaseName DB = DatabaseName.of("core_nt");

    private MockCluster cluster;
    private KubernetesClientProvider clients;
    private Fabric8WarmStatusProbe probe;

    @BeforeEach
    void start() {
        cluster = MockCluster.start();
        clients = KubernetesClientProvider.builder(KubernetesConfigSource.of(Map.of(CLUSTER, cluster.config())))
                .build();
        probe = Fabric8WarmStatusProbe.builder(clients).build();
    }

    @AfterEach
    void stop() {
        clients.close();
        cluster.close();
    }

    /** Dispatches with {@code template}, lets the warmup finish, then 24 h pass. */
    private WarmStatus aDayAfterAWarmupWith(Job template) {
        Fabric8WarmupDispatcher dispatcher =
                Fabric8WarmupDispatcher.builder(clients, template).build();
        assertThat(dispatcher.enqueue(new WarmupRequest(CLUSTER, DB, false))).isEqualTo(DispatchOutcome.ENQUEUED);
        String name = WarmupNames.jobName(WarmupNames.DEFAULT_JOB_PREFIX, DB);
        Job job = cluster.admin()
                .batch()
                .v1()
                .jobs()
                .inNamespace(Warmups.NS)
                .withName(name)
                .get();
        Pod pod = new PodBuilder(Warmups.pod(DB).build())
                .editMetadata()
                .addToOwnerReferences(new OwnerReferenceBuilder()
                        .withApiVersion("batch/v1")
                        .withKind("Job")
                        .withName(name)
                        .withUid(job.getMetadata().getUid())
                        .withController(true)
                        .build())
                .endMetadata()
                .withNewStatus()
                .withPhase("Succeeded")
                .endStatus()
                .build();
        cluster.admin().pods().inNamespace(Warmups.NS).resource(pod).create();
        Warmups.finishJob(cluster.admin(), name, "Complete");
        Instant finishedAt = Instant.parse("2026-12-01T00:00:00Z");
        assertThat(probe.statuses(CLUSTER, Set.of(DB))).containsEntry(DB, WarmStatus.READY);

        collectFinishedJobs(finishedAt.plus(Duration.ofHours(24)), finishedAt);

        return probe.statuses(CLUSTER, Set.of(DB)).get(DB);
    }

    /** What the TTL-after-finished controller does at {@code now} for Jobs that finished at {@code finishedAt}. */
    private void collectFinishedJobs(Instant now, Instant finishedAt) {
        for (Job job : cluster.admin()
                .batch()
                .v1()
                .jobs()
                .inNamespace(Warmups.NS)
                .list()
                .getItems()) {
            Integer ttl = job.getSpec().getTtlSecondsAfterFinished();
            if (ttl != null && !now.isBefore(finishedAt.plusSeconds(ttl))) {
                String uid = job.getMetadata().getUid();
                cluster.admin().pods().inNamespace(Warmups.NS).list().getItems().stream()
                        .filter(p ->
                                p.getMetadata().getOwnerReferences().stream().anyMatch(o -> uid.equals(o.getUid())))
                        .forEach(p -> cluster.admin()
                                .pods()
                                .inNamespace(Warmups.NS)
                                .resource(p)
                                .delete());
                cluster.admin()
                        .batch()
                        .v1()
                        .jobs()
                        .inNamespace(Warmups.NS)
                        .resource(job)
                        .delete();
            }
        }
    }

    @Test
    void with_the_default_template_a_warm_database_is_still_ready_24_hours_after_its_warmup() {
        Job template = WarmupJobTemplate.defaults("ncbi/elb:1.4.0");

        assertThat(template.getSpec().getTtlSecondsAfterFinished()).isNull();
        assertThat(aDayAfterAWarmupWith(template)).isEqualTo(WarmStatus.READY);
    }

    @Test
    void a_template_with_a_24_hour_ttl_reads_absent_a_day_later_which_is_why_the_default_has_none() {
        Job withTtl = new JobBuilder(WarmupJobTemplate.defaults("ncbi/elb:1.4.0"))
                .editSpec()
                .withTtlSecondsAfterFinished(24 * 3600)
                .endSpec()
                .build();

        assertThat(aDayAfterAWarmupWith(withTtl)).isEqualTo(WarmStatus.ABSENT);
    }
}
