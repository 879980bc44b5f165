package org.elb.warmkeeper.core.version;

import java.util.Optional;

/** The pure comparison of the version gate: pinned tag against deployed version. */
public final class VersionGate {

    private VersionGate() {}

    /** Whether two version strings name the same version after normalisation. */
    public static boolean sameVersion(String a, String b) {
        Optional<Version> va = Version.parse(a);
        Optional<Version> vb = Version.parse(b);
        if (va.isPresent() && vb.isPresent()) {
            return va.get().equals(vb.get());
        }
        return Version.normalise(a).equals(Version.normalise(b));
    }

    /** The direction from {@code deployed} to {@code pinned}; UNORDERED when either is not numeric. */
    public static Direction direction(String deployed, String pinned) {
        Optional<Version> from = Version.parse(deployed);
        Optional<Version> to = Version.parse(pinned);
        if (from.isEmpty() || to.isEmpty()) {
            return Direction.UNORDERED;
        }
        int c = to.get().compareTo(from.get());
        return c > 0 ? Direction.UPGRADE : c < 0 ? Direction.DOWNGRADE : Direction.UNORDERED;
    }

    /**
     * Decides from what the running service reported and the pinned tag, assuming the pinned image
     * exists; {@link VersionGateService} checks the registry only when an update would be offered.
     */
    public static GateDecision decide(DeployedVersion deployed, ImageTag pinned) {
        if (deployed instanceof DeployedVersion.Unreachable u) {
            return new GateDecision.ServiceUnreachable(u.reason());
        }
        if (deployed instanceof DeployedVersion.Unknown u) {
            return new GateDecision.DeployedVersionUnknown(u.reason());
        }
        String running = ((DeployedVersion.Reported) deployed).version().strip();
        if (sameVersion(running, pinned.value())) {
            return new GateDecision.UpToDate(running);
        }
        return new GateDecision.UpdateAvailable(running, pinned.value(), direction(running, pinned.value()));
    }
}
