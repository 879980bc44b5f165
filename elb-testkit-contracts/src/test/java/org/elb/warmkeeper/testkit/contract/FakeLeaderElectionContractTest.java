package org.elb.warmkeeper.testkit.contract;

import org.elb.warmkeeper.core.warm.LeaderElection;
import org.elb.warmkeeper.testkit.FakeLeaderElection;

/**
 * The fake's leadership is set by the test: the hooks play the election (this replica leads when it
 * campaigns and no rival holds leadership). It has no backend to break, so that test is skipped.
 */
class FakeLeaderElectionContractTest extends LeaderElectionContract {

    private FakeLeaderElection fake;
    private boolean campaigning;
    private boolean rivalLeads;

    @Override
    protected LeaderElection createElection() {
        fake = new FakeLeaderElection(false);
        campaigning = false;
        rivalLeads = false;
        return fake;
    }

    @Override
    protected void campaign() {
        campaigning = true;
        fake.setLeader(!rivalLeads);
    }

    @Override
    protected void rivalTakesLeadership() {
        rivalLeads = true;
        fake.setLeader(false);
    }

    @Override
    protected void rivalStepsDown() {
        rivalLeads = false;
        fake.setLeader(campaigning);
    }
}
