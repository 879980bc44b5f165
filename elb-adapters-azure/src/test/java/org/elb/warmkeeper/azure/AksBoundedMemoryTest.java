package org.elb.warmkeeper.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Locale;
import org.elb.warmkeeper.core.cluster.ClusterRef;
import org.elb.warmkeeper.core.cluster.OwnerId;
import org.elb.warmkeeper.core.provision.ProvisionAccepted;
import org.elb.warmkeeper.core.provision.ProvisionPolicy;
import org.elb.warmkeeper.core.provision.ProvisionRequest;
import org.elb.warmkeeper.core.provision.ProvisioningService;
import org.elb.warmkeeper.testkit.InMemoryJobStateRepository;
import org.elb.warmkeeper.testservers.LocalArm;
import org.junit.jupiter.api.Test;

/** What the AKS adapter keeps per subscription and per create is bounded: counted, not timed. */
class AksBoundedMemoryTest {

    static String subscription(int i) {
        return String.format(Locale.ROOT, "00000000-0000-4000-8000-%012d", i);
    }

    @Test
    void ten_thousand_subscriptions_keep_at_most_the_bounded_number_of_arm_managers() throws Exception {
        try (LocalArm arm = new LocalArm()) {
            ArmConnection connection = ArmConnection.of(AksProvisioningPolicyTest.pipeline(), arm.base());
            for (int i = 0; i < 10_000; i++) {
                connection.manager(subscription(i));
            }
            System.out.println("ARM managers after 10000 subscriptions: " + connection.managerCount());
            assertThat(connection.managerCount()).isLessThanOrEqualTo(ArmConnection.MAX_MANAGERS);
        }
    }

    @Test
    void creates_that_end_leave_no_task_and_no_policy_entry_behind() throws Exception {
        int creates = Integer.getInteger("elb.memory.aks-creates", 100);
        try (LocalArm arm = new LocalArm();
                AksClusterProvisioner provisioner = AksClusterProvisioner.builder(
                                ArmConnection.of(AksProvisioningPolicyTest.pipeline(), arm.base()))
                        .pollInterval(Duration.ofMillis(2))
                        .build()) {
            InMemoryJobStateRepository repository = new InMemoryJobStateRepository();
            ProvisioningService service = ProvisioningService.builder(repository, provisioner)
                    .policy(ProvisionPolicy.builder()
                            .maxActivePerOwner(100)
                            .ownerRatePerMinute(100_000)
                            .build())
                    .build();
            for (int i = 0; i < creates; i++) {
                String name = "mem-" + i;
                ProvisionRequest r = new ProvisionRequest(
                        ClusterRef.of(subscription(i), "rg-elb", name), "koreacentral", "Standard_E32s_v5", 3, null);
                ProvisionAccepted a = service.provision(OwnerId.of("owner-" + (i % 50)), r);
                await().atMost(Duration.ofSeconds(20)).until(() -> arm.tags(name) != null);
                arm.finish(name, i % 2 == 0 ? "Succeeded" : "Failed");
                await().atMost(Duration.ofSeconds(20))
                        .until(() ->
                                repository.get(a.jobId()).orElseThrow().status().isTerminal());
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> service.followedTasks() == 0);
            System.out.println("after " + creates + " AKS creates: tasks="
                    + provisioner.runningTasks().size() + " followed=" + service.followedTasks() + " active="
                    + service.activeProvisions());
            assertThat(provisioner.runningTasks()).isEmpty();
            assertThat(service.activeProvisions()).isZero();
            assertThat(service.queuedCreates()).isZero();
            service.close();
        }
    }
}
