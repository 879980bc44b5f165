package org.elb.warmkeeper.jdbi;

import org.elb.warmkeeper.core.provision.JobStateRepository;
import org.elb.warmkeeper.testkit.contract.JobStateRepositoryContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

class PostgresJobStateRepositoryContractTest extends JobStateRepositoryContract {

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
    protected JobStateRepository createRepository() {
        db.truncate();
        return db.store.jobStateRepository();
    }
}
