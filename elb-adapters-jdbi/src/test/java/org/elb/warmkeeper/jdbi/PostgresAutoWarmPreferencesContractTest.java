package org.elb.warmkeeper.jdbi;

class PostgresAutoWarmPreferencesContractTest extends JdbiAutoWarmPreferencesContractTest {
    PostgresAutoWarmPreferencesContractTest() {
        super(TestDatabase::postgres);
    }
}
