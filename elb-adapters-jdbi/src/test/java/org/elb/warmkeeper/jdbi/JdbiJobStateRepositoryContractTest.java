package org.elb.warmkeeper.jdbi;

import java.util.function.Supplier;
import org.elb.warmkeeper.core.provision.JobStateRepository;
import org.elb.warmkeeper.testkit.contract.JobStateRepositoryContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/** The testkit's job-state contract on the store; each backend's subclass only names its database. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class JdbiJobStateRepositoryContractTest extends JobStateRepositoryContract {

    private final Supplier<TestDatabase> database;
    private TestDatabase db;

    JdbiJobStateRepositoryContractTest(Supplier<TestDatabase> database) {
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
    protected JobStateRepository createRepository() {
        db.truncate();
        return db.store.jobStateRepository();
    }
}
