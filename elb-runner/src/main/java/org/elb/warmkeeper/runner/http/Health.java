package org.elb.warmkeeper.runner.http;

import org.elb.warmkeeper.core.Secrets;
import org.elb.warmkeeper.core.cluster.Checks;

/**
 * One component's state in {@code /healthz} or {@code /readyz}. {@code DEGRADED} keeps the endpoint at 200
 * (e.g. the lock store is down and auto-warm fails open, as designed); one {@code DOWN} makes it 503.
 *
 * @param detail what an operator reads, {@linkplain Secrets#mask masked}
 */
public record Health(Health.Status status, String detail) {

    /** The states, written in lower case on the wire. */
    public enum Status {
        UP,
        DEGRADED,
        DOWN
    }

    public Health {
        Checks.required(status, "status");
        detail = Secrets.masked(Checks.required(detail, "detail"));
    }

    public static Health up(String detail) {
        return new Health(Status.UP, detail);
    }

    public static Health degraded(String detail) {
        return new Health(Status.DEGRADED, detail);
    }

    public static Health down(String detail) {
        return new Health(Status.DOWN, detail);
    }

    /** A component's check; a check that throws or does not answer within the API's bound is DOWN. */
    @FunctionalInterface
    public interface Check {
        Health check();
    }
}
