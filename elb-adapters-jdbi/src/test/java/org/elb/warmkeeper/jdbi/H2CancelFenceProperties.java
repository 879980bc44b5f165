package org.elb.warmkeeper.jdbi;

import org.elb.warmkeeper.core.provision.JobStateRepository;
import org.elb.warmkeeper.testkit.contract.CancelFenceProperties;
import org.jspecify.annotations.Nullable;

class H2CancelFenceProperties extends CancelFenceProperties {
    private @Nullable TestDatabase db;

    @Override
    protected JobStateRepository createRepository() {
        db = TestDatabase.h2();
        return db.store.jobStateRepository();
    }

    @Override
    protected void closeRepository() {
        if (db != null) {
            db.close();
        }
    }
}
