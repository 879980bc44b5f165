package org.elb.warmkeeper.jdbi;

class H2DatabaseInventoryContractTest extends JdbiDatabaseInventoryContractTest {
    H2DatabaseInventoryContractTest() {
        super(TestDatabase::h2);
    }
}
