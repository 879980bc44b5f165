package org.elb.warmkeeper.jdbi;

import java.util.List;
import java.util.function.Supplier;
import org.elb.warmkeeper.core.cluster.ClusterRef;
import org.elb.warmkeeper.core.cluster.DatabaseName;
import org.elb.warmkeeper.core.warm.AutoWarmPreferences;
import org.elb.warmkeeper.testkit.contract.AutoWarmPreferencesContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/** The testkit's auto-warm preferences contract on the store; each backend's subclass only names its database. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class JdbiAutoWarmPreferencesContractTest extends AutoWarmPreferencesContract {

    private final Supplier<TestDatabase> database;
    private TestDatabase db;

    JdbiAutoWarmPreferencesContractTest(Supplier<TestDatabase> database) {
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
    protected AutoWarmPreferences createPreferences() {
        db.truncate();
        return db.store.autoWarmPreferences();
    }

    @Override
    protected void enable(ClusterRef cluster, List<DatabaseName> databases) {
        db.store.autoWarmPreferences().enable(cluster, databases);
    }

    @Override
    protected void disable(ClusterRef cluster) {
        db.store.autoWarmPreferences().disable(cluster);
    }
}
