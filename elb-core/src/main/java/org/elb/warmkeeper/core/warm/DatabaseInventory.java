package org.elb.warmkeeper.core.warm;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.elb.warmkeeper.core.cluster.ClusterRef;
import org.elb.warmkeeper.core.cluster.DatabaseName;

/** Port: which databases are downloaded to a cluster's storage. */
public interface DatabaseInventory {

    /**
     * @throws org.elb.warmkeeper.core.BackendUnavailableException when the inventory cannot be read
     */
    Set<DatabaseName> downloaded(ClusterRef cluster);

    /**
     * The downloaded databases of many clusters. The default asks per cluster; stores override it to
     * answer in one query (the reconciler calls this once per tick). Every requested cluster is a key
     * of the result.
     */
    default Map<ClusterRef, Set<DatabaseName>> downloaded(Collection<ClusterRef> clusters) {
        Map<ClusterRef, Set<DatabaseName>> result = new LinkedHashMap<>();
        for (ClusterRef cluster : clusters) {
            result.put(cluster, Set.copyOf(downloaded(cluster)));
        }
        return result;
    }
}
