package org.elb.warmkeeper.jdbi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ServerSocket;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.elb.warmkeeper.core.BackendUnavailableException;
import org.elb.warmkeeper.core.cluster.ClusterRef;
import org.elb.warmkeeper.core.cluster.DatabaseName;
import org.elb.warmkeeper.core.cluster.OwnerId;
import org.elb.warmkeeper.core.provision.JobId;
import org.elb.warmkeeper.core.provision.JobStoreException;
import org.elb.warmkeeper.core.provision.JobUpdate;
import org.elb.warmkeeper.core.provision.NewJob;
import org.elb.warmkeeper.core.provision.ProvisionAccepted;
import org.elb.warmkeeper.core.provision.ProvisionRequest;
import org.elb.warmkeeper.core.provision.ProvisioningService;
import org.elb.warmkeeper.core.provision.RecentFailedProvisions;
import org.elb.warmkeeper.core.provision.TaskId;
import org.elb.warmkeeper.testkit.FakeClusterProvisioner;
import org.elb.warmkeeper.testkit.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL is down (the URL names a closed port): provisioning still enqueues, recent-failed answers
 * degraded, and every port call fails with the core's typed exception, the driver's as the cause, and
 * no password anywhere in messages or {@code toString}.
 */
class DatabaseDownTest {

    private static final String PASSWORD = "s3cr3t-Pa55";
    private JdbiStore store;

    @BeforeEach
    void open() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        store = JdbiStore.builder("jdbc:postgresql://127.0.0.1:" + port + "/test?user=postgres&password=" + PASSWORD
                        + "&connectTimeout=2")
                .migrate(false)
                .build();
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void provisioning_still_enqueues_and_recent_failed_is_degraded() {
        FakeClusterProvisioner provisioner = new FakeClusterProvisioner();
        ProvisioningService service = ProvisioningService.builder(store.jobStateRepository(), provisioner)
                .clock(MutableClock.start())
                .build();
        ProvisionRequest request = new ProvisionRequest(
                ClusterRef.of("00000000-0000-4000-8000-000000000001", "rg-elb", "elb-1"),
                "koreacentral",
                "Standard_E32s_v5",
                3,
                null);

        ProvisionAccepted accepted = service.provision(OwnerId.of("alice"), request);
        RecentFailedProvisions recent = service.recentFailed(OwnerId.of("alice"), null, null);

        assertThat(provisioner.isRunning(accepted.taskId())).isTrue();
        assertThat(provisioner.request(accepted.taskId())).contains(request);
        assertThat(accepted.jobId())
                .as("the row waits for the store, it is not given up")
                .isNotNull();
        assertThat(accepted.stateRecorded()).isFalse();
        assertThat(service.pendingWrites()).isEqualTo(2); // create, stamp
        assertThat(recent.degraded()).isTrue();
        assertThat(recent.jobs()).isEmpty();
        service.close();
    }

    @Test
    void every_repository_call_fails_as_a_job_store_exception_with_the_driver_error_as_cause() {
        var repo = store.jobStateRepository();
        OwnerId alice = OwnerId.of("alice");
        Instant now = Instant.parse("2026-03-01T12:00:00Z");
        List<Runnable> calls = List.of(
                () -> repo.create(new NewJob(JobId.random(), "aks_provision", alice, Map.of(), now)),
                () -> repo.update(JobId.random(), 0, JobUpdate.clusterState("Creating"), now),
                () -> repo.get(JobId.random()),
                () -> repo.findById(JobId.random(), alice),
                () -> repo.findByTaskId(TaskId.of("task-1"), alice),
                () -> repo.recentFailed(alice, "aks_provision", now, 10),
                () -> repo.findUnfinished("aks_provision"));
        for (Runnable call : calls) {
            assertThatThrownBy(call::run)
                    .isInstanceOf(JobStoreException.class)
                    .hasRootCauseInstanceOf(java.net.ConnectException.class)
                    .satisfies(e -> {
                        assertThat(e.getMessage()).startsWith("postgresql ").doesNotContain(PASSWORD);
                        assertThat(causeChain(e)).anyMatch(c -> c instanceof SQLException);
                    });
        }
    }

    @Test
    void preferences_and_inventory_fail_as_backend_unavailable() {
        ClusterRef c = ClusterRef.of("00000000-0000-4000-8000-000000000001", "rg", "elb");
        List<Runnable> calls = List.of(
                () -> store.autoWarmPreferences().enabledClusters(),
                () -> store.autoWarmPreferences().recordReadiness(c, true),
                () -> store.autoWarmPreferences().enable(c, List.of(DatabaseName.of("core_nt"))),
                () -> store.databaseInventory().downloaded(c),
                () -> store.databaseInventory().downloaded(List.of(c)),
                () -> store.databaseInventory().markDownloaded(c, DatabaseName.of("core_nt")));
        for (Runnable call : calls) {
            assertThatThrownBy(call::run)
                    .isInstanceOf(BackendUnavailableException.class)
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain(PASSWORD));
        }
    }

    @Test
    void migrating_fails_as_backend_unavailable_and_nothing_shows_the_password() {
        assertThatThrownBy(store::migrate)
                .isInstanceOf(BackendUnavailableException.class)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(PASSWORD));
        assertThat(store.toString())
                .doesNotContain(PASSWORD)
                .doesNotContain("password")
                .contains("postgresql");
        assertThat(store.jobStateRepository().toString()).doesNotContain(PASSWORD);
    }

    @Test
    void a_dialect_read_from_an_unreachable_data_source_fails_as_backend_unavailable() {
        org.postgresql.ds.PGSimpleDataSource ds = new org.postgresql.ds.PGSimpleDataSource();
        ds.setURL("jdbc:postgresql://127.0.0.1:1/test");
        ds.setPassword(PASSWORD);
        assertThatThrownBy(() -> JdbiStore.builder(ds).build())
                .isInstanceOf(BackendUnavailableException.class)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(PASSWORD));
    }

    private static List<Throwable> causeChain(Throwable e) {
        List<Throwable> chain = new java.util.ArrayList<>();
        for (Throwable t = e; t != null && !chain.contains(t); t = t.getCause()) {
            chain.add(t);
        }
        return chain;
    }
}
