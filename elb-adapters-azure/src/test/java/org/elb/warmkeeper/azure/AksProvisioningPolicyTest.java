package org.elb.warmkeeper.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import com.azure.core.http.HttpPipeline;
import com.azure.core.http.HttpPipelineBuilder;
import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.elb.warmkeeper.core.cluster.ClusterRef;
import org.elb.warmkeeper.core.cluster.OwnerId;
import org.elb.warmkeeper.core.provision.JobState;
import org.elb.warmkeeper.core.provision.JobStatus;
import org.elb.warmkeeper.core.provision.ProvisionAccepted;
import org.elb.warmkeeper.core.provision.ProvisionListener;
import org.elb.warmkeeper.core.provision.ProvisionPolicy;
import org.elb.warmkeeper.core.provision.ProvisionRefusedException;
import org.elb.warmkeeper.core.provision.ProvisionRequest;
import org.elb.warmkeeper.core.provision.ProvisionRule;
import org.elb.warmkeeper.core.provision.ProvisionScope;
import org.elb.warmkeeper.core.provision.ProvisioningService;
import org.elb.warmkeeper.core.provision.SweepPolicy;
import org.elb.warmkeeper.core.provision.SweepReport;
import org.elb.warmkeeper.core.provision.TaggedCluster;
import org.elb.warmkeeper.testkit.InMemoryJobStateRepository;
import org.elb.warmkeeper.testkit.MutableClock;
import org.elb.warmkeeper.testservers.LocalArm;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link ProvisioningService} with a {@link ProvisionPolicy} over {@link AksClusterProvisioner} and the
 * published ARM simulator {@link LocalArm}: refusals send nothing, creates carry the job's tags, leftovers
 * are reported, a 409 attaches, a foreign polling URL is never followed, and nothing stays behind.
 */
class AksProvisioningPolicyTest {

    static final String SUB = "00000000-0000-4000-8000-0000000000aa";
    static final OwnerId ALICE = OwnerId.of("alice");
    static final Duration WAIT = Duration.ofSeconds(20);

    LocalArm arm;
    AksClusterProvisioner provisioner;
    final InMemoryJobStateRepository repository = new InMemoryJobStateRepository();
    final MutableClock clock = MutableClock.start();
    ProvisioningService service;

    static HttpPipeline pipeline() {
        return new HttpPipelineBuilder()
                .httpClient(new JdkHttpClientBuilder().build())
                .build();
    }

    @BeforeEach
    void setUp() throws Exception {
        arm = new LocalArm();
        provisioner = AksClusterProvisioner.builder(ArmConnection.of(pipeline(), arm.base()))
                .pollInterval(Duration.ofMillis(5))
                .build();
        service = ProvisioningService.builder(repository, provisioner)
                .clock(clock)
                .policy(ProvisionPolicy.builder()
                        .allowedScopes(List.of(new ProvisionScope(SUB, "rg-elb")))
                        .allowedRegions(List.of("koreacentral"))
                        .allowedVmSizes(List.of("Standard_E32s_v5"))
                        .maxNodes(10)
                        .maxActivePerOwner(1)
                        .build())
                .build();
    }

    @AfterEach
    void tearDown() {
        service.close();
        provisioner.close();
        arm.close();
    }

    static ProvisionRequest request(String rg, String name, String region, String vmSize, int nodes) {
        return new ProvisionRequest(ClusterRef.of(SUB, rg, name), region, vmSize, nodes, null);
    }

    static ProvisionRequest allowed(String name) {
        return request("rg-elb", name, "koreacentral", "Standard_E32s_v5", 3);
    }

    private ProvisionRule refusedRule(ProvisionRequest r) {
        ProvisionRefusedException e =
                catchThrowableOfType(ProvisionRefusedException.class, () -> service.provision(ALICE, r));
        assertThat(e).as("refused").isNotNull();
        return e.rule();
    }

    private JobState row(ProvisionAccepted a) {
        return repository.get(a.jobId()).orElseThrow();
    }

    @Test
    void every_rule_and_quota_refuses_before_any_arm_request() {
        assertThat(refusedRule(request("rg-other", "c1", "koreacentral", "Standard_E32s_v5", 3)))
                .isEqualTo(ProvisionRule.ALLOWED_SCOPES);
        assertThat(refusedRule(request("rg-elb", "c2", "eastus", "Standard_E32s_v5", 3)))
                .isEqualTo(ProvisionRule.ALLOWED_REGIONS);
        assertThat(refusedRule(request("rg-elb", "c3", "koreacentral", "Standard_D2s_v5", 3)))
                .isEqualTo(ProvisionRule.ALLOWED_VM_SIZES);
        assertThat(refusedRule(request("rg-elb", "c4", "koreacentral", "Standard_E32s_v5", 1000)))
                .isEqualTo(ProvisionRule.MAX_NODES);
        assertThat(arm.requests()).as("ARM requests after the refusals").isEmpty();
        assertThat(repository.size()).isZero();

        ProvisionAccepted ok = service.provision(ALICE, allowed("c5"));
        await().atMost(WAIT).until(() -> arm.count("PUT ") == 1);
        long sent = arm.requests().size();
        assertThat(refusedRule(allowed("c6"))).isEqualTo(ProvisionRule.MAX_ACTIVE_PER_OWNER);
        assertThat(arm.count("/managedClusters/c6"))
                .as("requests about the refused c6")
                .isZero();
        assertThat(arm.requests().size()).isGreaterThanOrEqualTo((int) sent);
        assertThat(row(ok).status()).isIn(JobStatus.QUEUED, JobStatus.RUNNING);
    }

    @Test
    void the_put_carries_the_job_and_owner_tags_and_a_finished_create_frees_the_quota() {
        ProvisionAccepted a = service.provision(ALICE, allowed("tagged"));
        await().atMost(WAIT).until(() -> arm.tags("tagged") != null);
        assertThat(arm.tags("tagged"))
                .contains("\"" + AksClusterProvisioner.TAG_JOB + "\":\"" + a.jobId() + "\"")
                .contains("\"" + AksClusterProvisioner.TAG_OWNER + "\":\"alice\"");

        arm.finish("tagged", "Succeeded");
        await().atMost(WAIT).until(() -> row(a).status() == JobStatus.SUCCEEDED);
        await().atMost(WAIT).until(() -> service.followedTasks() == 0);
        assertThat(provisioner.runningTasks()).isEmpty();
        assertThat(service.provision(ALICE, allowed("next")))
                .as("the quota is free again")
                .isNotNull();
    }

    @Test
    void a_409_for_a_cluster_this_job_created_attaches_to_the_running_operation() {
        arm.conflictAfterPut("busy");
        ProvisionAccepted a = service.provision(ALICE, allowed("busy"));

        await().atMost(WAIT).until(() -> row(a).status() == JobStatus.RUNNING);
        assertThat(row(a).payload()).containsEntry(ProvisionListener.KEY_CREATED_BY_JOB, "true");
        assertThat(row(a).error()).isNull();
        assertThat(arm.count("PUT ")).isEqualTo(1);

        arm.finish("busy", "Succeeded");
        await().atMost(WAIT).until(() -> row(a).status() == JobStatus.SUCCEEDED);
    }

    @Test
    void a_cluster_tagged_by_another_job_is_a_name_conflict_and_untouched() throws Exception {
        arm.existing(
                SUB, "rg-elb", "theirs", "{\"" + AksClusterProvisioner.TAG_JOB + "\":\"" + UUID.randomUUID() + "\"}");
        ProvisionAccepted a = service.provision(ALICE, allowed("theirs"));

        await().atMost(WAIT).until(() -> row(a).status() == JobStatus.FAILED);
        assertThat(java.util.Objects.requireNonNull(row(a).error()).code())
                .isEqualTo(AksClusterProvisioner.CODE_EXISTS);
        assertThat(arm.count("PUT ")).isZero();
    }

    @Test
    void a_polling_url_on_another_host_is_never_followed_even_on_the_first_live_poll() throws Exception {
        try (LocalArm elsewhere = new LocalArm()) {
            arm.operationBase(elsewhere.base());
            ProvisionAccepted a = service.provision(ALICE, allowed("hosted"));
            await().atMost(WAIT).until(() -> row(a).status() == JobStatus.RUNNING);
            await().atMost(WAIT).until(() -> arm.count("GET /subscriptions/" + SUB + "/resourceGroups") >= 3);

            arm.finish("hosted", "Succeeded");
            await().atMost(WAIT).until(() -> row(a).status() == JobStatus.SUCCEEDED);
            assertThat(elsewhere.requests())
                    .as("requests sent to the other host")
                    .isEmpty();
            assertThat(row(a).payload()).doesNotContainKey(AksClusterProvisioner.KEY_POLLING_URL);
        }
    }

    @Test
    void the_sweep_reports_clusters_tagged_by_jobs_that_never_recorded_them() {
        String orphanJob = UUID.randomUUID().toString();
        arm.existing(
                SUB,
                "rg-elb",
                "orphan",
                "{\"" + AksClusterProvisioner.TAG_JOB + "\":\"" + orphanJob + "\",\"" + AksClusterProvisioner.TAG_OWNER
                        + "\":\"bob\"}");
        arm.existing(SUB, "rg-elb", "untagged", "{\"team\":\"ops\"}");
        ProvisionAccepted mine = service.provision(ALICE, allowed("mine"));
        await().atMost(WAIT).until(() -> row(mine).payload().containsKey(ProvisionListener.KEY_CREATED_BY_JOB));
        arm.finish("mine", "Succeeded");
        await().atMost(WAIT).until(() -> row(mine).status() == JobStatus.SUCCEEDED);

        SweepReport report = service.sweep(SweepPolicy.ofDefaults());

        assertThat(report.leftovers())
                .extracting(TaggedCluster::cluster, t -> t.job().toString(), TaggedCluster::owner)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(ClusterRef.of(SUB, "rg-elb", "orphan"), orphanJob, "bob"));
        assertThat(arm.count("DELETE "))
                .as("a leftover is reported, never deleted")
                .isZero();
    }
}
