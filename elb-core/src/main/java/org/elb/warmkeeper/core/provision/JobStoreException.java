package org.elb.warmkeeper.core.provision;

import org.elb.warmkeeper.core.BackendUnavailableException;

/** The job-state store failed; the message names the operation, never a credential. */
public class JobStoreException extends BackendUnavailableException {

    public JobStoreException(String backend, String operation, String message, Throwable cause) {
        super(backend, operation, message, cause);
    }

    public JobStoreException(String backend, String operation, String message) {
        super(backend, operation, message);
    }
}
