package org.elb.warmkeeper.core.version;

/** Port: the container registry that holds the services' images. */
@FunctionalInterface
public interface ImageRegistry {

    /**
     * Whether {@code repository:tag} exists.
     *
     * @throws RegistryException when the registry cannot answer
     */
    boolean tagExists(ServiceName repository, ImageTag tag);
}
