package org.elb.warmkeeper.core.version;

import java.util.Map;
import java.util.Optional;

/** Port: the image tag the dashboard pins for a service (e.g. {@code elb-openapi -> v4.9}). */
@FunctionalInterface
public interface ImageTagSource {

    Optional<ImageTag> pinnedTag(ServiceName service);

    /** A fixed map, as the seed's {@code IMAGE_TAGS}. */
    static ImageTagSource of(Map<ServiceName, ImageTag> tags) {
        Map<ServiceName, ImageTag> copy = Map.copyOf(tags);
        return service -> Optional.ofNullable(copy.get(service));
    }
}
