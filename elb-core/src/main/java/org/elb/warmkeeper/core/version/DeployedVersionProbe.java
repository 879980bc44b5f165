package org.elb.warmkeeper.core.version;

/** Port: the version the running service reports. Never throws: failures are {@link DeployedVersion} values. */
@FunctionalInterface
public interface DeployedVersionProbe {

    DeployedVersion deployedVersion(ServiceName service);
}
