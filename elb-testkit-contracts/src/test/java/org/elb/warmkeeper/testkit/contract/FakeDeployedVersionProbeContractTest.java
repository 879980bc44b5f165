package org.elb.warmkeeper.testkit.contract;

import org.elb.warmkeeper.core.version.DeployedVersion;
import org.elb.warmkeeper.core.version.DeployedVersionProbe;
import org.elb.warmkeeper.core.version.ServiceName;
import org.elb.warmkeeper.testkit.FakeDeployedVersionProbe;

/** The fake answers at once, so the stall test is skipped for it. */
class FakeDeployedVersionProbeContractTest extends DeployedVersionProbeContract {

    private FakeDeployedVersionProbe fake;

    @Override
    protected DeployedVersionProbe createProbe() {
        fake = new FakeDeployedVersionProbe();
        return fake;
    }

    @Override
    protected void report(ServiceName service, String version) {
        fake.reports(service, version);
    }

    @Override
    protected void makeUnreachable(ServiceName service) {
        fake.set(service, DeployedVersion.unreachable("connection refused (fake)"));
    }

    @Override
    protected boolean makeVersionless(ServiceName service) {
        fake.set(service, DeployedVersion.unknown("spec has no info.version (fake)"));
        return true;
    }
}
