package org.elb.warmkeeper.core.version;

import java.util.Optional;
import org.elb.warmkeeper.core.cluster.Checks;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers "can this service's image be updated?" with a {@link GateDecision}. Order: pinned tag (none
 * pinned: IMAGE_MISSING), running version (unreachable or unknown), comparison (equal: UP_TO_DATE,
 * without asking the registry), then the registry (missing or registry down: IMAGE_MISSING, so the
 * button is never offered for an image that may not exist).
 */
public final class VersionGateService {

    private static final Logger log = LoggerFactory.getLogger(VersionGateService.class);

    private final ImageTagSource tags;
    private final DeployedVersionProbe deployed;
    private final ImageRegistry registry;

    private VersionGateService(Builder b) {
        this.tags = b.tags;
        this.deployed = b.deployed;
        this.registry = b.registry;
    }

    public static Builder builder(ImageTagSource tags, DeployedVersionProbe deployed, ImageRegistry registry) {
        return new Builder(tags, deployed, registry);
    }

    public GateDecision check(ServiceName service) {
        Optional<ImageTag> pinned = tags.pinnedTag(service);
        if (pinned.isEmpty()) {
            return new GateDecision.ImageMissing("no image tag is pinned for " + service);
        }
        DeployedVersion running;
        try {
            running = deployed.deployedVersion(service);
        } catch (RuntimeException e) {
            log.warn("deployed-version probe of {} threw: {}", service, e.toString());
            running = DeployedVersion.unreachable(e.toString());
        }
        GateDecision decision = VersionGate.decide(running, pinned.get());
        if (!decision.offerUpdate()) {
            return decision;
        }
        try {
            if (!registry.tagExists(service, pinned.get())) {
                return new GateDecision.ImageMissing(service + ":" + pinned.get() + " is not in the registry");
            }
        } catch (RuntimeException e) {
            log.warn("registry lookup of {}:{} failed: {}", service, pinned.get(), e.toString());
            return new GateDecision.ImageMissing("registry unavailable: " + e.getMessage());
        }
        return decision;
    }

    /** Builder of {@link VersionGateService}. */
    public static final class Builder {
        private final ImageTagSource tags;
        private final DeployedVersionProbe deployed;
        private final ImageRegistry registry;

        private Builder(ImageTagSource tags, DeployedVersionProbe deployed, ImageRegistry registry) {
            this.tags = Checks.required(tags, "tags");
            this.deployed = Checks.required(deployed, "deployed");
            this.registry = Checks.required(registry, "registry");
        }

        public VersionGateService build() {
            return new VersionGateService(this);
        }
    }
}
