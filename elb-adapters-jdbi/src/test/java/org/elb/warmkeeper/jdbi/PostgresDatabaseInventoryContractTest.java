package org.elb.warmkeeper.jdbi;

class PostgresDatabaseInventoryContractTest extends JdbiDatabaseInventoryContractTest {
    PostgresDatabaseInventoryContractTest() {
        super(TestDatabase::postgres);
    }
}
