package org.elb.warmkeeper.testkit.contract;

import org.elb.warmkeeper.core.cluster.ClusterRef;
import org.elb.warmkeeper.core.cluster.DatabaseName;
import org.elb.warmkeeper.core.warm.DatabaseInventory;
import org.elb.warmkeeper.testkit.InMemoryDatabaseInventory;

class InMemoryDatabaseInventoryContractTest extends DatabaseInventoryContract {

    private final InMemoryDatabaseInventory store = new InMemoryDatabaseInventory();

    @Override
    protected DatabaseInventory createInventory() {
        return store;
    }

    @Override
    protected void markDownloaded(ClusterRef cluster, DatabaseName... databases) {
        store.markDownloaded(cluster, databases);
    }

    @Override
    protected void removeDownloaded(ClusterRef cluster, DatabaseName database) {
        store.remove(cluster, database);
    }
}
