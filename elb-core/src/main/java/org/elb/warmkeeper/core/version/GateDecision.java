package org.elb.warmkeeper.core.version;

import org.elb.warmkeeper.core.cluster.Checks;

/** What the dashboard shows for a service's "Update" panel. */
public sealed interface GateDecision {

    /** The wire word: {@code up_to_date}, {@code update_available}, ... */
    String wireName();

    /** Whether the "Update" button is shown. */
    default boolean offerUpdate() {
        return false;
    }

    /** Pinned equals deployed after normalisation: hide the panel. */
    record UpToDate(String version) implements GateDecision {
        public String wireName() {
            return "up_to_date";
        }
    }

    /** Pinned differs from deployed and the pinned image exists: show "Update to {@code to}". */
    record UpdateAvailable(String from, String to, Direction direction) implements GateDecision {
        public UpdateAvailable {
            Checks.required(from, "from");
            Checks.required(to, "to");
            Checks.required(direction, "direction");
        }

        public String wireName() {
            return "update_available";
        }

        @Override
        public boolean offerUpdate() {
            return true;
        }
    }

    /** The running service could not be reached: hide the panel. */
    record ServiceUnreachable(String reason) implements GateDecision {
        public String wireName() {
            return "service_unreachable";
        }
    }

    /** The service answered without a usable version: show a neutral state. */
    record DeployedVersionUnknown(String reason) implements GateDecision {
        public String wireName() {
            return "deployed_version_unknown";
        }
    }

    /** The pinned tag is not in the registry (or nothing is pinned): hide the button. */
    record ImageMissing(String reason) implements GateDecision {
        public String wireName() {
            return "image_missing";
        }
    }
}
