package org.elb.warmkeeper.k8s;

import java.util.Map;
import org.elb.warmkeeper.core.warm.WarmupDispatcher;
import org.elb.warmkeeper.core.warm.WarmupRequest;
import org.elb.warmkeeper.testkit.contract.WarmupDispatcherContract;
import org.junit.jupiter.api.AfterEach;

/** The dispatcher contract against Fabric8's mock server; the test plays the Job controller. */
class Fabric8WarmupDispatcherContractTest extends WarmupDispatcherContract {

    private MockCluster main;
    private MockCluster other;
    private KubernetesClientProvider clients;

    @Override
    protected WarmupDispatcher createDispatcher() {
        main = MockCluster.start();
        other = MockCluster.start();
        clients = KubernetesClientProvider.builder(
                        KubernetesConfigSource.of(Map.of(CLUSTER, main.config(), OTHER_CLUSTER, other.config())))
                .build();
        return Fabric8WarmupDispatcher.builder(clients, Warmups.template()).build();
    }

    @AfterEach
    void stop() {
        clients.close();
        main.close();
        other.close();
    }

    private MockCluster of(WarmupRequest r) {
        return r.cluster().equals(CLUSTER) ? main : other;
    }

    @Override
    protected void markFailed(WarmupRequest request) {
        Warmups.finishJob(
                of(request).admin(), WarmupNames.jobName(WarmupNames.DEFAULT_JOB_PREFIX, request.database()), "Failed");
    }

    @Override
    protected String expectedJobName(WarmupRequest request) {
        return WarmupNames.jobName(WarmupNames.DEFAULT_JOB_PREFIX, request.database());
    }

    @Override
    protected boolean makeUnavailable() {
        main.failWith(500);
        return true;
    }

    @Override
    protected void markFinished(WarmupRequest request) {
        Warmups.finishJob(
                of(request).admin(),
                WarmupNames.jobName(WarmupNames.DEFAULT_JOB_PREFIX, request.database()),
                "Complete");
    }
}
