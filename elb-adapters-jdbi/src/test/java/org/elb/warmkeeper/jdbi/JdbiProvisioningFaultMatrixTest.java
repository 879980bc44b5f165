package org.elb.warmkeeper.jdbi;

import java.net.URI;
import org.elb.warmkeeper.core.provision.JobStateRepository;
import org.elb.warmkeeper.testkit.contract.ProvisioningFaultMatrix;
import org.elb.warmkeeper.testservers.TcpProxy;
import org.junit.jupiter.api.AfterEach;

/**
 * The provisioning fault matrix on PostgreSQL ({@code ELB_TEST_JDBC_URL} or an embedded server) reached
 * through a TCP proxy that the matrix takes down and brings back; a schema of its own.
 */
class JdbiProvisioningFaultMatrixTest extends ProvisioningFaultMatrix {

    private TcpProxy proxy;
    private JdbiStore store;
    private String schema;

    @Override
    protected JobStateRepository createRepository() {
        String url = TestDatabase.postgresUrl();
        URI target = URI.create(url.substring("jdbc:".length()));
        proxy = new TcpProxy(target.getHost(), target.getPort() < 0 ? 5432 : target.getPort());
        String query = target.getRawQuery() == null ? "" : target.getRawQuery() + "&";
        String proxied = "jdbc:postgresql://127.0.0.1:" + proxy.port() + target.getRawPath() + "?" + query
                + "connectTimeout=2&socketTimeout=10";
        schema = TestDatabase.uniqueName("elb_matrix");
        store = JdbiStore.builder(proxied).schema(schema).maxConnections(4).build();
        return store.jobStateRepository();
    }

    @Override
    protected void storeDown() {
        proxy.down();
    }

    @Override
    protected void storeUp() {
        proxy.up();
    }

    @Override
    protected long countRows() {
        return store.jdbi()
                .withHandle(h -> h.createQuery("SELECT COUNT(*) FROM \"" + schema + "\"."
                                + JdbiStore.DEFAULT_TABLE_PREFIX + "job_state")
                        .mapTo(Long.class)
                        .one());
    }

    @AfterEach
    void dropTheSchema() {
        proxy.up();
        try {
            store.jdbi().useHandle(h -> h.execute("DROP SCHEMA \"" + schema + "\" CASCADE"));
        } finally {
            store.close();
            proxy.close();
        }
    }
}
