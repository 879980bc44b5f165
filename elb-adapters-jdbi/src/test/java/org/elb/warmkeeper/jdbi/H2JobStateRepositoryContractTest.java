package org.elb.warmkeeper.jdbi;

class H2JobStateRepositoryContractTest extends JdbiJobStateRepositoryContractTest {
    H2JobStateRepositoryContractTest() {
        super(TestDatabase::h2);
    }
}
