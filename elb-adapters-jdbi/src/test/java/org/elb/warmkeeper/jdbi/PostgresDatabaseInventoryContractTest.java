package org.elb.warmkeeper.jdbi;

import org.elb.warmkeeper.core.cluster.ClusterRef;
import org.elb.warmkeeper.core.cluster.DatabaseName;
import org.elb.warmkeeper.core.warm.DatabaseInventory;
import org.elb.warmkeeper.testkit.contract.DatabaseInventoryContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

class PostgresDatabaseInventoryContractTest extends DatabaseInventoryContract {

    private static TestDatabase db;

    @BeforeAll
    static void open() {
        db = TestDatabase.postgres();
    }

    @AfterAll
    static void close() {
        db.close();
    }

    @Override
    protected DatabaseInventory createInventory() {
        db.truncate();
        return db.store.databaseInventory();
    }

    @Override
    protected void markDownloaded(ClusterRef cluster, DatabaseName... databases) {
        db.store.databaseInventory().markDownloaded(cluster, databases);
    }

    @Override
    protected void removeDownloaded(ClusterRef cluster, DatabaseName database) {
        db.store.databaseInventory().removeDownloaded(cluster, database);
    }
}
