package org.elb.warmkeeper.jdbi;

import java.util.List;
import org.elb.warmkeeper.core.cluster.ClusterRef;
import org.elb.warmkeeper.core.cluster.DatabaseName;
import org.elb.warmkeeper.core.warm.AutoWarmPreferences;
import org.elb.warmkeeper.testkit.contract.AutoWarmPreferencesContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

class H2AutoWarmPreferencesContractTest extends AutoWarmPreferencesContract {

    private static TestDatabase db;

    @BeforeAll
    static void open() {
        db = TestDatabase.h2();
    }

    @AfterAll
    static void close() {
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
