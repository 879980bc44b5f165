package org.elb.warmkeeper.testkit;

import java.util.concurrent.atomic.AtomicBoolean;
import org.elb.warmkeeper.core.warm.LeaderElection;

/** Leadership set by the test. */
public final class FakeLeaderElection implements LeaderElection {

    private final AtomicBoolean leader;

    public FakeLeaderElection(boolean leader) {
        this.leader = new AtomicBoolean(leader);
    }

    public void setLeader(boolean leader) {
        this.leader.set(leader);
    }

    @Override
    public boolean isLeader() {
        return leader.get();
    }
}
