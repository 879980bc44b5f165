package org.elb.warmkeeper.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.Map;
import org.elb.warmkeeper.core.cluster.ClusterRef;
import org.elb.warmkeeper.core.cluster.DatabaseName;
import org.elb.warmkeeper.core.warm.DispatchException;
import org.elb.warmkeeper.core.warm.DispatchOutcome;
import org.elb.warmkeeper.core.warm.WarmStatus;
import org.elb.warmkeeper.core.warm.WarmupRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class Fabric8WarmupDispatcherTest {

    private static final ClusterRef CLUSTER =
            ClusterRef.of("00000000-0000-0000-0000-0000000000aa", "rg", "elb-dispatch");
    private static final DatabaseName DB = DatabaseName.of("16S_ribosomal_RNA");

    private MockCluster cluster;
    private KubernetesClientProvider clients;
    private Job template;
    private Fabric8WarmupDispatcher dispatcher;

    @BeforeEach
    void start() {
        cluster = MockCluster.start();
        clients = KubernetesClientProvider.builder(KubernetesConfigSource.of(Map.of(CLUSTER, cluster.config())))
                .build();
        template = Warmups.template();
        dispatcher = Fabric8WarmupDispatcher.builder(clients, template).build();
    }

    @AfterEach
    void stop() {
        clients.close();
        cluster.close();
    }

    private Job created() {
        return cluster.admin()
                .batch()
                .v1()
                .jobs()
                .inNamespace(Warmups.NS)
                .withName(WarmupNames.jobName(WarmupNames.DEFAULT_JOB_PREFIX, DB))
                .get();
    }

    @Test
    void the_job_carries_name_labels_annotation_and_environment_and_the_template_is_untouched() {
        Job before = new JobBuilder(template).build();
        assertThat(dispatcher.enqueue(new WarmupRequest(CLUSTER, DB, false))).isEqualTo(DispatchOutcome.ENQUEUED);

        Job job = created();
        assertThat(job.getMetadata().getName())
                .isEqualTo("elb-warmup-" + WarmupNames.key(DB))
                .hasSizeLessThanOrEqualTo(63);
        assertThat(job.getMetadata().getLabels())
                .containsEntry(WarmupNames.COMPONENT_LABEL, WarmupNames.DEFAULT_COMPONENT)
                .containsEntry(WarmupNames.MANAGED_BY_LABEL, WarmupNames.MANAGED_BY)
                .containsEntry(WarmupNames.DATABASE_KEY_LABEL, WarmupNames.key(DB))
                .containsEntry("team", "blast");
        assertThat(job.getMetadata().getAnnotations()).containsEntry(WarmupNames.DATABASE_ANNOTATION, DB.value());
        assertThat(job.getSpec().getTemplate().getMetadata().getLabels())
                .containsEntry(WarmupNames.DATABASE_KEY_LABEL, WarmupNames.key(DB))
                .containsEntry(WarmupNames.COMPONENT_LABEL, WarmupNames.DEFAULT_COMPONENT);
        assertThat(job.getSpec().getTemplate().getMetadata().getAnnotations())
                .containsEntry(WarmupNames.DATABASE_ANNOTATION, DB.value());
        assertThat(job.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv())
                .extracting(EnvVar::getName, EnvVar::getValue)
                .contains(
                        org.assertj.core.groups.Tuple.tuple("KEEP", "me"),
                        org.assertj.core.groups.Tuple.tuple(Fabric8WarmupDispatcher.ENV_DATABASE, DB.value()),
                        org.assertj.core.groups.Tuple.tuple(Fabric8WarmupDispatcher.ENV_CLUSTER, "elb-dispatch"));
        assertThat(template).isEqualTo(before);
    }

    @Test
    void an_active_job_whose_pods_all_crash_is_replaced() {
        WarmupRequest r = new WarmupRequest(CLUSTER, DB, false);
        assertThat(dispatcher.enqueue(r)).isEqualTo(DispatchOutcome.ENQUEUED);
        Job first = created();
        Pod crashing = new PodBuilder(Warmups.inState(DB, WarmStatus.FAILED))
                .editMetadata()
                .addToLabels(
                        WarmupNames.CONTROLLER_UID_LABEL, first.getMetadata().getUid())
                .endMetadata()
                .build();
        cluster.admin().pods().inNamespace(Warmups.NS).resource(crashing).create();

        assertThat(dispatcher.enqueue(r)).isEqualTo(DispatchOutcome.ENQUEUED);
        assertThat(created().getMetadata().getUid())
                .isNotEqualTo(first.getMetadata().getUid());
    }

    @Test
    void a_failed_job_is_deleted_on_the_condition_that_nobody_changed_it_since_it_was_read() {
        WarmupRequest r = new WarmupRequest(CLUSTER, DB, false);
        dispatcher.enqueue(r);
        Warmups.finishJob(cluster.admin(), created().getMetadata().getName(), "Failed");
        String version = created().getMetadata().getResourceVersion();

        assertThat(dispatcher.enqueue(r)).isEqualTo(DispatchOutcome.ENQUEUED);

        assertThat(cluster.deleteBodies())
                .singleElement()
                .satisfies(body -> assertThat(body).contains("preconditions").contains(version));
    }

    @Test
    void a_finished_job_of_the_same_name_without_our_labels_is_never_deleted() {
        Job foreign = new JobBuilder(template)
                .editMetadata()
                .withName(WarmupNames.jobName(WarmupNames.DEFAULT_JOB_PREFIX, DB))
                .withNamespace(Warmups.NS)
                .withLabels(Map.of("team", "someone-else"))
                .endMetadata()
                .build();
        cluster.admin()
                .batch()
                .v1()
                .jobs()
                .inNamespace(Warmups.NS)
                .resource(foreign)
                .create();
        Warmups.finishJob(cluster.admin(), foreign.getMetadata().getName(), "Failed");
        String uid = created().getMetadata().getUid();

        assertThatThrownBy(() -> dispatcher.enqueue(new WarmupRequest(CLUSTER, DB, false)))
                .isInstanceOf(DispatchException.class)
                .hasMessageContaining("not a warmup of ours")
                .hasMessageContaining(WarmupNames.MANAGED_BY_LABEL);
        assertThat(cluster.deleteBodies()).isEmpty();
        assertThat(created().getMetadata().getUid()).isEqualTo(uid);
    }

    @Test
    void an_active_job_with_a_loading_pod_is_already_running() {
        WarmupRequest r = new WarmupRequest(CLUSTER, DB, false);
        dispatcher.enqueue(r);
        Job first = created();
        Pod loading = new PodBuilder(Warmups.pending(DB))
                .editMetadata()
                .addToLabels(
                        WarmupNames.CONTROLLER_UID_LABEL, first.getMetadata().getUid())
                .endMetadata()
                .build();
        cluster.admin().pods().inNamespace(Warmups.NS).resource(loading).create();

        assertThat(dispatcher.enqueue(r)).isEqualTo(DispatchOutcome.ALREADY_RUNNING);
        assertThat(created().getMetadata().getUid())
                .isEqualTo(first.getMetadata().getUid());
    }

    @Test
    void an_api_error_is_a_dispatch_exception_with_the_fabric8_cause() {
        cluster.failWith(500);
        assertThatThrownBy(() -> dispatcher.enqueue(new WarmupRequest(CLUSTER, DB, false)))
                .isInstanceOf(DispatchException.class)
                .hasMessageContaining("HTTP 500")
                .hasCauseInstanceOf(KubernetesClientException.class);
    }

    @Test
    void a_forbidden_create_is_a_dispatch_exception() {
        cluster.failWith(403);
        assertThatThrownBy(() -> dispatcher.enqueue(new WarmupRequest(CLUSTER, DB, false)))
                .isInstanceOf(DispatchException.class)
                .hasMessageContaining("HTTP 403");
    }

    @Test
    void a_template_loaded_from_yaml_works() {
        Job yaml = io.fabric8.kubernetes.client.utils.Serialization.unmarshal("""
                apiVersion: batch/v1
                kind: Job
                metadata:
                  name: placeholder
                spec:
                  backoffLimit: 1
                  template:
                    spec:
                      restartPolicy: Never
                      containers:
                      - name: warmup
                        image: elbacr.azurecr.io/elb-warmup:v1
                        args: ["--db", "$(ELB_WARMUP_DATABASE)"]
                """, Job.class);
        Fabric8WarmupDispatcher fromYaml =
                Fabric8WarmupDispatcher.builder(clients, yaml).namespace("elb").build();
        assertThat(fromYaml.enqueue(new WarmupRequest(CLUSTER, DB, false))).isEqualTo(DispatchOutcome.ENQUEUED);
        Job job = cluster.admin()
                .batch()
                .v1()
                .jobs()
                .inNamespace("elb")
                .withName(WarmupNames.jobName(WarmupNames.DEFAULT_JOB_PREFIX, DB))
                .get();
        assertThat(job.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs())
                .containsExactly("--db", "$(ELB_WARMUP_DATABASE)");
        assertThat(job.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv())
                .anySatisfy(e -> assertThat(e.getValue()).isEqualTo(DB.value()));
    }

    @Test
    void a_template_without_containers_is_rejected_at_build_time() {
        Job empty = new JobBuilder()
                .withNewSpec()
                .withNewTemplate()
                .withNewSpec()
                .endSpec()
                .endTemplate()
                .endSpec()
                .build();
        assertThatThrownBy(() -> Fabric8WarmupDispatcher.builder(clients, empty))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("template");
    }

    @Test
    void namespace_and_prefix_are_validated() {
        assertThatThrownBy(
                        () -> Fabric8WarmupDispatcher.builder(clients, template).namespace("Bad_NS"))
                .hasMessageContaining("namespace");
        assertThatThrownBy(
                        () -> Fabric8WarmupDispatcher.builder(clients, template).jobNamePrefix("much-too-long-prefix-"))
                .hasMessageContaining("jobNamePrefix");
    }
}
