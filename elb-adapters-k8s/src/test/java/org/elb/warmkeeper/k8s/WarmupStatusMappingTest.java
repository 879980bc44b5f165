package org.elb.warmkeeper.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.elb.warmkeeper.core.cluster.DatabaseName;
import org.elb.warmkeeper.core.warm.WarmStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WarmupStatusMappingTest {

    private static final DatabaseName DB = DatabaseName.of("core_nt");

    private static WarmStatus pod(Pod pod) {
        return WarmupStatusMapping.ofPod(pod).orElseThrow();
    }

    private static Job job(String conditionType, String status) {
        JobBuilder b = new JobBuilder()
                .withNewMetadata()
                .withName("j")
                .addToLabels(Warmups.labels(DB))
                .addToAnnotations(WarmupNames.DATABASE_ANNOTATION, DB.value())
                .endMetadata();
        if (conditionType != null) {
            b.withNewStatus()
                    .addNewCondition()
                    .withType(conditionType)
                    .withStatus(status)
                    .endCondition()
                    .endStatus();
        }
        return b.build();
    }

    @Test
    void pending_pod_is_loading() {
        assertThat(pod(Warmups.pending(DB))).isEqualTo(WarmStatus.LOADING);
    }

    @Test
    void running_pod_is_ready_only_when_its_ready_condition_is_true() {
        assertThat(pod(Warmups.running(DB, true))).isEqualTo(WarmStatus.READY);
        assertThat(pod(Warmups.running(DB, false))).isEqualTo(WarmStatus.LOADING);
        Pod noConditions =
                Warmups.pod(DB).withNewStatus().withPhase("Running").endStatus().build();
        assertThat(pod(noConditions)).isEqualTo(WarmStatus.LOADING);
    }

    @Test
    void pod_in_init_containers_is_loading() {
        Pod init = Warmups.pod(DB)
                .withNewStatus()
                .withPhase("Pending")
                .addToInitContainerStatuses(new ContainerStatusBuilder()
                        .withName("fetch")
                        .withNewState()
                        .withNewRunning()
                        .endRunning()
                        .endState()
                        .build())
                .endStatus()
                .build();
        assertThat(pod(init)).isEqualTo(WarmStatus.LOADING);
    }

    @Test
    void succeeded_pod_is_ready() {
        assertThat(pod(Warmups.pod(DB)
                        .withNewStatus()
                        .withPhase("Succeeded")
                        .endStatus()
                        .build()))
                .isEqualTo(WarmStatus.READY);
    }

    @Test
    void failed_pod_is_failed() {
        assertThat(pod(Warmups.failed(DB))).isEqualTo(WarmStatus.FAILED);
    }

    @ParameterizedTest
    @ValueSource(strings = {"CrashLoopBackOff", "ImagePullBackOff", "ErrImagePull", "CreateContainerConfigError"})
    void container_waiting_for_a_hopeless_reason_is_failed(String reason) {
        assertThat(pod(Warmups.waiting(DB, reason))).isEqualTo(WarmStatus.FAILED);
    }

    @Test
    void init_container_in_crash_loop_is_failed() {
        Pod p = Warmups.pod(DB)
                .withNewStatus()
                .withPhase("Pending")
                .addToInitContainerStatuses(new ContainerStatusBuilder()
                        .withName("fetch")
                        .withNewState()
                        .withNewWaiting()
                        .withReason("CrashLoopBackOff")
                        .endWaiting()
                        .endState()
                        .build())
                .endStatus()
                .build();
        assertThat(pod(p)).isEqualTo(WarmStatus.FAILED);
    }

    @Test
    void container_waiting_for_a_normal_reason_is_still_loading() {
        Pod p = Warmups.pod(DB)
                .withNewStatus()
                .withPhase("Pending")
                .addToContainerStatuses(new ContainerStatusBuilder()
                        .withName("warmup")
                        .withNewState()
                        .withNewWaiting()
                        .withReason("ContainerCreating")
                        .endWaiting()
                        .endState()
                        .build())
                .endStatus()
                .build();
        assertThat(pod(p)).isEqualTo(WarmStatus.LOADING);
        Pod noReason = Warmups.pod(DB)
                .withNewStatus()
                .withPhase("Pending")
                .addToContainerStatuses(new ContainerStatusBuilder()
                        .withName("warmup")
                        .withNewState()
                        .withNewWaiting()
                        .endWaiting()
                        .endState()
                        .build())
                .endStatus()
                .build();
        assertThat(pod(noReason)).isEqualTo(WarmStatus.LOADING);
    }

    @Test
    void unknown_or_missing_phase_is_unknown() {
        assertThat(pod(Warmups.unknown(DB))).isEqualTo(WarmStatus.UNKNOWN);
        assertThat(pod(Warmups.pod(DB).build())).isEqualTo(WarmStatus.UNKNOWN);
    }

    @Test
    void a_pod_being_deleted_is_ignored() {
        Pod deleting = new PodBuilder(Warmups.running(DB, true))
                .editMetadata()
                .withDeletionTimestamp("2026-01-01T00:00:00Z")
                .endMetadata()
                .build();
        assertThat(WarmupStatusMapping.ofPod(deleting)).isEmpty();
        assertThat(WarmupStatusMapping.of(List.of(), List.of(deleting))).isEqualTo(WarmStatus.ABSENT);
    }

    @Test
    void job_conditions() {
        assertThat(WarmupStatusMapping.ofJob(job("Complete", "True"))).contains(WarmStatus.READY);
        assertThat(WarmupStatusMapping.ofJob(job("Failed", "True"))).contains(WarmStatus.FAILED);
        assertThat(WarmupStatusMapping.ofJob(job("Failed", "False"))).isEmpty();
        assertThat(WarmupStatusMapping.ofJob(job(null, null))).isEmpty();
    }

    @Test
    void an_active_job_without_pods_is_loading_and_with_pods_defers_to_them() {
        assertThat(WarmupStatusMapping.of(List.of(job(null, null)), List.of())).isEqualTo(WarmStatus.LOADING);
        assertThat(WarmupStatusMapping.of(List.of(job(null, null)), List.of(Warmups.waiting(DB, "ErrImagePull"))))
                .isEqualTo(WarmStatus.FAILED);
        assertThat(WarmupStatusMapping.of(List.of(job(null, null)), List.of(Warmups.running(DB, true))))
                .isEqualTo(WarmStatus.READY);
    }

    @Test
    void a_complete_job_is_ready_and_a_failed_job_is_failed() {
        assertThat(WarmupStatusMapping.of(List.of(job("Complete", "True")), List.of()))
                .isEqualTo(WarmStatus.READY);
        assertThat(WarmupStatusMapping.of(List.of(job("Failed", "True")), List.of(Warmups.failed(DB))))
                .isEqualTo(WarmStatus.FAILED);
    }

    @Test
    void precedence_is_ready_then_loading_then_unknown_then_failed() {
        assertThat(WarmupStatusMapping.of(List.of(), List.of(Warmups.failed(DB), Warmups.pending(DB))))
                .as("a retry that is loading outranks the failed attempt")
                .isEqualTo(WarmStatus.LOADING);
        assertThat(WarmupStatusMapping.of(
                        List.of(), List.of(Warmups.failed(DB), Warmups.running(DB, true), Warmups.pending(DB))))
                .isEqualTo(WarmStatus.READY);
        assertThat(WarmupStatusMapping.of(List.of(), List.of(Warmups.failed(DB), Warmups.unknown(DB))))
                .isEqualTo(WarmStatus.UNKNOWN);
        assertThat(WarmupStatusMapping.of(List.of(), List.of())).isEqualTo(WarmStatus.ABSENT);
    }

    @Test
    void by_database_answers_every_asked_database_and_ignores_foreign_or_forged_objects() {
        DatabaseName other = DatabaseName.of("Core_NT");
        DatabaseName absent = DatabaseName.of("nr");
        Pod forged = new PodBuilder(Warmups.running(other, true))
                .editMetadata()
                .addToLabels(WarmupNames.DATABASE_KEY_LABEL, WarmupNames.key(DB))
                .endMetadata()
                .build();
        Pod unannotated = new PodBuilder(Warmups.running(DB, true))
                .editMetadata()
                .withAnnotations(Map.of())
                .endMetadata()
                .build();
        Pod invalidName = new PodBuilder(Warmups.running(DB, true))
                .editMetadata()
                .addToAnnotations(WarmupNames.DATABASE_ANNOTATION, "no spaces allowed")
                .endMetadata()
                .build();
        Map<DatabaseName, WarmStatus> out = WarmupStatusMapping.byDatabase(
                List.of(),
                List.of(
                        Warmups.waiting(DB, "CrashLoopBackOff"),
                        Warmups.pending(other),
                        forged,
                        unannotated,
                        invalidName),
                Set.of(DB, other, absent));
        assertThat(out)
                .containsExactlyInAnyOrderEntriesOf(Map.of(
                        DB, WarmStatus.FAILED,
                        other, WarmStatus.LOADING,
                        absent, WarmStatus.ABSENT));
    }
}
