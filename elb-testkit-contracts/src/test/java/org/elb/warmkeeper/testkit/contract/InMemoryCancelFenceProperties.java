package org.elb.warmkeeper.testkit.contract;

import org.elb.warmkeeper.core.provision.JobStateRepository;
import org.elb.warmkeeper.testkit.InMemoryJobStateRepository;

class InMemoryCancelFenceProperties extends CancelFenceProperties {
    @Override
    protected JobStateRepository createRepository() {
        return new InMemoryJobStateRepository();
    }
}
