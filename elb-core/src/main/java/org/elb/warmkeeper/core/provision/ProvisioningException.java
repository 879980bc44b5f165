package org.elb.warmkeeper.core.provision;

import org.elb.warmkeeper.core.ElbException;
import org.jspecify.annotations.Nullable;

/** A provisioning call failed; carries the classified error when there is one. */
public class ProvisioningException extends ElbException {

    private final @Nullable ErrorClassification classification;

    public ProvisioningException(
            String message, @Nullable ErrorClassification classification, @Nullable Throwable cause) {
        super(message, cause);
        this.classification = classification;
    }

    public ProvisioningException(String message) {
        this(message, null, null);
    }

    public java.util.Optional<ErrorClassification> classification() {
        return java.util.Optional.ofNullable(classification);
    }
}
