package org.elb.warmkeeper.core.provision;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/** The writes of a fenced cancel ({@link ProvisioningService#cancel}): the fence, then the cancelled row. */
final class CancelFence {

    /** How the cancel's abort or delete went. */
    enum Action {
        /** None was asked for, or it was not sent. */
        NONE,
        /** ARM took it. */
        ACCEPTED,
        /** ARM refused it, or it could not be sent. */
        FAILED
    }

    private CancelFence() {}

    static String wire(CancelMode mode) {
        return mode.name().toLowerCase(Locale.ROOT);
    }

    /**
     * The fence: {@link JobTransitions#FENCE_KEY} on a live row, keeping the strongest mode asked for
     * (a second cancel never weakens the first); nothing on a terminal row.
     */
    static Function<JobState, Optional<JobUpdate>> request(CancelMode mode) {
        return current -> {
            if (current.status().isTerminal()) {
                return Optional.empty();
            }
            CancelMode strongest = mode;
            String before = current.payload().get(JobTransitions.FENCE_KEY);
            for (CancelMode m : CancelMode.values()) {
                if (wire(m).equals(before) && m.compareTo(strongest) > 0) {
                    strongest = m;
                }
            }
            return Optional.of(JobUpdate.payload(Map.of(JobTransitions.FENCE_KEY, wire(strongest))));
        };
    }

    /** The cancelled row: status, error, and the abort or delete asked for with how it went. */
    static JobUpdate cancelled(CancelMode mode, Action action, @Nullable String actionError) {
        JobUpdate update = JobUpdate.status(JobStatus.CANCELLED)
                .withError(new ErrorClassification(ErrorCategory.CANCELLED, "Canceled", "cancelled by its owner"));
        if (mode == CancelMode.STOP) {
            return update;
        }
        update = update.withPayload(ProvisioningService.KEY_CANCEL_ACTION, wire(mode));
        if (action == Action.ACCEPTED) {
            update = update.withPayload(ProvisioningService.KEY_CANCEL_ACTION_STATE, "accepted");
        }
        if (actionError != null) {
            update = update.withPayload(ProvisioningService.KEY_CANCEL_ACTION_ERROR, actionError);
        }
        return update;
    }

    /**
     * The create's own end ({@code succeeded}, {@code failed}, {@code cancelled} by ARM) as a row update: the
     * status when the row is not fenced; on a fenced row only a record in the payload, since the cancel
     * that fenced it ends it.
     */
    static Optional<JobUpdate> reported(JobState row, JobStatus status, @Nullable ErrorClassification error) {
        if (!row.fenced()) {
            JobUpdate u = JobUpdate.status(status);
            return Optional.of(error == null ? u : u.withError(error));
        }
        if (row.status().isTerminal()) {
            return Optional.empty();
        }
        JobUpdate u = JobUpdate.payload(Map.of(JobTransitions.KEY_REPORTED_OUTCOME, status.wireName()));
        return Optional.of(error == null ? u : u.withPayload(JobTransitions.KEY_REPORTED_ERROR_CODE, error.code()));
    }
}
