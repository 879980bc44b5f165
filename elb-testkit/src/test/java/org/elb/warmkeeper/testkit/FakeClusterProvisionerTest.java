package org.elb.warmkeeper.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import org.elb.warmkeeper.core.cluster.ClusterRef;
import org.elb.warmkeeper.core.cluster.OwnerId;
import org.elb.warmkeeper.core.provision.JobStatus;
import org.elb.warmkeeper.core.provision.ProvisionAccepted;
import org.elb.warmkeeper.core.provision.ProvisionRequest;
import org.elb.warmkeeper.core.provision.ProvisioningService;
import org.junit.jupiter.api.Test;

class FakeClusterProvisionerTest {

    private static final ClusterRef CLUSTER = ClusterRef.of("00000000-0000-4000-8000-000000000001", "rg", "elb-a");

    @Test
    void a_create_cancelled_by_arm_ends_the_row_cancelled_and_reports_nothing_after() {
        InMemoryJobStateRepository jobs = new InMemoryJobStateRepository();
        FakeClusterProvisioner provisioner = new FakeClusterProvisioner();
        ProvisioningService service =
                ProvisioningService.builder(jobs, provisioner).build();
        ProvisionAccepted accepted = service.provision(
                OwnerId.of("alice"), new ProvisionRequest(CLUSTER, "koreacentral", "Standard_E32s_v5", 3, null));
        provisioner.publishState(accepted.taskId(), "Creating");

        provisioner.cancel(accepted.taskId());
        provisioner.succeed(accepted.taskId()); // too late: the task has ended

        assertThat(provisioner.isRunning(accepted.taskId())).isFalse();
        assertThat(jobs.get(accepted.jobId()).orElseThrow().status()).isEqualTo(JobStatus.CANCELLED);
        assertThat(jobs.get(accepted.jobId()).orElseThrow().clusterState()).isEqualTo("Creating");
    }
}
