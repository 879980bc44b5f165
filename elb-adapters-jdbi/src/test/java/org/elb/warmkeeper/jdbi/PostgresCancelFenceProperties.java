package org.elb.warmkeeper.jdbi;

import org.elb.warmkeeper.core.provision.JobStateRepository;
import org.elb.warmkeeper.testkit.contract.CancelFenceProperties;
import org.jspecify.annotations.Nullable;

/** The fenced-cancel interleavings on PostgreSQL ({@code ELB_TEST_JDBC_URL} or an embedded server), a schema of its own. */
class PostgresCancelFenceProperties extends CancelFenceProperties {
    private @Nullable TestDatabase db;

    @Override
    protected JobStateRepository createRepository() {
        db = TestDatabase.postgres();
        return db.store.jobStateRepository();
    }

    @Override
    protected void closeRepository() {
        if (db != null) {
            db.close();
        }
    }
}
