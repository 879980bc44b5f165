package org.elb.warmkeeper.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.elb.warmkeeper.core.cluster.ClusterRef;
import org.elb.warmkeeper.core.cluster.DatabaseName;
import org.elb.warmkeeper.core.cluster.OwnerId;
import org.elb.warmkeeper.core.provision.ProvisionPolicy;
import org.elb.warmkeeper.core.provision.ProvisionScope;
import org.elb.warmkeeper.core.provision.ProvisioningService;
import org.elb.warmkeeper.core.provision.TaskId;
import org.elb.warmkeeper.core.version.ImageTag;
import org.elb.warmkeeper.core.version.ImageTagSource;
import org.elb.warmkeeper.core.version.ServiceName;
import org.elb.warmkeeper.core.version.VersionGateService;
import org.elb.warmkeeper.core.warm.AttemptEvent;
import org.elb.warmkeeper.core.warm.AutoWarmPreference;
import org.elb.warmkeeper.core.warm.AutoWarmReconciler;
import org.elb.warmkeeper.core.warm.InflightKey;
import org.elb.warmkeeper.core.warm.WarmAttempt;
import org.elb.warmkeeper.core.warm.WarmStatus;
import org.elb.warmkeeper.inmemory.InMemoryWarmAttemptHistory;
import org.elb.warmkeeper.testkit.FakeClusterProvisioner;
import org.elb.warmkeeper.testkit.FakeDeployedVersionProbe;
import org.elb.warmkeeper.testkit.FakeImageRegistry;
import org.elb.warmkeeper.testkit.FakeWarmStatusProbe;
import org.elb.warmkeeper.testkit.InMemoryAutoWarmPreferences;
import org.elb.warmkeeper.testkit.InMemoryDatabaseInventory;
import org.elb.warmkeeper.testkit.InMemoryInflightLock;
import org.elb.warmkeeper.testkit.InMemoryJobStateRepository;
import org.elb.warmkeeper.testkit.MutableClock;
import org.elb.warmkeeper.testkit.RecordingWarmupDispatcher;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The dashboard's HTTP API as a golden: the same requests on the same state must answer the same status
 * and the same bytes, whoever serves them (the runner's {@code HttpApi}, the starter's Spring MVC
 * controllers). A subclass serves the {@link World} and sends requests to it; identity is the
 * {@value #OWNER_HEADER} header, and {@code ops} is the one admin.
 */
public abstract class DashboardApiContract {

    public static final String OWNER_HEADER = "X-Elb-Owner";
    public static final String SUB = "00000000-0000-4000-8000-000000000001";
    public static final ClusterRef CLUSTER = ClusterRef.of(SUB, "rg-elb", "elb-cluster");
    public static final Set<OwnerId> ADMINS = Set.of(OwnerId.of("ops"));

    /** One answer: the status, the body's text and the {@code Allow} header (or null). */
    public record Answer(int status, String body, @Nullable String allow) {}

    /** The state both sides serve: fakes on a fixed clock. */
    public static final class World {
        public final MutableClock clock = MutableClock.start();
        public final InMemoryJobStateRepository jobs = new InMemoryJobStateRepository();
        public final FakeClusterProvisioner provisioner = new FakeClusterProvisioner();
        public final FakeDeployedVersionProbe deployed = new FakeDeployedVersionProbe();
        public final ProvisioningService provisioning;
        public final AutoWarmReconciler reconciler;
        public final VersionGateService versionGate;
        /** The auto-warm toggles' preferences (the reconciler reads the same). */
        public final InMemoryAutoWarmPreferences preferences = new InMemoryAutoWarmPreferences();
        /** The attempt history the attempts route reads. */
        public final InMemoryWarmAttemptHistory history = InMemoryWarmAttemptHistory.create();

        public World() {
            DatabaseName coreNt = DatabaseName.of("core_nt");
            DatabaseName swissprot = DatabaseName.of("swissprot");
            preferences.put(new AutoWarmPreference(CLUSTER, List.of(coreNt, swissprot), true));
            reconciler = AutoWarmReconciler.builder(
                            preferences,
                            new InMemoryDatabaseInventory()
                                    .markDownloaded(CLUSTER, coreNt)
                                    .markDownloaded(CLUSTER, swissprot),
                            new FakeWarmStatusProbe().set(CLUSTER, swissprot, WarmStatus.READY),
                            new InMemoryInflightLock(clock),
                            new RecordingWarmupDispatcher())
                    .clock(clock)
                    .build();
            provisioning = ProvisioningService.builder(jobs, provisioner)
                    .clock(clock)
                    .policy(ProvisionPolicy.builder()
                            .allowedScopes(List.of(ProvisionScope.of(CLUSTER)))
                            .maxNodes(10)
                            .maxActivePerOwner(2)
                            .build())
                    .tenant("contoso.onmicrosoft.com")
                    .build();
            ServiceName openapi = ServiceName.of("elb-openapi");
            deployed.reports(openapi, "4.8");
            versionGate = VersionGateService.builder(
                            ImageTagSource.of(Map.of(openapi, ImageTag.of("v4.9"))),
                            deployed,
                            new FakeImageRegistry().push(openapi, ImageTag.of("v4.9")))
                    .build();
        }
    }

    protected World world;

    /**
     * Starts serving {@code world} with {@link #ADMINS}, the {@value #OWNER_HEADER} header and the
     * auto-warm toggles on {@link World#preferences} and {@link World#history}.
     */
    protected abstract void serve(World world) throws Exception;

    /** Sends one request; {@code owners}: the values of the owner header, each its own header line. */
    protected abstract Answer call(String method, String pathAndQuery, List<String> owners, @Nullable String body)
            throws Exception;

    protected abstract void stop() throws Exception;

    @BeforeEach
    void startServing() throws Exception {
        world = new World();
        serve(world);
    }

    @AfterEach
    void stopServing() throws Exception {
        stop();
    }

    private Answer as(String owner, String method, String path, @Nullable String body) throws Exception {
        return call(method, path, List.of(owner), body);
    }

    private static void golden(Answer a, int status, String body) {
        assertThat(a.status()).as(a.body()).isEqualTo(status);
        assertThat(a.body().replaceAll("\"job_id\":\"[0-9a-f-]{36}\"", "\"job_id\":\"<job>\""))
                .isEqualTo(body);
    }

    private static final String PROVISION = "{\"subscription_id\":\"" + SUB + "\",\"resource_group\":\"rg-elb\","
            + "\"cluster_name\":\"elb-west\",\"region\":\"koreacentral\",\"vm_size\":\"Standard_E32s_v5\","
            + "\"node_count\":3,\"kubernetes_version\":\"1.33\"}";

    @Test
    void autowarm_status_before_and_after_an_on_demand_tick() throws Exception {
        golden(as("alice", "GET", "/api/autowarm/status", null), 200, "{\"status\":\"no_tick_yet\",\"clusters\":[]}");
        String tick = "{\"status\":\"completed\",\"started_at\":\"2026-01-01T00:00:00Z\",\"force\":false,"
                + "\"clusters\":[{\"cluster_name\":\"elb-cluster\",\"subscription_id\":\"" + SUB + "\","
                + "\"resource_group\":\"rg-elb\",\"databases\":[\"core_nt\",\"swissprot\"],\"enqueued\":[\"core_nt\"],"
                + "\"skipped\":[],\"status\":\"triggered\"}]}";
        golden(as("ops", "POST", "/api/autowarm/reconcile?force=false", null), 200, tick);
        golden(as("alice", "GET", "/api/autowarm/status", null), 200, tick);
        golden(
                as("alice", "POST", "/api/autowarm/reconcile?force=true", null),
                403,
                "{\"error\":\"force=true bypasses the in-flight lock: it needs an admin identity (elb.http.admins)\"}");
        golden(
                as("ops", "POST", "/api/autowarm/reconcile?force=maybe", null),
                400,
                "{\"error\":\"'force' must be true or false, but was 'maybe'\"}");
    }

    @Test
    void a_provision_the_policy_refuses_is_a_403_or_429_naming_the_rule_and_nothing_is_begun() throws Exception {
        golden(
                as("alice", "POST", "/api/aks/provision", PROVISION.replace("\"node_count\":3", "\"node_count\":11")),
                403,
                "{\"error\":\"11 nodes is more than the 10 allowed\",\"rule\":\"max-nodes\",\"limit\":\"10\","
                        + "\"kind\":\"rule\"}");
        golden(
                as("alice", "POST", "/api/aks/provision", PROVISION.replace("rg-elb", "rg-other")),
                403,
                "{\"error\":\"provisioning into " + SUB + "/rg-other is not allowed: the subscription/resource-group"
                        + " pair is not among the allowed scopes\",\"rule\":\"allowed-scopes\",\"limit\":\"1 allowed"
                        + " subscription/resource-group pair(s)\",\"kind\":\"rule\"}");
        assertThat(world.jobs.size()).as("rows after the refusals").isZero();
        assertThat(as("alice", "POST", "/api/aks/provision", PROVISION).status())
                .isEqualTo(202);
        assertThat(as("alice", "POST", "/api/aks/provision", PROVISION.replace("elb-west", "elb-east"))
                        .status())
                .isEqualTo(202);
        golden(
                as("alice", "POST", "/api/aks/provision", PROVISION.replace("elb-west", "elb-north")),
                429,
                "{\"error\":\"you have 2 provisions under way, the most allowed at once; retry when one ends\","
                        + "\"rule\":\"max-active-per-owner\",\"limit\":\"2\",\"kind\":\"quota\"}");
        assertThat(world.provisioner.isRunning(TaskId.of("task-3")))
                .as("a third create begun")
                .isFalse();
        assertThat(world.jobs.size()).isEqualTo(2);
    }

    @Test
    void provision_then_the_callers_own_task_row_and_cancel() throws Exception {
        Answer accepted = as("alice", "POST", "/api/aks/provision", PROVISION);
        assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
        assertThat(accepted.body())
                .matches("\\{\"task_id\":\"[^\"]+\",\"job_id\":\"[0-9a-f-]{36}\",\"state_recorded\":true}");
        String taskId = accepted.body().replaceAll("^\\{\"task_id\":\"([^\"]+)\".*$", "$1");

        golden(
                as("alice", "GET", "/api/tasks/" + taskId, null),
                200,
                "{\"job_id\":\"<job>\",\"type\":\"aks_provision\",\"status\":\"queued\",\"task_id\":\"" + taskId
                        + "\",\"cluster_state\":null,\"error\":null,\"payload\":{\"cluster_name\":\"elb-west\","
                        + "\"kubernetes_version\":\"1.33\",\"node_count\":\"3\",\"region\":\"koreacentral\","
                        + "\"resource_group\":\"rg-elb\",\"subscription_id\":\"" + SUB
                        + "\",\"vm_size\":\"Standard_E32s_v5\"},\"version\":1,\"created_at\":\"2026-01-01T00:00:00Z\","
                        + "\"updated_at\":\"2026-01-01T00:00:00Z\"}");
        golden(
                as("bob", "GET", "/api/tasks/" + taskId, null),
                404,
                "{\"error\":\"no task '" + taskId + "' of yours\"}");
        golden(
                as("bob", "POST", "/api/aks/provision/" + taskId + "/cancel?mode=stop", null),
                404,
                "{\"error\":\"no task '" + taskId + "' of yours\",\"result\":\"not_found\",\"mode\":\"stop\","
                        + "\"status\":null,\"cluster_state\":null,\"partial_resource_likely\":false,\"portal_url\":null,"
                        + "\"action_error\":null,\"action_state\":null,\"create_reported\":null}");
        golden(
                as("alice", "POST", "/api/aks/provision/" + taskId + "/cancel?mode=nuke", null),
                400,
                "{\"error\":\"'mode' must be one of stop, abort_operation, delete_cluster, but was 'nuke'\"}");
        golden(
                as("alice", "GET", "/api/tasks", null),
                400,
                "{\"error\":\"the task id is missing: use /api/aks/provision/{taskId}/cancel or /api/tasks/{taskId}\"}");
    }

    @Test
    void recent_failures_with_their_bounds() throws Exception {
        golden(as("alice", "GET", "/api/aks/recent-failed-provisions", null), 200, "{\"jobs\":[],\"degraded\":false}");
        golden(
                as("alice", "GET", "/api/aks/recent-failed-provisions?hours=0", null),
                400,
                "{\"error\":\"'hours' must be between 1 and 168, but was 0\"}");
        golden(
                as("alice", "GET", "/api/aks/recent-failed-provisions?limit=ten", null),
                400,
                "{\"error\":\"'limit' must be an integer of ASCII digits, but was 'ten'\"}");
        golden(
                as("alice", "GET", "/api/aks/recent-failed-provisions?hours=1&hours=2", null),
                400,
                "{\"error\":\"the query parameter 'hours' must be given once\"}");
    }

    @Test
    void the_version_gate() throws Exception {
        golden(
                as("alice", "GET", "/api/version-gate/elb-openapi", null),
                200,
                "{\"service\":\"elb-openapi\",\"decision\":\"update_available\",\"offer_update\":true,\"from\":\"4.8\","
                        + "\"to\":\"v4.9\",\"direction\":\"upgrade\"}");
    }

    @Test
    void strict_bodies_are_400s_with_json() throws Exception {
        golden(
                as("alice", "POST", "/api/aks/provision", PROVISION.replace("\"node_count\":3", "\"node_count\":3.5")),
                400,
                "{\"error\":\"'node_count' is required and must be a JSON integer, but was a number with a fraction or"
                        + " an exponent\"}");
        golden(
                as("alice", "POST", "/api/aks/provision", "[]"),
                400,
                "{\"error\":\"the request body must be a JSON object\"}");
        golden(
                as("alice", "POST", "/api/aks/provision", ""),
                400,
                "{\"error\":\"the request body must be a JSON object, but was empty\"}");
    }

    @Test
    void identity_comes_from_the_one_owner_header() throws Exception {
        golden(
                call("GET", "/api/autowarm/status", List.of(), null),
                401,
                "{\"error\":\"the caller's identity is required (header X-Elb-Owner)\"}");
        golden(
                call("GET", "/api/autowarm/status", List.of("alice", "mallory"), null),
                400,
                "{\"error\":\"the 'X-Elb-Owner' header must be sent once, but was sent 2 times\"}");
        golden(
                as("alice,mallory", "GET", "/api/autowarm/status", null),
                400,
                "{\"error\":\"the 'X-Elb-Owner' header must hold one owner id, but holds a list\"}");
    }

    @Test
    void a_wrong_method_is_a_405_naming_the_right_one() throws Exception {
        Answer a = as("alice", "GET", "/api/aks/provision", null);
        golden(a, 405, "{\"error\":\"method GET not allowed here; use POST\"}");
        assertThat(a.allow()).isEqualTo("POST");
    }

    private static final String DBS = "/api/autowarm/clusters/elb-cluster/databases/";

    @Test
    void toggle_and_pause_one_database() throws Exception {
        golden(
                as("alice", "GET", "/api/autowarm/clusters", null),
                200,
                "{\"clusters\":[{\"cluster_name\":\"elb-cluster\",\"subscription_id\":\"00000000-0000-4000-8000-000000000001\",\"resource_group\":\"rg-elb\",\"enabled\":true,\"paused\":false,\"last_ready\":true,\"databases\":[\"core_nt\",\"swissprot\"],\"paused_databases\":[]}]}");
        golden(
                as("alice", "PUT", DBS + "nr", "{\"enabled\":true}"),
                200,
                "{\"cluster_name\":\"elb-cluster\",\"subscription_id\":\"00000000-0000-4000-8000-000000000001\",\"resource_group\":\"rg-elb\",\"enabled\":true,\"paused\":false,\"last_ready\":true,\"databases\":[\"core_nt\",\"swissprot\",\"nr\"],\"paused_databases\":[]}");
        golden(
                as("alice", "PUT", DBS + "core_nt", "{\"paused\":true}"),
                200,
                "{\"cluster_name\":\"elb-cluster\",\"subscription_id\":\"00000000-0000-4000-8000-000000000001\",\"resource_group\":\"rg-elb\",\"enabled\":true,\"paused\":false,\"last_ready\":true,\"databases\":[\"core_nt\",\"swissprot\",\"nr\"],\"paused_databases\":[\"core_nt\"]}");
        golden(
                as("alice", "PUT", DBS + "swissprot", "{\"enabled\":false}"),
                200,
                "{\"cluster_name\":\"elb-cluster\",\"subscription_id\":\"00000000-0000-4000-8000-000000000001\",\"resource_group\":\"rg-elb\",\"enabled\":true,\"paused\":false,\"last_ready\":true,\"databases\":[\"core_nt\",\"nr\"],\"paused_databases\":[\"core_nt\"]}");
        golden(
                as("alice", "PUT", "/api/autowarm/clusters/elb-cluster/databases/pdb", "{\"paused\":true}"),
                404,
                "{\"error\":\"'pdb' is not an auto-warm database of elb-cluster: enable it first\"}");
        golden(
                as("alice", "PUT", "/api/autowarm/clusters/other/databases/nr", "{\"enabled\":true}"),
                404,
                "{\"error\":\"no auto-warm cluster named 'other': an admin turns a cluster on (PUT /api/autowarm/clusters/{cluster})\"}");
        // only the admin's cluster route adds a cluster: naming a new one fully is no way around it
        golden(
                as(
                        "alice",
                        "PUT",
                        "/api/autowarm/clusters/other/databases/nr?subscription_id=" + SUB + "&resource_group=rg-x",
                        "{\"enabled\":true}"),
                404,
                "{\"error\":\"no auto-warm cluster 'other' in resource group 'rg-x': an admin turns a cluster on (PUT /api/autowarm/clusters/{cluster})\"}");
        golden(
                as("alice", "GET", "/api/autowarm/clusters", null),
                200,
                "{\"clusters\":[{\"cluster_name\":\"elb-cluster\",\"subscription_id\":\"00000000-0000-4000-8000-000000000001\",\"resource_group\":\"rg-elb\",\"enabled\":true,\"paused\":false,\"last_ready\":true,\"databases\":[\"core_nt\",\"nr\"],\"paused_databases\":[\"core_nt\"]}]}");
    }

    @Test
    void pausing_a_whole_cluster_needs_an_admin() throws Exception {
        golden(
                as("alice", "PUT", "/api/autowarm/clusters/elb-cluster", "{\"paused\":true}"),
                403,
                "{\"error\":\"PUT /api/autowarm/clusters/{cluster} changes fleet-wide behaviour: it needs an admin identity (elb.http.admins)\"}");
        golden(
                as("ops", "PUT", "/api/autowarm/clusters/elb-cluster", "{\"paused\":true}"),
                200,
                "{\"cluster_name\":\"elb-cluster\",\"subscription_id\":\"00000000-0000-4000-8000-000000000001\",\"resource_group\":\"rg-elb\",\"enabled\":true,\"paused\":true,\"last_ready\":true,\"databases\":[\"core_nt\",\"swissprot\"],\"paused_databases\":[]}");
        golden(
                as(
                        "ops",
                        "PUT",
                        "/api/autowarm/clusters/elb-west?subscription_id=" + SUB + "&resource_group=rg-elb",
                        "{\"enabled\":true,\"databases\":[\"nr\"]}"),
                200,
                "{\"cluster_name\":\"elb-west\",\"subscription_id\":\"00000000-0000-4000-8000-000000000001\",\"resource_group\":\"rg-elb\",\"enabled\":true,\"paused\":false,\"last_ready\":false,\"databases\":[\"nr\"],\"paused_databases\":[]}");
        golden(
                as("ops", "PUT", "/api/autowarm/clusters/elb-west", "{\"enabled\":false}"),
                200,
                "{\"cluster_name\":\"elb-west\",\"subscription_id\":\"00000000-0000-4000-8000-000000000001\",\"resource_group\":\"rg-elb\",\"enabled\":false}");
        Answer wrong = as("alice", "GET", "/api/autowarm/clusters/elb-cluster", null);
        golden(wrong, 405, "{\"error\":\"method GET not allowed here; use PUT\"}");
        assertThat(wrong.allow()).isEqualTo("PUT");
    }

    @Test
    void the_toggles_bodies_are_strict() throws Exception {
        golden(
                as("alice", "PUT", DBS + "nr", "{\"enabled\":\"yes\"}"),
                400,
                "{\"error\":\"'enabled' must be true or false when given, but was a JSON string\"}");
        golden(
                as("alice", "PUT", DBS + "nr", "{\"enabled\":null}"),
                400,
                "{\"error\":\"'enabled' must be true or false when given, but was a JSON null\"}");
        golden(
                as("alice", "PUT", DBS + "nr", "{\"enabled\":true,\"databases\":[]}"),
                400,
                "{\"error\":\"unknown field 'databases': the body takes only enabled, paused\"}");
        golden(
                as("alice", "PUT", DBS + "nr", "{}"),
                400,
                "{\"error\":\"the body must give 'enabled' or 'paused' (or both)\"}");
        golden(
                as("alice", "PUT", DBS + "nr", "{\"enabled\":false,\"paused\":true}"),
                400,
                "{\"error\":\"'paused' means nothing with \\\"enabled\\\": false (the database is no longer listed)\"}");
        golden(
                as("ops", "PUT", "/api/autowarm/clusters/elb-cluster", "{\"paused\":true,\"databases\":[\"nr\"]}"),
                400,
                "{\"error\":\"'databases' goes with \\\"enabled\\\": true (it replaces the cluster's list)\"}");
        golden(
                as("ops", "PUT", "/api/autowarm/clusters/elb-cluster", "{\"enabled\":true,\"databases\":\"nr\"}"),
                400,
                "{\"error\":\"'databases' must be a JSON array of strings, but was a JSON string\"}");
        golden(
                as("alice", "GET", "/api/autowarm/clusters", null),
                200,
                "{\"clusters\":[{\"cluster_name\":\"elb-cluster\",\"subscription_id\":\"00000000-0000-4000-8000-000000000001\",\"resource_group\":\"rg-elb\",\"enabled\":true,\"paused\":false,\"last_ready\":true,\"databases\":[\"core_nt\",\"swissprot\"],\"paused_databases\":[]}]}");
    }

    @Test
    void the_attempts_of_one_database_newest_first() throws Exception {
        InflightKey key = new InflightKey(CLUSTER, DatabaseName.of("core_nt"));
        world.history.record(WarmAttempt.observed(key, world.clock.instant(), AttemptEvent.DISPATCHED, null));
        world.history.record(WarmAttempt.observed(
                key, world.clock.advance(Duration.ofMinutes(5)), AttemptEvent.FAILED, "image pull failed"));
        golden(
                as("alice", "GET", DBS + "core_nt/attempts", null),
                200,
                "{\"cluster_name\":\"elb-cluster\",\"subscription_id\":\"00000000-0000-4000-8000-000000000001\",\"resource_group\":\"rg-elb\",\"db\":\"core_nt\",\"attempts\":[{\"at\":\"2026-01-01T00:05:00Z\",\"event\":\"failed\",\"reason\":\"image pull failed\",\"job_name\":null},{\"at\":\"2026-01-01T00:00:00Z\",\"event\":\"dispatched\",\"reason\":null,\"job_name\":null}]}");
        golden(
                as("alice", "GET", DBS + "core_nt/attempts?limit=1", null),
                200,
                "{\"cluster_name\":\"elb-cluster\",\"subscription_id\":\"00000000-0000-4000-8000-000000000001\",\"resource_group\":\"rg-elb\",\"db\":\"core_nt\",\"attempts\":[{\"at\":\"2026-01-01T00:05:00Z\",\"event\":\"failed\",\"reason\":\"image pull failed\",\"job_name\":null}]}");
        golden(
                as("alice", "GET", DBS + "swissprot/attempts", null),
                200,
                "{\"cluster_name\":\"elb-cluster\",\"subscription_id\":\"00000000-0000-4000-8000-000000000001\",\"resource_group\":\"rg-elb\",\"db\":\"swissprot\",\"attempts\":[]}");
        golden(
                as("alice", "GET", DBS + "core_nt/attempts?limit=0", null),
                400,
                "{\"error\":\"'limit' must be between 1 and 100, but was 0\"}");
        golden(
                as("alice", "GET", DBS + "core_nt/attempts?limit=101", null),
                400,
                "{\"error\":\"'limit' must be between 1 and 100, but was 101\"}");
        golden(
                as("alice", "GET", "/api/autowarm/clusters/nowhere/databases/core_nt/attempts", null),
                404,
                "{\"error\":\"no auto-warm cluster named 'nowhere'\"}");
        golden(
                call("GET", DBS + "core_nt/attempts", List.of(), null),
                401,
                "{\"error\":\"the caller's identity is required (header X-Elb-Owner)\"}");
    }

    /** How long a test may wait for an answer. */
    protected static final Duration TIMEOUT = Duration.ofSeconds(30);
}
