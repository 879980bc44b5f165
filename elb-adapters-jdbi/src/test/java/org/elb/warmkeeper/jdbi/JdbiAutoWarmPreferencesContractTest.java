package org.elb.warmkeeper.jdbi;

import java.util.function.Supplier;
import org.elb.warmkeeper.core.warm.ManagedAutoWarmPreferences;
import org.elb.warmkeeper.testkit.contract.ManagedAutoWarmPreferencesContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/** The testkit's managed auto-warm preferences contract (toggles, pause) on the store; each backend's subclass only names its database. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class JdbiAutoWarmPreferencesContractTest extends ManagedAutoWarmPreferencesContract {

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
    protected ManagedAutoWarmPreferences createManaged() {
        db.truncate();
        return db.store.autoWarmPreferences();
    }
}
