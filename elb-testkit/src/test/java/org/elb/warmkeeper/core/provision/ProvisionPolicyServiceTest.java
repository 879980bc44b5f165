package org.elb.warmkeeper.core.provision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.elb.warmkeeper.core.cluster.ClusterRef;
import org.elb.warmkeeper.core.cluster.OwnerId;
import org.elb.warmkeeper.testkit.FakeClusterProvisioner;
import org.elb.warmkeeper.testkit.InMemoryJobStateRepository;
import org.elb.warmkeeper.testkit.MutableClock;
import org.junit.jupiter.api.Test;

/**
 * The provisioning policy in {@link ProvisioningService}: every rule refuses before a row is written or
 * the provisioner is called, quotas are freed when a create ends, and a finished task leaves no entry.
 */
class ProvisionPolicyServiceTest {

    static final String SUB = "0f1e2d3c-4b5a-6978-8695-a4b3c2d1e0f9";
    static final OwnerId ALICE = OwnerId.of("alice-oid");
    static final OwnerId BOB = OwnerId.of("bob-oid");

    final MutableClock clock = MutableClock.start();
    final InMemoryJobStateRepository repository = new InMemoryJobStateRepository();
    final FakeClusterProvisioner provisioner = new FakeClusterProvisioner();
    final List<ProvisionRule> refused = new CopyOnWriteArrayList<>();
    final ProvisioningObserver observer = new ProvisioningObserver() {
        @Override
        public void provisionRefused(ProvisionRule rule) {
            refused.add(rule);
        }
    };

    static ProvisionRequest request(String rg, String name, String region, String vmSize, int nodes) {
        return new ProvisionRequest(ClusterRef.of(SUB, rg, name), region, vmSize, nodes, null);
    }

    static ProvisionRequest allowed(String name) {
        return request("rg-elb", name, "koreacentral", "Standard_E32s_v5", 3);
    }

    ProvisioningService service(ProvisionPolicy policy) {
        return ProvisioningService.builder(repository, provisioner)
                .observer(observer)
                .clock(clock)
                .policy(policy)
                .build();
    }

    static ProvisionPolicy.Builder strict() {
        return ProvisionPolicy.builder()
                .allowedScopes(List.of(new ProvisionScope(SUB, "rg-elb")))
                .allowedRegions(List.of("koreacentral", "eastus"))
                .allowedVmSizes(List.of("Standard_E32s_v5"))
                .maxNodes(10);
    }

    private ProvisionRefusedException refusal(ProvisioningService service, OwnerId owner, ProvisionRequest r) {
        ProvisionRefusedException e =
                catchThrowableOfType(ProvisionRefusedException.class, () -> service.provision(owner, r));
        assertThat(e).as("refused").isNotNull();
        return e;
    }

    @Test
    void each_rule_refuses_before_any_row_or_provisioner_call_and_names_its_limit() {
        ProvisioningService service = service(strict().build());

        ProvisionRefusedException scope =
                refusal(service, ALICE, request("rg-other", "c1", "koreacentral", "Standard_E32s_v5", 3));
        assertThat(scope.rule()).isEqualTo(ProvisionRule.ALLOWED_SCOPES);
        assertThat(scope.kind()).isEqualTo(ProvisionRule.Kind.RULE);
        assertThat(scope.limit()).isEqualTo("1 allowed subscription/resource-group pair(s)");

        ProvisionRefusedException region =
                refusal(service, ALICE, request("rg-elb", "c2", "westus", "Standard_E32s_v5", 3));
        assertThat(region.rule()).isEqualTo(ProvisionRule.ALLOWED_REGIONS);
        assertThat(region.limit()).isEqualTo("eastus, koreacentral");

        ProvisionRefusedException size =
                refusal(service, ALICE, request("rg-elb", "c3", "eastus", "Standard_M416s_v2", 3));
        assertThat(size.rule()).isEqualTo(ProvisionRule.ALLOWED_VM_SIZES);
        assertThat(size.limit()).isEqualTo("standard_e32s_v5");

        ProvisionRefusedException nodes =
                refusal(service, ALICE, request("rg-elb", "c4", "eastus", "Standard_E32s_v5", 1000));
        assertThat(nodes.rule()).isEqualTo(ProvisionRule.MAX_NODES);
        assertThat(nodes.limit()).isEqualTo("10");
        assertThat(nodes.getMessage()).isEqualTo("1000 nodes is more than the 10 allowed");

        assertThat(repository.size()).as("rows written").isZero();
        assertThat(provisioner.request(TaskId.of("task-1"))).as("creates begun").isEmpty();
        assertThat(refused)
                .containsExactly(
                        ProvisionRule.ALLOWED_SCOPES,
                        ProvisionRule.ALLOWED_REGIONS,
                        ProvisionRule.ALLOWED_VM_SIZES,
                        ProvisionRule.MAX_NODES);
        assertThat(service.activeProvisions()).isZero();
    }

    @Test
    void an_allowed_create_is_unaffected_and_scopes_compare_without_case() {
        ProvisioningService service = service(strict().build());
        ProvisionRequest r = new ProvisionRequest(
                ClusterRef.of(SUB.toUpperCase(java.util.Locale.ROOT), "RG-ELB", "c1"),
                "koreacentral",
                "standard_e32s_V5",
                10,
                null);

        ProvisionAccepted a = service.provision(ALICE, r);

        assertThat(provisioner.request(a.taskId())).contains(r);
        assertThat(repository.get(a.jobId())).isPresent();
        assertThat(refused).isEmpty();
    }

    @Test
    void the_default_policy_refuses_more_than_100_nodes() {
        ProvisioningService service = service(ProvisionPolicy.ofDefaults());
        assertThat(refusal(service, ALICE, request("rg-any", "c1", "westus", "Any_Size", 101))
                        .rule())
                .isEqualTo(ProvisionRule.MAX_NODES);
        assertThat(service.provision(ALICE, request("rg-any", "c2", "westus", "Any_Size", 100)))
                .isNotNull();
    }

    @Test
    void active_provisions_per_owner_are_a_quota_freed_when_a_create_ends() {
        ProvisioningService service = service(strict().maxActivePerOwner(2).build());
        ProvisionAccepted first = service.provision(ALICE, allowed("a1"));
        ProvisionAccepted second = service.provision(ALICE, allowed("a2"));

        ProvisionRefusedException third = refusal(service, ALICE, allowed("a3"));
        assertThat(third.rule()).isEqualTo(ProvisionRule.MAX_ACTIVE_PER_OWNER);
        assertThat(third.kind()).isEqualTo(ProvisionRule.Kind.QUOTA);
        assertThat(third.limit()).isEqualTo("2");
        assertThat(service.provision(BOB, allowed("b1"))).as("another owner").isNotNull();

        provisioner.start(first.taskId());
        provisioner.succeed(first.taskId());
        ProvisionAccepted fourth = service.provision(ALICE, allowed("a4"));

        provisioner.fail(second.taskId(), ArmError.of("QuotaExceeded", "cores"));
        ProvisionAccepted fifth = service.provision(ALICE, allowed("a5"));

        service.cancel(ALICE, fourth.taskId(), CancelMode.STOP);
        service.provision(ALICE, allowed("a6"));
        provisioner.cancel(fifth.taskId()); // ended Canceled in Azure
        service.provision(ALICE, allowed("a7"));

        assertThat(refusal(service, ALICE, allowed("a8")).rule()).isEqualTo(ProvisionRule.MAX_ACTIVE_PER_OWNER);
        assertThat(service.activeProvisions()).isEqualTo(3); // a6, a7 and bob's
    }

    @Test
    void a_create_that_cannot_begin_frees_its_slot() {
        ProvisioningService service = service(strict().maxActivePerOwner(1).build());
        provisioner.faults().failNext(1);
        assertThat(catchThrowableOfType(ProvisioningException.class, () -> service.provision(ALICE, allowed("a1"))))
                .isNotNull();

        assertThat(service.provision(ALICE, allowed("a2"))).isNotNull();
    }

    @Test
    void an_owner_beyond_its_rate_waits_for_the_next_minute() {
        ProvisioningService service =
                service(strict().maxActivePerOwner(100).ownerRatePerMinute(3).build());
        for (int i = 0; i < 3; i++) {
            service.provision(ALICE, allowed("a" + i));
        }
        ProvisionRefusedException fast = refusal(service, ALICE, allowed("a3"));
        assertThat(fast.rule()).isEqualTo(ProvisionRule.OWNER_RATE);
        assertThat(fast.kind()).isEqualTo(ProvisionRule.Kind.QUOTA);
        assertThat(fast.limit()).isEqualTo("3 per minute");
        assertThat(service.provision(BOB, allowed("b0"))).as("another owner").isNotNull();

        clock.advance(Duration.ofSeconds(61));
        assertThat(service.provision(ALICE, allowed("a4"))).isNotNull();
    }

    @Test
    void a_full_queue_of_creates_arm_has_not_taken_is_a_503_until_one_starts() {
        ProvisioningService service =
                service(strict().maxActivePerOwner(100).maxQueued(2).build());
        ProvisionAccepted first = service.provision(ALICE, allowed("a1"));
        service.provision(BOB, allowed("b1"));

        ProvisionRefusedException full = refusal(service, ALICE, allowed("a2"));
        assertThat(full.rule()).isEqualTo(ProvisionRule.MAX_QUEUED);
        assertThat(full.kind()).isEqualTo(ProvisionRule.Kind.CAPACITY);
        assertThat(service.queuedCreates()).isEqualTo(2);

        provisioner.start(first.taskId()); // ARM took it: it leaves the queue, still active
        assertThat(service.queuedCreates()).isEqualTo(1);
        assertThat(service.provision(ALICE, allowed("a3"))).isNotNull();
        assertThat(service.activeProvisions()).isEqualTo(3);
    }

    @Test
    void a_finished_task_leaves_no_entry_behind() {
        ProvisioningService service = service(strict().build());
        ProvisionAccepted ok = service.provision(ALICE, allowed("a1"));
        ProvisionAccepted bad = service.provision(ALICE, allowed("a2"));
        assertThat(service.followedTasks()).isEqualTo(2);

        provisioner.start(ok.taskId());
        provisioner.succeed(ok.taskId());
        provisioner.fail(bad.taskId(), ArmError.of("Conflict", "name"));

        assertThat(service.followedTasks()).isZero();
        assertThat(service.activeProvisions()).isZero();
        assertThat(service.activeOwners()).isZero();
        assertThat(service.queuedCreates()).isZero();
        assertThat(repository.get(ok.jobId()).orElseThrow().status()).isEqualTo(JobStatus.SUCCEEDED);
    }

    @Test
    void a_resumed_job_counts_for_its_owner_until_it_ends() {
        ProvisioningService first = service(strict().maxActivePerOwner(1).build());
        ProvisionAccepted a = first.provision(ALICE, allowed("a1"));
        provisioner.checkpoint(a.taskId(), java.util.Map.of(FakeClusterProvisioner.CHECKPOINT_KEY, "op"));

        ProvisioningService restarted = service(strict().maxActivePerOwner(1).build());
        restarted.resumeUnfinished(Duration.ofMinutes(15));

        assertThat(refusal(restarted, ALICE, allowed("a2")).rule()).isEqualTo(ProvisionRule.MAX_ACTIVE_PER_OWNER);
        provisioner.succeed(a.taskId());
        assertThat(restarted.provision(ALICE, allowed("a3"))).isNotNull();
    }
}
