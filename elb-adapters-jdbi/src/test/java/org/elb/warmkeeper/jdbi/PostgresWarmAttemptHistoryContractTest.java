package org.elb.warmkeeper.jdbi;

import org.elb.warmkeeper.core.warm.WarmAttemptHistory;
import org.elb.warmkeeper.testkit.contract.WarmAttemptHistoryContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

class PostgresWarmAttemptHistoryContractTest extends WarmAttemptHistoryContract {

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
    protected WarmAttemptHistory createHistory() {
        db.truncate();
        return db.store.warmAttemptHistory();
    }
}
