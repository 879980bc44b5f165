package org.elb.warmkeeper.core.warm;

/** Port: is this replica the leader now? Used by {@link AutoWarmScheduler} for leader-only ticks. */
@FunctionalInterface
public interface LeaderElection {

    boolean isLeader();

    /** A single replica: always the leader. */
    LeaderElection ALWAYS = () -> true;
}
