package org.elb.warmkeeper.testkit.contract;

import org.elb.warmkeeper.core.version.ImageRegistry;
import org.elb.warmkeeper.core.version.ImageTag;
import org.elb.warmkeeper.core.version.ServiceName;
import org.elb.warmkeeper.testkit.FakeImageRegistry;

class FakeImageRegistryContractTest extends ImageRegistryContract {

    private FakeImageRegistry fake;

    @Override
    protected ImageRegistry createRegistry() {
        fake = new FakeImageRegistry();
        return fake;
    }

    @Override
    protected void push(ServiceName repository, ImageTag tag) {
        fake.push(repository, tag);
    }

    @Override
    protected boolean makeUnreachable() {
        fake.faults().unavailable();
        return true;
    }
}
