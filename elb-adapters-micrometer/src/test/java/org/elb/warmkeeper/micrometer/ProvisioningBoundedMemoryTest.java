package org.elb.warmkeeper.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import org.elb.warmkeeper.core.cluster.ClusterRef;
import org.elb.warmkeeper.core.cluster.OwnerId;
import org.elb.warmkeeper.core.provision.ArmError;
import org.elb.warmkeeper.core.provision.ProvisionAccepted;
import org.elb.warmkeeper.core.provision.ProvisionPolicy;
import org.elb.warmkeeper.core.provision.ProvisionRefusedException;
import org.elb.warmkeeper.core.provision.ProvisionRequest;
import org.elb.warmkeeper.core.provision.ProvisionScope;
import org.elb.warmkeeper.core.provision.ProvisioningService;
import org.elb.warmkeeper.testkit.FakeClusterProvisioner;
import org.elb.warmkeeper.testkit.InMemoryJobStateRepository;
import org.elb.warmkeeper.testkit.MutableClock;
import org.junit.jupiter.api.Test;

/**
 * 10 000 refused and 10 000 accepted-then-finished requests, each with a region nobody configured: the
 * meter series, the service's task entries and its policy counters do not grow with them.
 */
class ProvisioningBoundedMemoryTest {

    static final String SUB = "0f1e2d3c-4b5a-6978-8695-a4b3c2d1e0f9";
    static final int N = 10_000;
    static final int OWNERS = 1_000;

    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final FakeClusterProvisioner provisioner = new FakeClusterProvisioner();
    final ProvisioningService service = ProvisioningService.builder(new InMemoryJobStateRepository(), provisioner)
            .observer(MicrometerObserver.of(registry))
            .clock(MutableClock.start())
            .policy(ProvisionPolicy.builder()
                    .allowedScopes(List.of(new ProvisionScope(SUB, "rg-elb")))
                    .maxNodes(10)
                    .ownerRatePerMinute(100)
                    .build())
            .build();

    /** A region name no one configured: {@code r0}, {@code r1}, ... */
    static ProvisionRequest request(String rg, int i, int nodes) {
        return new ProvisionRequest(ClusterRef.of(SUB, rg, "c" + i), "r" + i, "Standard_E32s_v5", nodes, null);
    }

    static OwnerId owner(int i) {
        return OwnerId.of("owner-" + (i % OWNERS));
    }

    private void refuse(int i) {
        ProvisionRequest r = i % 2 == 0 ? request("rg-other", i, 3) : request("rg-elb", i, 11);
        assertThat(catchThrowableOfType(ProvisionRefusedException.class, () -> service.provision(owner(i), r)))
                .isNotNull();
    }

    private void acceptAndFinish(int i) {
        ProvisionAccepted a = service.provision(owner(i), request("rg-elb", i, 3));
        provisioner.start(a.taskId());
        if (i % 2 == 0) {
            provisioner.succeed(a.taskId());
        } else {
            provisioner.fail(a.taskId(), ArmError.of("QuotaExceeded", "cores"));
        }
    }

    @Test
    void ten_thousand_refused_and_ten_thousand_finished_requests_leave_nothing_growing() {
        for (int i = 0; i < 100; i++) {
            refuse(i);
            acceptAndFinish(i);
        }
        int metersAfterWarmUp = registry.getMeters().size();

        for (int i = 100; i < N; i++) {
            refuse(i);
            acceptAndFinish(i);
        }

        int meters = registry.getMeters().size();
        System.out.printf(
                "after %d refused + %d finished: meters %d (after 100 of each: %d), followed tasks %d, active %d,"
                        + " owners %d, queued %d, rate windows %d%n",
                N,
                N,
                meters,
                metersAfterWarmUp,
                service.followedTasks(),
                service.activeProvisions(),
                service.activeOwners(),
                service.queuedCreates(),
                service.rateWindows());
        assertThat(meters).as("meter series").isEqualTo(metersAfterWarmUp);
        assertThat(registry.find("elb.provision.requests").counters())
                .singleElement()
                .satisfies(c -> {
                    assertThat(c.getId().getTag("region")).isEqualTo(MicrometerObserver.OTHER);
                    assertThat(c.count()).isEqualTo(N);
                });
        assertThat(registry.find("elb.provision.refused").counters()).hasSize(2);
        assertThat(service.followedTasks()).as("task entries").isZero();
        assertThat(service.activeProvisions()).isZero();
        assertThat(service.activeOwners()).isZero();
        assertThat(service.queuedCreates()).isZero();
        assertThat(service.rateWindows()).as("rate windows").isLessThanOrEqualTo(OWNERS);
    }
}
