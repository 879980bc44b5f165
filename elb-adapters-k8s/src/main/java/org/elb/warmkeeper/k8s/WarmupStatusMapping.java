package org.elb.warmkeeper.k8s;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.elb.warmkeeper.core.cluster.DatabaseName;
import org.elb.warmkeeper.core.warm.WarmStatus;
import org.jspecify.annotations.Nullable;

/**
 * How warmup Pods and Jobs read as a {@link WarmStatus}. Pure functions, no IO.
 *
 * <p><b>A Pod</b> ({@link #ofPod}):
 * <ul>
 *   <li>being deleted ({@code deletionTimestamp} set): ignored;
 *   <li>phase {@code Failed}, or a container or init container waiting with reason
 *       {@code CrashLoopBackOff}, {@code ImagePullBackOff}, {@code ErrImagePull}, {@code ErrImageNeverPull},
 *       {@code InvalidImageName}, {@code CreateContainerConfigError} or {@code CreateContainerError}: FAILED;
 *   <li>phase {@code Succeeded}, or {@code Running} with condition {@code Ready=True}: READY;
 *   <li>phase {@code Pending} (scheduling, pulling, init containers) or {@code Running} but not Ready: LOADING;
 *   <li>phase {@code Unknown}, missing or anything else: UNKNOWN.
 * </ul>
 * <p><b>A Job</b> ({@link #ofJob}): condition {@code Complete} (or {@code SuccessCriteriaMet}) True:
 * READY; condition {@code Failed} (or {@code FailureTarget}) True: FAILED; otherwise it is still active
 * and says nothing by itself (empty), except that an active Job without any pod is LOADING (its pods
 * are about to be created).
 * <p><b>One database</b> ({@link #of}): the verdicts of all its objects combined by precedence
 * READY &gt; LOADING &gt; UNKNOWN &gt; FAILED (a retry that is loading outranks the failed attempt
 * before it; an object we cannot judge keeps us from calling the warmup failed). No object: ABSENT.
 */
public final class WarmupStatusMapping {

    /** Waiting reasons that mean the container will not start without a change. */
    public static final Set<String> FAILED_WAITING_REASONS = Set.of(
            "CrashLoopBackOff",
            "ImagePullBackOff",
            "ErrImagePull",
            "ErrImageNeverPull",
            "InvalidImageName",
            "CreateContainerConfigError",
            "CreateContainerError");

    private static final List<WarmStatus> PRECEDENCE =
            List.of(WarmStatus.READY, WarmStatus.LOADING, WarmStatus.UNKNOWN, WarmStatus.FAILED);

    private WarmupStatusMapping() {}

    /** The verdict of one Pod; empty when the pod is being deleted. */
    public static Optional<WarmStatus> ofPod(Pod pod) {
        if (pod.getMetadata() != null && pod.getMetadata().getDeletionTimestamp() != null) {
            return Optional.empty();
        }
        PodStatus status = pod.getStatus();
        String phase = status == null ? null : status.getPhase();
        if ("Failed".equals(phase) || (status != null && hasFailedWaitingReason(status))) {
            return Optional.of(WarmStatus.FAILED);
        }
        if ("Succeeded".equals(phase)) {
            return Optional.of(WarmStatus.READY);
        }
        if ("Running".equals(phase)) {
            return Optional.of(isReady(status) ? WarmStatus.READY : WarmStatus.LOADING);
        }
        if ("Pending".equals(phase)) {
            return Optional.of(WarmStatus.LOADING);
        }
        return Optional.of(WarmStatus.UNKNOWN);
    }

    /** The verdict of a finished Job (READY or FAILED); empty while it is active or being deleted. */
    public static Optional<WarmStatus> ofJob(Job job) {
        if (job.getMetadata() != null && job.getMetadata().getDeletionTimestamp() != null) {
            return Optional.empty();
        }
        if (job.getStatus() == null || job.getStatus().getConditions() == null) {
            return Optional.empty();
        }
        for (JobCondition c : job.getStatus().getConditions()) {
            if (!"True".equals(c.getStatus())) {
                continue;
            }
            if ("Failed".equals(c.getType()) || "FailureTarget".equals(c.getType())) {
                return Optional.of(WarmStatus.FAILED);
            }
            if ("Complete".equals(c.getType()) || "SuccessCriteriaMet".equals(c.getType())) {
                return Optional.of(WarmStatus.READY);
            }
        }
        return Optional.empty();
    }

    /** Whether a Job is still active (not finished and not being deleted). */
    public static boolean isActive(Job job) {
        return ofJob(job).isEmpty()
                && (job.getMetadata() == null || job.getMetadata().getDeletionTimestamp() == null);
    }

    /** The status of one database from all of its warmup Jobs and Pods. */
    public static WarmStatus of(Collection<Job> jobs, Collection<Pod> pods) {
        List<WarmStatus> verdicts = new ArrayList<>();
        boolean activeJob = false;
        for (Job job : jobs) {
            Optional<WarmStatus> v = ofJob(job);
            v.ifPresent(verdicts::add);
            activeJob |= isActive(job);
        }
        boolean livePod = false;
        for (Pod pod : pods) {
            Optional<WarmStatus> v = ofPod(pod);
            v.ifPresent(verdicts::add);
            livePod |= v.isPresent();
        }
        if (activeJob && !livePod) {
            verdicts.add(WarmStatus.LOADING);
        }
        return combine(verdicts);
    }

    /** Combines verdicts by precedence READY &gt; LOADING &gt; UNKNOWN &gt; FAILED; none is ABSENT. */
    public static WarmStatus combine(Collection<WarmStatus> verdicts) {
        for (WarmStatus s : PRECEDENCE) {
            if (verdicts.contains(s)) {
                return s;
            }
        }
        return WarmStatus.ABSENT;
    }

    /**
     * Statuses of {@code asked} from warmup objects of one cluster. An object counts for the database
     * named by its {@value WarmupNames#DATABASE_ANNOTATION} annotation only when its
     * {@value WarmupNames#DATABASE_KEY_LABEL} label is that name's key; other objects are ignored.
     * Every asked database is a key of the result.
     */
    public static Map<DatabaseName, WarmStatus> byDatabase(
            Collection<Job> jobs, Collection<Pod> pods, Set<DatabaseName> asked) {
        Map<DatabaseName, List<Job>> jobsByDb = group(jobs, asked);
        Map<DatabaseName, List<Pod>> podsByDb = group(pods, asked);
        Map<DatabaseName, WarmStatus> out = new LinkedHashMap<>();
        for (DatabaseName db : asked) {
            out.put(db, of(jobsByDb.getOrDefault(db, List.of()), podsByDb.getOrDefault(db, List.of())));
        }
        return out;
    }

    /** The database an object belongs to, when its annotation and key label agree. */
    public static Optional<DatabaseName> databaseOf(HasMetadata object) {
        if (object.getMetadata() == null) {
            return Optional.empty();
        }
        Map<String, String> annotations = object.getMetadata().getAnnotations();
        Map<String, String> labels = object.getMetadata().getLabels();
        String name = annotations == null ? null : annotations.get(WarmupNames.DATABASE_ANNOTATION);
        String key = labels == null ? null : labels.get(WarmupNames.DATABASE_KEY_LABEL);
        if (name == null || key == null) {
            return Optional.empty();
        }
        DatabaseName db;
        try {
            db = DatabaseName.of(name);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        return WarmupNames.key(db).equals(key) ? Optional.of(db) : Optional.empty();
    }

    private static <T extends HasMetadata> Map<DatabaseName, List<T>> group(
            Collection<T> objects, Set<DatabaseName> asked) {
        Map<DatabaseName, List<T>> out = new HashMap<>();
        for (T object : objects) {
            databaseOf(object)
                    .filter(asked::contains)
                    .ifPresent(db ->
                            out.computeIfAbsent(db, d -> new ArrayList<>()).add(object));
        }
        return out;
    }

    private static boolean hasFailedWaitingReason(PodStatus status) {
        return Stream.concat(stream(status.getInitContainerStatuses()), stream(status.getContainerStatuses()))
                .anyMatch(cs -> cs.getState() != null
                        && cs.getState().getWaiting() != null
                        && cs.getState().getWaiting().getReason() != null
                        && FAILED_WAITING_REASONS.contains(
                                cs.getState().getWaiting().getReason()));
    }

    private static boolean isReady(@Nullable PodStatus status) {
        if (status == null || status.getConditions() == null) {
            return false;
        }
        for (PodCondition c : status.getConditions()) {
            if ("Ready".equals(c.getType())) {
                return "True".equals(c.getStatus());
            }
        }
        return false;
    }

    private static Stream<ContainerStatus> stream(@Nullable List<ContainerStatus> list) {
        return list == null ? Stream.empty() : list.stream();
    }
}
