package org.elb.warmkeeper.testkit.contract;

import org.elb.warmkeeper.core.warm.WarmAttemptHistory;
import org.elb.warmkeeper.inmemory.InMemoryWarmAttemptHistory;

class InMemoryWarmAttemptHistoryContractTest extends WarmAttemptHistoryContract {

    @Override
    protected WarmAttemptHistory createHistory() {
        return InMemoryWarmAttemptHistory.create();
    }
}
