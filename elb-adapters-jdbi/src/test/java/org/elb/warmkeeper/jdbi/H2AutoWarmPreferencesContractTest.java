package org.elb.warmkeeper.jdbi;

class H2AutoWarmPreferencesContractTest extends JdbiAutoWarmPreferencesContractTest {
    H2AutoWarmPreferencesContractTest() {
        super(TestDatabase::h2);
    }
}
