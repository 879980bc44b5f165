package org.elb.warmkeeper.jdbi;

import org.elb.warmkeeper.core.warm.WarmAttemptHistory;
import org.elb.warmkeeper.testkit.contract.WarmAttemptHistoryContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

class H2WarmAttemptHistoryContractTest extends WarmAttemptHistoryContract {

    private static TestDatabase db;

    @BeforeAll
    static void open() {
        db = TestDatabase.h2();
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
