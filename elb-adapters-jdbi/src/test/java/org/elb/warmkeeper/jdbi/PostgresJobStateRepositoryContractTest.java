package org.elb.warmkeeper.jdbi;

class PostgresJobStateRepositoryContractTest extends JdbiJobStateRepositoryContractTest {
    PostgresJobStateRepositoryContractTest() {
        super(TestDatabase::postgres);
    }
}
