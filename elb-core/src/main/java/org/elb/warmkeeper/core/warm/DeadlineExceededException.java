package org.elb.warmkeeper.core.warm;

import java.time.Duration;
import org.elb.warmkeeper.core.ElbException;

/**
 * A cluster's work, or a whole tick, ran past its deadline and was abandoned: its late results are
 * discarded. Carries the stage that was running ({@code readiness}, {@code inventory},
 * {@code warm_status}, {@code lock}, {@code enqueue}, {@code queued} or {@code preferences}) and the
 * deadline.
 */
public class DeadlineExceededException extends ElbException {

    private final String stage;
    private final Duration deadline;

    public DeadlineExceededException(String stage, String what, Duration deadline) {
        super(stage + ": " + what + " exceeded after " + deadline.toMillis() + " ms");
        this.stage = stage;
        this.deadline = deadline;
    }

    /** The stage that was running when the deadline passed. */
    public String stage() {
        return stage;
    }

    public Duration deadline() {
        return deadline;
    }
}
