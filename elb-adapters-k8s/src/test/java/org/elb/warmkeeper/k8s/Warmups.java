package org.elb.warmkeeper.k8s;

import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.elb.warmkeeper.core.cluster.DatabaseName;
import org.elb.warmkeeper.core.warm.WarmStatus;

/**
 * Test fixtures: warmup Pods and Jobs as the Job controller and kubelet would leave them. The mock
 * server runs no controllers, so tests write these themselves.
 */
final class Warmups {

    static final String NS = "default";
    private static final AtomicInteger SEQ = new AtomicInteger();

    private Warmups() {}

    static Map<String, String> labels(DatabaseName db) {
        return Map.of(
                WarmupNames.COMPONENT_LABEL,
                WarmupNames.DEFAULT_COMPONENT,
                WarmupNames.DATABASE_KEY_LABEL,
                WarmupNames.key(db));
    }

    static PodBuilder pod(DatabaseName db) {
        return new PodBuilder()
                .withNewMetadata()
                .withName(WarmupNames.jobName(WarmupNames.DEFAULT_JOB_PREFIX, db) + "-" + SEQ.incrementAndGet())
                .withNamespace(NS)
                .addToLabels(labels(db))
                .addToAnnotations(WarmupNames.DATABASE_ANNOTATION, db.value())
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("warmup")
                .withImage("elb/warmup:1")
                .endContainer()
                .endSpec();
    }

    static Pod running(DatabaseName db, boolean ready) {
        return pod(db).withNewStatus()
                .withPhase("Running")
                .addNewCondition()
                .withType("Ready")
                .withStatus(ready ? "True" : "False")
                .endCondition()
                .endStatus()
                .build();
    }

    static Pod pending(DatabaseName db) {
        return pod(db).withNewStatus().withPhase("Pending").endStatus().build();
    }

    static Pod failed(DatabaseName db) {
        return pod(db).withNewStatus().withPhase("Failed").endStatus().build();
    }

    static Pod waiting(DatabaseName db, String reason) {
        return pod(db).withNewStatus()
                .withPhase("Running")
                .addToContainerStatuses(new ContainerStatusBuilder()
                        .withName("warmup")
                        .withNewState()
                        .withNewWaiting()
                        .withReason(reason)
                        .endWaiting()
                        .endState()
                        .build())
                .endStatus()
                .build();
    }

    static Pod unknown(DatabaseName db) {
        return pod(db).withNewStatus().withPhase("Unknown").endStatus().build();
    }

    /** A pod in the given state (READY, LOADING, FAILED, UNKNOWN). */
    static Pod inState(DatabaseName db, WarmStatus status) {
        return switch (status) {
            case READY -> running(db, true);
            case LOADING -> pending(db);
            case FAILED -> waiting(db, "CrashLoopBackOff");
            case UNKNOWN -> unknown(db);
            case ABSENT -> throw new IllegalArgumentException("ABSENT has no pod");
        };
    }

    /** Replaces every warmup pod of {@code db} by one in {@code status} (none for ABSENT). */
    static void put(KubernetesClient admin, DatabaseName db, WarmStatus status) {
        admin.pods()
                .inNamespace(NS)
                .withLabel(WarmupNames.DATABASE_KEY_LABEL, WarmupNames.key(db))
                .delete();
        if (status != WarmStatus.ABSENT) {
            admin.pods().inNamespace(NS).resource(inState(db, status)).create();
        }
    }

    /** The (only) Job template used in tests. */
    static Job template() {
        return new JobBuilder()
                .withNewMetadata()
                .withName("ignored")
                .addToLabels("team", "blast")
                .endMetadata()
                .withNewSpec()
                .withBackoffLimit(2)
                .withNewTemplate()
                .withNewMetadata()
                .addToLabels("team", "blast")
                .endMetadata()
                .withNewSpec()
                .withRestartPolicy("Never")
                .addNewContainer()
                .withName("warmup")
                .withImage("elb/warmup:1")
                .addNewEnv()
                .withName("KEEP")
                .withValue("me")
                .endEnv()
                .endContainer()
                .endSpec()
                .endTemplate()
                .endSpec()
                .build();
    }

    /** Sets a Job condition (Complete or Failed) the way the Job controller would. */
    static void finishJob(KubernetesClient admin, String name, String conditionType) {
        Job job = admin.batch().v1().jobs().inNamespace(NS).withName(name).get();
        Job done = new JobBuilder(job)
                .editOrNewStatus()
                .addNewCondition()
                .withType(conditionType)
                .withStatus("True")
                .endCondition()
                .endStatus()
                .build();
        admin.batch().v1().jobs().inNamespace(NS).resource(done).updateStatus();
    }
}
