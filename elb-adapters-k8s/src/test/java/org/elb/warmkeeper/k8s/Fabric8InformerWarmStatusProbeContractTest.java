package org.elb.warmkeeper.k8s;

import java.time.Duration;
import org.elb.warmkeeper.core.warm.WarmStatusProbe;

/** The probe contract against the informer-backed probe: answers come from a watched cache. */
class Fabric8InformerWarmStatusProbeContractTest extends MockClustersWarmStatusProbeContract {

    private Fabric8InformerWarmStatusProbe probe;

    @Override
    protected WarmStatusProbe createProbe(KubernetesClientProvider clients) {
        probe = Fabric8InformerWarmStatusProbe.builder(clients).build();
        return probe;
    }

    @Override
    protected void closeProbe() {
        probe.close();
    }

    @Override
    protected Duration propagationTimeout() {
        return Duration.ofSeconds(5);
    }
}
