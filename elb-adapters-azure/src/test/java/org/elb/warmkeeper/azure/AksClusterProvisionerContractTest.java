package org.elb.warmkeeper.azure;

import java.time.Duration;
import org.elb.warmkeeper.core.provision.ArmError;
import org.elb.warmkeeper.core.provision.ClusterProvisioner;
import org.elb.warmkeeper.core.provision.ProvisionRequest;
import org.elb.warmkeeper.core.provision.TaskId;
import org.elb.warmkeeper.testkit.contract.ClusterProvisionerContract;
import org.junit.jupiter.api.AfterEach;

/** The AKS provisioner passes the provisioner contract against the local ARM server, which plays each scenario. */
class AksClusterProvisionerContractTest extends ClusterProvisionerContract {

    private FakeArm arm;

    @AfterEach
    void stopArm() {
        arm.close();
    }

    /** Called by the contract's {@code @BeforeEach}, which runs before this class's own. */
    @Override
    protected ClusterProvisioner createProvisioner() {
        try {
            arm = new FakeArm();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return AksClusterProvisioner.builder(arm.connection())
                .pollInterval(Duration.ofMillis(5))
                .build();
    }

    @Override
    protected String subscriptionId() {
        return FakeArm.SUB;
    }

    @Override
    protected void arrange(ProvisionRequest request, Scenario scenario) {
        FakeArm.Script s = arm.script(request.cluster().clusterName());
        switch (scenario.kind()) {
            case SUCCEED -> {}
            case FAIL -> {
                s.steps("InProgress", "Creating", "Failed", "Failed");
                s.operationErrorBody = json(scenario.error());
            }
            case HOLD -> s.hold = true;
        }
    }

    @Override
    protected void release(ClusterProvisioner provisioner, TaskId taskId, ProvisionRequest request) {
        arm.script(request.cluster().clusterName()).hold = false;
    }

    private static String json(ArmError e) {
        StringBuilder details = new StringBuilder();
        for (ArmError d : e.details()) {
            details.append(details.length() == 0 ? "" : ",").append(json(d));
        }
        return "{\"code\":\"" + e.code() + "\",\"message\":\"" + e.message() + "\",\"details\":[" + details + "]}";
    }
}
