package org.elb.warmkeeper.testkit.contract;

import java.util.List;
import org.elb.warmkeeper.core.cluster.ClusterRef;
import org.elb.warmkeeper.core.cluster.DatabaseName;
import org.elb.warmkeeper.core.warm.AutoWarmPreferences;
import org.elb.warmkeeper.testkit.InMemoryAutoWarmPreferences;

class InMemoryAutoWarmPreferencesContractTest extends AutoWarmPreferencesContract {

    private final InMemoryAutoWarmPreferences store = new InMemoryAutoWarmPreferences();

    @Override
    protected AutoWarmPreferences createPreferences() {
        return store;
    }

    @Override
    protected void enable(ClusterRef cluster, List<DatabaseName> databases) {
        store.enable(cluster, databases);
    }

    @Override
    protected void disable(ClusterRef cluster) {
        store.disable(cluster);
    }
}
