package org.elb.warmkeeper.jdbi;

import java.util.function.Supplier;
import org.elb.warmkeeper.core.cluster.ClusterRef;
import org.elb.warmkeeper.core.cluster.DatabaseName;
import org.elb.warmkeeper.core.warm.DatabaseInventory;
import org.elb.warmkeeper.testkit.contract.DatabaseInventoryContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/** The testkit's inventory contract on the store; each backend's subclass only names its database. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class JdbiDatabaseInventoryContractTest extends DatabaseInventoryContract {

    private final Supplier<TestDatabase> database;
    private TestDatabase db;

    JdbiDatabaseInventoryContractTest(Supplier<TestDatabase> database) {
        this.database = database;
    }

    @BeforeAll
    final void open() {
        db = database.get();
    }

    @AfterAll
    final void close() {
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
