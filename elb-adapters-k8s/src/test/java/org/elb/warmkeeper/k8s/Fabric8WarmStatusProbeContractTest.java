package org.elb.warmkeeper.k8s;

import org.elb.warmkeeper.core.warm.WarmStatusProbe;

/** The probe contract against Fabric8's mock server: one LIST of warmup pods per call. */
class Fabric8WarmStatusProbeContractTest extends MockClustersWarmStatusProbeContract {

    @Override
    protected WarmStatusProbe createProbe(KubernetesClientProvider clients) {
        return Fabric8WarmStatusProbe.builder(clients).build();
    }
}
