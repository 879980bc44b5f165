package org.elb.warmkeeper.k8s;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.time.Duration;
import java.time.ZonedDateTime;
import org.elb.warmkeeper.core.warm.LeaderElection;
import org.elb.warmkeeper.testkit.contract.LeaderElectionContract;
import org.junit.jupiter.api.AfterEach;

/**
 * The testkit's leader-election contract on a Lease in Fabric8's mock server. The other replica is
 * played through the admin client: it takes leadership by writing itself into the Lease as holder
 * with an hour's duration, and steps down by deleting the Lease.
 */
class Fabric8LeaderElectionContractTest extends LeaderElectionContract {

    private static final String NAMESPACE = "default";
    private static final String LEASE = "elb-contract";
    private static final String AGENT = "replica-contract";

    private MockCluster cluster;
    private KubernetesClient client;
    private Fabric8LeaderElection election;

    @Override
    protected LeaderElection createElection() {
        cluster = MockCluster.start();
        client = new KubernetesClientBuilder()
                .withConfig(new ConfigBuilder(cluster.config())
                        .withUserAgent(AGENT)
                        .withRequestTimeout(500)
                        .build())
                .build();
        election = Fabric8LeaderElection.builder(client, NAMESPACE, LEASE)
                .identity("replica-a")
                .leaseDuration(Duration.ofMillis(1_500))
                .renewDeadline(Duration.ofMillis(1_000))
                .retryPeriod(Duration.ofMillis(200))
                .build();
        return election;
    }

    @AfterEach
    void stop() {
        election.close();
        client.close();
        cluster.close();
    }

    private Resource<Lease> lease() {
        return cluster.admin().leases().inNamespace(NAMESPACE).withName(LEASE);
    }

    @Override
    protected void campaign() {
        election.start();
    }

    @Override
    protected void rivalTakesLeadership() {
        // A read-modify-write that races the elector's own renewals: a 409 means it renewed between our
        // read and our write, so read again (as a real rival's elector would).
        for (int attempt = 1; ; attempt++) {
            try {
                writeRivalLease();
                return;
            } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
                if (e.getCode() != 409 || attempt == 20) {
                    throw e;
                }
            }
        }
    }

    private void writeRivalLease() {
        ZonedDateTime now = ZonedDateTime.now();
        Lease current = lease().get();
        LeaseBuilder rival = current == null
                ? new LeaseBuilder()
                        .withNewMetadata()
                        .withName(LEASE)
                        .withNamespace(NAMESPACE)
                        .endMetadata()
                : new LeaseBuilder(current);
        Lease taken = rival.editOrNewSpec()
                .withHolderIdentity("replica-rival")
                .withLeaseDurationSeconds(3_600)
                .withAcquireTime(now)
                .withRenewTime(now)
                .endSpec()
                .build();
        if (current == null) {
            cluster.admin().resource(taken).create();
        } else {
            cluster.admin().resource(taken).update();
        }
    }

    @Override
    protected void rivalStepsDown() {
        lease().delete();
    }

    @Override
    protected boolean makeUnreachable() {
        cluster.block(AGENT);
        return true;
    }

    @Override
    protected Duration electionTimeout() {
        return Duration.ofSeconds(20);
    }

    @Override
    protected Duration followerWindow() {
        return Duration.ofSeconds(3);
    }
}
