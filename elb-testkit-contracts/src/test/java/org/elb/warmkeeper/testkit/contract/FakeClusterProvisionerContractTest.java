package org.elb.warmkeeper.testkit.contract;

import org.elb.warmkeeper.core.provision.ClusterProvisioner;
import org.elb.warmkeeper.core.provision.ProvisionRequest;
import org.elb.warmkeeper.core.provision.TaskId;
import org.elb.warmkeeper.testkit.FakeClusterProvisioner;

/** The fake provisioner passes the contract; the test plays each scenario after begin. */
class FakeClusterProvisionerContractTest extends ClusterProvisionerContract {

    @Override
    protected ClusterProvisioner createProvisioner() {
        return new FakeClusterProvisioner();
    }

    @Override
    protected void drive(ClusterProvisioner provisioner, TaskId taskId, Scenario scenario) {
        FakeClusterProvisioner fake = (FakeClusterProvisioner) provisioner;
        fake.start(taskId);
        fake.publishState(taskId, "Creating");
        switch (scenario.kind()) {
            case SUCCEED -> {
                fake.publishState(taskId, "Succeeded");
                fake.succeed(taskId);
            }
            case FAIL -> {
                fake.publishState(taskId, "Failed");
                fake.fail(taskId, scenario.error());
            }
            case HOLD -> {}
        }
    }

    @Override
    protected void release(ClusterProvisioner provisioner, TaskId taskId, ProvisionRequest request) {
        FakeClusterProvisioner fake = (FakeClusterProvisioner) provisioner;
        fake.publishState(taskId, "Succeeded");
        fake.succeed(taskId);
    }
}
