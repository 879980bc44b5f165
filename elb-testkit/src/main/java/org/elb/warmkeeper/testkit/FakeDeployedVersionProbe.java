package org.elb.warmkeeper.testkit;

import java.util.HashMap;
import java.util.Map;
import org.elb.warmkeeper.core.version.DeployedVersion;
import org.elb.warmkeeper.core.version.DeployedVersionProbe;
import org.elb.warmkeeper.core.version.ServiceName;

/** Deployed versions set by the test; services not set are unreachable. */
public final class FakeDeployedVersionProbe implements DeployedVersionProbe {

    private final Map<ServiceName, DeployedVersion> versions = new HashMap<>();

    public synchronized FakeDeployedVersionProbe set(ServiceName service, DeployedVersion version) {
        versions.put(service, version);
        return this;
    }

    public FakeDeployedVersionProbe reports(ServiceName service, String version) {
        return set(service, DeployedVersion.reported(version));
    }

    @Override
    public synchronized DeployedVersion deployedVersion(ServiceName service) {
        return versions.getOrDefault(service, DeployedVersion.unreachable("no such service (fake)"));
    }
}
