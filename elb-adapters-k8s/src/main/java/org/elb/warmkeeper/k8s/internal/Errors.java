package org.elb.warmkeeper.k8s.internal;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.WatcherException;
import org.elb.warmkeeper.core.BackendUnavailableException;
import org.elb.warmkeeper.core.ElbException;
import org.elb.warmkeeper.core.cluster.ClusterRef;
import org.jspecify.annotations.Nullable;

/** Translates Fabric8 failures into core exceptions, with the vendor exception as the cause. */
public final class Errors {

    private Errors() {}

    /** The backend name used in exceptions: {@code kubernetes:<sub>/<rg>/<cluster>}. */
    public static String backend(ClusterRef cluster) {
        return "kubernetes:" + cluster.display();
    }

    /** Wraps any failure of a call to a cluster's API; an ElbException passes through. */
    public static ElbException unavailable(ClusterRef cluster, String operation, RuntimeException e) {
        if (e instanceof ElbException elb) {
            return elb;
        }
        return new BackendUnavailableException(backend(cluster), operation, describe(e), e);
    }

    /** A short description: the HTTP code when there is one, and the message's first line. */
    public static String describe(Throwable e) {
        StringBuilder sb = new StringBuilder();
        if (e instanceof KubernetesClientException kce && kce.getCode() > 0) {
            sb.append("HTTP ").append(kce.getCode()).append(": ");
        }
        String message = e.getMessage();
        if (message == null && e.getCause() != null) {
            message = e.getCause().toString();
        }
        if (message == null) {
            message = e.getClass().getSimpleName();
        }
        int nl = message.indexOf('\n');
        sb.append(nl >= 0 ? message.substring(0, nl) : message);
        return sb.length() > 300 ? sb.substring(0, 300) + "…" : sb.toString();
    }

    /** The HTTP status of a Fabric8 failure, or 0. */
    public static int code(Throwable e) {
        return e instanceof KubernetesClientException kce ? kce.getCode() : 0;
    }

    /**
     * Whether {@code e} (or a cause) is the API server refusing the client's credentials: HTTP 401 or 403,
     * also when a watch was closed with it.
     */
    public static boolean isAuthFailure(@Nullable Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            int code = t instanceof WatcherException we
                    ? we.asClientException().getCode()
                    : t instanceof KubernetesClientException kce ? kce.getCode() : 0;
            if (code == 401 || code == 403) {
                return true;
            }
        }
        return false;
    }
}
