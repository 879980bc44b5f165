package org.elb.warmkeeper.core.warm;

import java.util.Map;
import java.util.Set;
import org.elb.warmkeeper.core.cluster.ClusterRef;
import org.elb.warmkeeper.core.cluster.DatabaseName;

/** Port: the warm status of a set of databases on one cluster, in one call. */
@FunctionalInterface
public interface WarmStatusProbe {

    /**
     * Statuses of {@code databases} on {@code cluster}, answered with one backend call (for example
     * one LIST of warmup pods). Every requested database is a key of the result; a database the probe
     * cannot judge is {@link WarmStatus#UNKNOWN}.
     *
     * @throws org.elb.warmkeeper.core.ElbException when the cluster cannot be asked at all
     */
    Map<DatabaseName, WarmStatus> statuses(ClusterRef cluster, Set<DatabaseName> databases);
}
