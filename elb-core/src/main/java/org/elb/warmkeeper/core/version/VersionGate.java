package org.elb.warmkeeper.core.version;

import java.util.Optional;

/** The pure comparison of the version gate: pinned tag against deployed version. */
public final class VersionGate {

    private VersionGate() {}

    /** {@link Version#parse}, with a string too long to be a version as not a version. */
    private static Optional<Version> parsed(String s) {
        return s.length() > Version.MAX_LENGTH ? Optional.empty() : Version.parse(s);
    }

    /** Whether two version strings name the same version after normalisation. */
    public static boolean sameVersion(String a, String b) {
        Optional<Version> va = parsed(a);
        Optional<Version> vb = parsed(b);
        if (va.isPresent() && vb.isPresent()) {
            return va.get().equals(vb.get());
        }
        return Version.normalise(a).equals(Version.normalise(b));
    }

    /** The direction from {@code deployed} to {@code pinned}; UNORDERED when either is not numeric. */
    public static Direction direction(String deployed, String pinned) {
        Optional<Version> from = parsed(deployed);
        Optional<Version> to = parsed(pinned);
        if (from.isEmpty() || to.isEmpty()) {
            return Direction.UNORDERED;
        }
        int c = to.get().compareTo(from.get());
        return c > 0 ? Direction.UPGRADE : c < 0 ? Direction.DOWNGRADE : Direction.UNORDERED;
    }

    /**
     * Decides from what the running service reported and the pinned tag, assuming the pinned image
     * exists; {@link VersionGateService} checks the registry only when an update would be offered. A
     * reported version longer than {@link Version#MAX_LENGTH} is DEPLOYED_VERSION_UNKNOWN.
     */
    public static GateDecision decide(DeployedVersion deployed, ImageTag pinned) {
        if (deployed instanceof DeployedVersion.Unreachable u) {
            return new GateDecision.ServiceUnreachable(u.reason());
        }
        if (deployed instanceof DeployedVersion.Unknown u) {
            return new GateDecision.DeployedVersionUnknown(u.reason());
        }
        String running = ((DeployedVersion.Reported) deployed).version().strip();
        if (running.length() > Version.MAX_LENGTH) {
            return new GateDecision.DeployedVersionUnknown(
                    "info.version is longer than " + Version.MAX_LENGTH + " characters (" + running.length() + ")");
        }
        if (sameVersion(running, pinned.value())) {
            return new GateDecision.UpToDate(running);
        }
        return new GateDecision.UpdateAvailable(running, pinned.value(), direction(running, pinned.value()));
    }
}
