package org.elb.warmkeeper.jdbi;

import org.elb.warmkeeper.core.warm.ManagedAutoWarmPreferences;
import org.elb.warmkeeper.testkit.contract.ManagedAutoWarmPreferencesContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

class PostgresAutoWarmPreferencesContractTest extends ManagedAutoWarmPreferencesContract {

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
    protected ManagedAutoWarmPreferences createManaged() {
        db.truncate();
        return db.store.autoWarmPreferences();
    }
}
