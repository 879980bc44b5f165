package org.elb.warmkeeper.testkit.contract;

import org.elb.warmkeeper.core.provision.JobStateRepository;
import org.elb.warmkeeper.testkit.InMemoryJobStateRepository;

class InMemoryProvisioningFaultMatrixTest extends ProvisioningFaultMatrix {

    private final InMemoryJobStateRepository repository = new InMemoryJobStateRepository();

    @Override
    protected JobStateRepository createRepository() {
        return repository;
    }

    @Override
    protected void storeDown() {
        repository.faults().unavailable();
    }

    @Override
    protected void storeUp() {
        repository.faults().heal();
    }

    @Override
    protected long countRows() {
        return repository.size();
    }
}
