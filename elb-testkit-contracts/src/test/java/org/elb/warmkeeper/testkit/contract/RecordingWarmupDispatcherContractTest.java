package org.elb.warmkeeper.testkit.contract;

import org.elb.warmkeeper.core.warm.WarmupDispatcher;
import org.elb.warmkeeper.core.warm.WarmupRequest;
import org.elb.warmkeeper.testkit.RecordingWarmupDispatcher;

class RecordingWarmupDispatcherContractTest extends WarmupDispatcherContract {

    private RecordingWarmupDispatcher fake;

    @Override
    protected WarmupDispatcher createDispatcher() {
        fake = new RecordingWarmupDispatcher();
        return fake;
    }

    @Override
    protected void markFailed(WarmupRequest request) {
        fake.fail(request.key());
    }

    @Override
    protected boolean makeUnavailable() {
        fake.faults().unavailable();
        return true;
    }

    @Override
    protected void markFinished(WarmupRequest request) {
        fake.finish(request.key());
    }
}
