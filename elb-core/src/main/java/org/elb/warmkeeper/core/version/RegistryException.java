package org.elb.warmkeeper.core.version;

import org.elb.warmkeeper.core.ElbException;

/** The image registry could not answer. */
public class RegistryException extends ElbException {

    public RegistryException(String message, Throwable cause) {
        super(message, cause);
    }

    public RegistryException(String message) {
        super(message);
    }
}
