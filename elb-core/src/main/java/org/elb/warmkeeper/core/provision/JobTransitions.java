package org.elb.warmkeeper.core.provision;

import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import org.elb.warmkeeper.core.cluster.Checks;
import org.jspecify.annotations.Nullable;

/**
 * The one rule of which {@link JobUpdate} a job row accepts: every store applies it through
 * {@link JobState#rejection}, and a store that guards its writes in SQL generates the guard from
 * {@link #guard} instead of deriving the legal predecessors again.
 *
 * <ul>
 *   <li>A status moves only forward ({@link JobStatus#canMoveTo}); a terminal row takes only its task id,
 *       and a cancelled one also how its cancel's abort or delete ended ({@link JobUpdate#onlyReportsCancelAction}).
 *   <li><b>The cancel fence.</b> A row whose payload holds {@value #FENCE_KEY} is being cancelled: the
 *       cancel recorded it with a compare-and-set before it stopped anything or sent any ARM action. A
 *       fenced row never becomes {@code succeeded} or {@code failed}; it ends {@code cancelled}. What the
 *       create reported meanwhile is kept in the payload ({@value #KEY_REPORTED_OUTCOME}), never lost.
 *   <li>A second task id never replaces the first.
 * </ul>
 */
public final class JobTransitions {

    /** Payload key of the cancel fence: the cancel's mode ({@code stop}, {@code abort_operation}, {@code delete_cluster}). */
    public static final String FENCE_KEY = "cancel_requested";

    /**
     * Payload key: the create's own end ({@code succeeded} or {@code failed}) when it was reported after the
     * cancel fence, which kept it from changing the status.
     */
    public static final String KEY_REPORTED_OUTCOME = "create_reported";

    /** Payload key: the error code of a create that reported failure after the cancel fence. */
    public static final String KEY_REPORTED_ERROR_CODE = "create_reported_error_code";

    private JobTransitions() {}

    /** Whether a row with this payload is fenced by a cancel. */
    public static boolean fenced(java.util.Map<String, String> payload) {
        return payload.containsKey(FENCE_KEY);
    }

    /**
     * The reason a row with {@code status}, {@code taskId} and fence {@code fenced} does not accept
     * {@code update}, or empty when it does.
     */
    public static Optional<String> rejection(
            JobStatus status, @Nullable TaskId taskId, boolean fenced, JobUpdate update) {
        Checks.required(status, "status");
        Checks.required(update, "update");
        if (status.isTerminal()) {
            boolean onlyStampsTaskId = onlyStampsTaskId(update) && (taskId == null || taskId.equals(update.taskId()));
            if (onlyStampsTaskId || (status == JobStatus.CANCELLED && update.onlyReportsCancelAction())) {
                return Optional.empty();
            }
            return Optional.of("job is " + status.wireName() + " (terminal)");
        }
        JobStatus next = update.status();
        if (next != null && !status.canMoveTo(next)) {
            return Optional.of("status cannot move from " + status.wireName() + " to " + next.wireName());
        }
        if (fenced && next != null && next.isTerminal() && next != JobStatus.CANCELLED) {
            return Optional.of("job is being cancelled (" + FENCE_KEY + "): it cannot become " + next.wireName());
        }
        if (update.taskId() != null && taskId != null && !taskId.equals(update.taskId())) {
            return Optional.of("taskId is already " + taskId);
        }
        return Optional.empty();
    }

    private static boolean onlyStampsTaskId(JobUpdate update) {
        return update.status() == null
                && update.clusterState() == null
                && update.error() == null
                && update.payload().isEmpty()
                && update.taskId() != null;
    }

    /**
     * The rows that accept {@code update}, as a store's write guard: the statuses an unfenced row may have,
     * the statuses a fenced row may have, and whether the row's task id must be empty or equal to the
     * update's. Generated from {@link #rejection} by trying every status and fence; a row's current task id
     * matters only through {@link Guard#checksTaskId}.
     */
    public static Guard guard(JobUpdate update) {
        Checks.required(update, "update");
        Set<JobStatus> unfenced = EnumSet.noneOf(JobStatus.class);
        Set<JobStatus> fenced = EnumSet.noneOf(JobStatus.class);
        for (JobStatus s : JobStatus.values()) {
            if (rejection(s, null, false, update).isEmpty()) {
                unfenced.add(s);
            }
            if (rejection(s, null, true, update).isEmpty()) {
                fenced.add(s);
            }
        }
        return new Guard(unfenced, fenced, update.taskId() != null);
    }

    /**
     * A write guard: a row accepts the update when its status is in {@code unfenced} (no fence) or in
     * {@code fenced} (fenced), and, when {@code checksTaskId}, its task id is empty or the update's.
     */
    public record Guard(Set<JobStatus> unfenced, Set<JobStatus> fenced, boolean checksTaskId) {
        public Guard {
            unfenced = Set.copyOf(Checks.required(unfenced, "unfenced"));
            fenced = Set.copyOf(Checks.required(fenced, "fenced"));
        }

        /** Whether the guard lets a row with this status and fence through (the task id aside). */
        public boolean admits(JobStatus status, boolean isFenced) {
            return isFenced ? fenced.contains(status) : unfenced.contains(status);
        }
    }
}
