package org.elb.warmkeeper.core.warm;

import org.elb.warmkeeper.core.cluster.Checks;

/** Whether a cluster can take warmups now; when it cannot, why. */
public record Readiness(boolean isReady, String reason) {

    private static final Readiness READY = new Readiness(true, "ready");

    public Readiness {
        Checks.required(reason, "reason");
    }

    public static Readiness ready() {
        return READY;
    }

    public static Readiness notReady(String reason) {
        return new Readiness(false, reason);
    }
}
