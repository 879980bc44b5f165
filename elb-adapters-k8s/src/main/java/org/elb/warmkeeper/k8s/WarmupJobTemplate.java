package org.elb.warmkeeper.k8s;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import org.elb.warmkeeper.core.cluster.Checks;

/**
 * The built-in warmup Job template of the runner and the Spring Boot starter, for
 * {@link Fabric8WarmupDispatcher}: one container running {@code image}, {@code restartPolicy: Never},
 * {@code backoffLimit} {@value #BACKOFF_LIMIT}, {@code activeDeadlineSeconds} {@value #ACTIVE_DEADLINE_SECONDS}
 * (6 h).
 *
 * <p>It deliberately has <b>no {@code ttlSecondsAfterFinished}</b>: the warm status is read from the
 * warmup's Pods (and Jobs), so a TTL made Kubernetes delete a finished warmup and its Pods, the database
 * read ABSENT and was warmed again every day. Nothing accumulates without it: Job names are one per
 * database ({@link WarmupNames#jobName}) and the dispatcher replaces a finished Job when it enqueues again.
 */
public final class WarmupJobTemplate {

    public static final int BACKOFF_LIMIT = 2;
    public static final long ACTIVE_DEADLINE_SECONDS = 6L * 3600;

    private WarmupJobTemplate() {}

    /** The default template for {@code image}. */
    public static Job defaults(String image) {
        Checks.required(image, "image");
        if (image.isBlank()) {
            throw new IllegalArgumentException("'image' must not be blank");
        }
        return new JobBuilder()
                .withNewMetadata()
                .withName("elb-warmup")
                .endMetadata()
                .withNewSpec()
                .withBackoffLimit(BACKOFF_LIMIT)
                .withActiveDeadlineSeconds(ACTIVE_DEADLINE_SECONDS)
                .withNewTemplate()
                .withNewSpec()
                .withRestartPolicy("Never")
                .addNewContainer()
                .withName("warmup")
                .withImage(image)
                .endContainer()
                .endSpec()
                .endTemplate()
                .endSpec()
                .build();
    }
}
