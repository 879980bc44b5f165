package org.elb.warmkeeper.core;

/**
 * A backend (Redis, a database, a Kubernetes API server, ARM) could not be reached or did not answer
 * in time. Carries the backend's name and the operation that failed; never a credential.
 */
public class BackendUnavailableException extends ElbException {

    private final String backend;
    private final String operation;

    public BackendUnavailableException(String backend, String operation, String message, Throwable cause) {
        super(backend + " " + operation + " failed: " + message, cause);
        this.backend = backend;
        this.operation = operation;
    }

    public BackendUnavailableException(String backend, String operation, String message) {
        super(backend + " " + operation + " failed: " + message);
        this.backend = backend;
        this.operation = operation;
    }

    /** Name of the backend, e.g. {@code "redis"} or {@code "postgresql"}. */
    public String backend() {
        return backend;
    }

    /** The operation that failed, e.g. {@code "recentFailed"}. */
    public String operation() {
        return operation;
    }
}
