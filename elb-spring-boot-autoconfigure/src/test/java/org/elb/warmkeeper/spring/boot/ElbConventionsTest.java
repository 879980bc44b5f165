package org.elb.warmkeeper.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.elb.warmkeeper.core.cluster.ClusterRef;
import org.elb.warmkeeper.core.cluster.DatabaseName;
import org.elb.warmkeeper.core.provision.JobStateChange;
import org.elb.warmkeeper.core.provision.JobStateEvents;
import org.elb.warmkeeper.core.provision.JobStatus;
import org.elb.warmkeeper.core.provision.ProvisionAccepted;
import org.elb.warmkeeper.core.provision.ProvisionRequest;
import org.elb.warmkeeper.core.provision.ProvisioningService;
import org.elb.warmkeeper.core.provision.ProvisioningSweeper;
import org.elb.warmkeeper.core.provision.SweepPolicy;
import org.elb.warmkeeper.core.warm.AutoWarmObserver;
import org.elb.warmkeeper.core.warm.AutoWarmPreference;
import org.elb.warmkeeper.core.warm.AutoWarmPreferences;
import org.elb.warmkeeper.core.warm.AutoWarmReconciler;
import org.elb.warmkeeper.core.warm.InflightLock;
import org.elb.warmkeeper.core.warm.LeaderElection;
import org.elb.warmkeeper.core.warm.ManagedAutoWarmPreferences;
import org.elb.warmkeeper.core.warm.SchedulerLiveness;
import org.elb.warmkeeper.core.warm.WarmStatus;
import org.elb.warmkeeper.core.warm.WarmStatusProbe;
import org.elb.warmkeeper.inmemory.InMemoryInflightLock;
import org.elb.warmkeeper.inmemory.LocalJobStateEvents;
import org.elb.warmkeeper.k8s.InCluster;
import org.elb.warmkeeper.redis.RedissonInflightLock;
import org.elb.warmkeeper.redis.RedissonJobStateEvents;
import org.elb.warmkeeper.testkit.FakeClusterProvisioner;
import org.elb.warmkeeper.testkit.FakeLeaderElection;
import org.elb.warmkeeper.testkit.FakeReadinessProbe;
import org.elb.warmkeeper.testkit.InMemoryAutoWarmPreferences;
import org.elb.warmkeeper.testkit.InMemoryDatabaseInventory;
import org.elb.warmkeeper.testkit.InMemoryJobStateRepository;
import org.elb.warmkeeper.testkit.MutableClock;
import org.elb.warmkeeper.testkit.RecordingWarmupDispatcher;
import org.elb.warmkeeper.testservers.LocalArm;
import org.elb.warmkeeper.testservers.TestRedis;
import org.junit.jupiter.api.Test;
import org.redisson.api.RedissonClient;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.SmartLifecycle;

/**
 * Boot's conventions in the starter: configuration errors through the failure analyzer, preferences seeded
 * once (a restart keeps what users changed; two starters in one JVM keep their own), the schedule's
 * shutdown phase and graceful stop, and the runner's stall rule in the health reading.
 */
class ElbConventionsTest {

    private static final ClusterRef CLUSTER =
            ClusterRef.of("00000000-0000-4000-8000-000000000001", "rg-elb", "elb-cluster");
    private static final DatabaseName CORE_NT = DatabaseName.of("core_nt");
    private static final DatabaseName SWISSPROT = DatabaseName.of("swissprot");

    private static final String[] ONE_CLUSTER = {
        "elb.autowarm.enabled=false",
        "elb.clusters=elb-cluster",
        "elb.cluster.elb-cluster.subscription=" + CLUSTER.subscriptionId(),
        "elb.cluster.elb-cluster.resource-group=rg-elb",
        "elb.cluster.elb-cluster.databases=core_nt,swissprot"
    };

    private final ApplicationContextRunner starter = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ElbConfigurations.all()))
            .withPropertyValues(ONE_CLUSTER);

    // --- configuration errors: the failure analyzer ---

    @Test
    void a_bad_value_is_analysed_with_the_key_to_change() {
        starter.withPropertyValues("elb.autowarm.concurrency=0").run(ctx -> {
            assertThat(ctx).hasFailed();
            FailureAnalysis analysis = new ElbConfigurationFailureAnalyzer().analyze(ctx.getStartupFailure());
            assertThat(analysis).isNotNull();
            assertThat(analysis.getDescription())
                    .isEqualTo("ELB Warmkeeper's configuration is invalid: 'elb.autowarm.concurrency' must be at least"
                            + " 1 (1 works on one cluster at a time), but was 0");
            assertThat(analysis.getAction())
                    .startsWith("Update 'elb.autowarm.concurrency' (environment variable ELB_AUTOWARM_CONCURRENCY)");
        });
    }

    @Test
    void a_missing_key_is_analysed_with_its_environment_variable() {
        starter.withPropertyValues("elb.clusters=elb-cluster,west").run(ctx -> {
            FailureAnalysis analysis = new ElbConfigurationFailureAnalyzer().analyze(ctx.getStartupFailure());
            assertThat(analysis).isNotNull();
            assertThat(analysis.getDescription()).contains("'elb.cluster.west.subscription' is required");
            assertThat(analysis.getAction())
                    .startsWith("Update 'elb.cluster.west.subscription' (environment variable"
                            + " ELB_CLUSTER_WEST_SUBSCRIPTION)");
        });
    }

    @Test
    void another_failure_is_left_to_boots_other_analyzers() {
        assertThat(new ElbConfigurationFailureAnalyzer().analyze(new IllegalStateException("not ours")))
                .isNull();
    }

    @Test
    void the_analyzer_is_registered_in_spring_factories() throws IOException {
        List<String> registered = new ArrayList<>();
        for (URL url : Collections.list(getClass().getClassLoader().getResources("META-INF/spring.factories"))) {
            try (InputStream in = url.openStream()) {
                String text = new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("\\\n", "");
                for (String line : text.split("\n")) {
                    if (line.startsWith("org.springframework.boot.diagnostics.FailureAnalyzer=")) {
                        for (String name : line.substring(line.indexOf('=') + 1).split(",")) {
                            registered.add(name.strip());
                        }
                    }
                }
            }
        }
        assertThat(registered).contains(ElbConfigurationFailureAnalyzer.class.getName());
    }

    // --- preferences seed once ---

    @Test
    void a_restart_keeps_what_users_changed_and_reseed_applies_the_configuration_again() {
        ApplicationContextRunner onOneStore =
                starter.withPropertyValues("elb.jdbc.url=jdbc:h2:mem:seed-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        onOneStore.run(ctx -> {
            assertThat(enabled(ctx)).containsExactly(List.of(CORE_NT, SWISSPROT));
            // what the web layer's toggles do
            ManagedAutoWarmPreferences api = (ManagedAutoWarmPreferences) ctx.getBean(AutoWarmPreferences.class);
            api.disableDatabase(CLUSTER, SWISSPROT);
        });
        onOneStore.run(ctx -> {
            assertThat(enabled(ctx)).as("after a restart").containsExactly(List.of(CORE_NT));
            ((ManagedAutoWarmPreferences) ctx.getBean(AutoWarmPreferences.class)).disableCluster(CLUSTER);
        });
        onOneStore.run(
                ctx -> assertThat(enabled(ctx)).as("turned off stays off").isEmpty());
        onOneStore
                .withPropertyValues("elb.autowarm.reseed=true")
                .run(ctx -> assertThat(enabled(ctx)).as("re-seeded").containsExactly(List.of(CORE_NT, SWISSPROT)));
    }

    @Test
    void two_starters_in_one_jvm_keep_their_own_store() {
        // neither has elb.jdbc.url nor a DataSource: each gets an in-memory store
        starter.run(first -> starter.run(second -> {
            ((ManagedAutoWarmPreferences) first.getBean(AutoWarmPreferences.class)).disableCluster(CLUSTER);
            assertThat(enabled(first)).isEmpty();
            assertThat(enabled(second)).containsExactly(List.of(CORE_NT, SWISSPROT));
        }));
    }

    private static List<List<DatabaseName>> enabled(ConfigurableApplicationContext ctx) {
        return ctx.getBean(AutoWarmPreferences.class).enabledClusters().stream()
                .map(AutoWarmPreference::databases)
                .toList();
    }

    // --- Redis from Boot's connection details ---

    /** Boot 3.5's details of one server (what spring.data.redis.* or a @ServiceConnection gives). */
    private static org.springframework.boot.autoconfigure.data.redis.RedisConnectionDetails details(
            TestRedis.Target target) {
        return new org.springframework.boot.autoconfigure.data.redis.RedisConnectionDetails() {
            @Override
            public Standalone getStandalone() {
                return Standalone.of(target.host(), target.port(), target.database());
            }
        };
    }

    @Test
    void boots_redis_connection_details_carry_the_lock_and_the_events() {
        TestRedis.Target target = TestRedis.shared();
        starter.withBean(
                        org.springframework.boot.autoconfigure.data.redis.RedisConnectionDetails.class,
                        () -> details(target))
                .withPropertyValues("elb.redis.response-timeout=3s")
                .run(ctx -> {
                    assertThat(ctx).hasNotFailed().hasSingleBean(ElbRedisClient.class);
                    assertThat(ctx).as("the library's client is private").doesNotHaveBean(RedissonClient.class);
                    assertThat(ctx.getBean(InflightLock.class)).isInstanceOf(RedissonInflightLock.class);
                    assertThat(ctx.getBean(JobStateEvents.class)).isInstanceOf(RedissonJobStateEvents.class);
                    RedissonClient client = ctx.getBean(ElbRedisClient.class).client();
                    assertThat(client.getConfig().useSingleServer().getAddress())
                            .isEqualTo("redis://" + target.host() + ":" + target.port());
                    assertThat(client.getConfig().useSingleServer().getDatabase())
                            .isEqualTo(target.database());
                    assertThat(client.getConfig().useSingleServer().getTimeout())
                            .isEqualTo(3000);
                    assertThat(client.getBucket("elb:conventions:ping").isExists())
                            .isFalse();
                });
    }

    @Test
    void elb_redis_url_wins_over_boots_connection_details() {
        TestRedis.Target target = TestRedis.shared();
        starter.withBean(
                        org.springframework.boot.autoconfigure.data.redis.RedisConnectionDetails.class,
                        () -> details(new TestRedis.Target("198.51.100.7", 6390, 3)))
                .withPropertyValues("elb.redis.url=" + target.url())
                .run(ctx -> assertThat(ctx.getBean(ElbRedisClient.class)
                                .client()
                                .getConfig()
                                .useSingleServer()
                                .getAddress())
                        .isEqualTo("redis://" + target.host() + ":" + target.port()));
    }

    @Test
    void an_elb_redisson_customizer_tunes_the_starters_client() {
        TestRedis.Target target = TestRedis.shared();
        starter.withPropertyValues("elb.redis.url=" + target.url())
                .withBean(ElbRedissonCustomizer.class, () -> b -> b.responseTimeout(Duration.ofMillis(1234)))
                .run(ctx -> assertThat(ctx.getBean(ElbRedisClient.class)
                                .client()
                                .getConfig()
                                .useSingleServer()
                                .getTimeout())
                        .isEqualTo(1234));
    }

    @Test
    void without_redis_job_state_events_stay_in_the_process() {
        starter.run(ctx -> {
            JobStateEvents events = ctx.getBean(JobStateEvents.class);
            assertThat(events).isInstanceOf(LocalJobStateEvents.class);
            List<JobStateChange> heard = new java.util.concurrent.CopyOnWriteArrayList<>();
            events.subscribe(heard::add);
            ProvisioningService provisioning = ctx.getBean(ProvisioningService.class);
            assertThat(provisioning).isNotNull();
            JobStateChange change = new JobStateChange(
                    org.elb.warmkeeper.core.provision.JobId.random(),
                    ProvisioningService.JOB_TYPE,
                    org.elb.warmkeeper.core.cluster.OwnerId.of("owner-a"),
                    org.elb.warmkeeper.core.provision.JobStatus.RUNNING,
                    null,
                    null,
                    1,
                    java.time.Instant.parse("2026-01-01T00:00:00Z"));
            events.publish(change);
            assertThat(heard).containsExactly(change);
        });
    }

    // --- customizers: each called on its builder after the properties; the application's own bean wins ---

    @Test
    void an_elb_reconciler_customizer_tunes_the_reconciler_after_the_properties() {
        AtomicInteger calls = new AtomicInteger();
        AtomicInteger tasks = new AtomicInteger();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            starter.withUserConfiguration(ElbAutoConfigurationTest.FakePorts.class)
                    .withPropertyValues("elb.autowarm.concurrency=2", "elb.autowarm.cluster-deadline=20s")
                    .withBean(ElbReconcilerCustomizer.class, () -> b -> {
                        calls.incrementAndGet();
                        b.executor(r -> {
                            tasks.incrementAndGet();
                            pool.execute(r);
                        });
                    })
                    .run(ctx -> {
                        ctx.getBean(AutoWarmReconciler.class).tick(false);
                        assertThat(calls).hasValue(1);
                        assertThat(tasks.get())
                                .as("port calls ran on the customizer's executor")
                                .isPositive();
                    });
        } finally {
            pool.shutdownNow();
        }
        calls.set(0);
        starter.withUserConfiguration(ElbAutoConfigurationTest.FakePorts.class)
                .withBean(ElbReconcilerCustomizer.class, () -> b -> calls.incrementAndGet())
                .withBean(
                        "myReconciler",
                        AutoWarmReconciler.class,
                        () -> reconciler(probe(new CountDownLatch(0), new CountDownLatch(1))))
                .run(ctx -> {
                    assertThat(ctx).hasSingleBean(AutoWarmReconciler.class);
                    assertThat(ctx.getBean(AutoWarmReconciler.class)).isSameAs(ctx.getBean("myReconciler"));
                    assertThat(calls)
                            .as("the application's reconciler is not customized")
                            .hasValue(0);
                });
    }

    @Test
    void an_elb_scheduler_customizer_tunes_each_schedule_started() {
        AtomicInteger calls = new AtomicInteger();
        starter.withUserConfiguration(ElbAutoConfigurationTest.FakePorts.class)
                .withPropertyValues(
                        "elb.autowarm.enabled=true", "elb.autowarm.interval=1h", "elb.autowarm.shutdown-timeout=3s")
                .withBean(ElbSchedulerCustomizer.class, () -> b -> {
                    calls.incrementAndGet();
                    b.threadName("elb-custom-tick");
                })
                .run(ctx -> {
                    ElbScheduling scheduling = ctx.getBean(ElbScheduling.class);
                    assertThat(scheduling.shutdownTimeout()).isEqualTo(Duration.ofSeconds(3));
                    ready(scheduling);
                    assertThat(calls).hasValue(1);
                    await().atMost(Duration.ofSeconds(20))
                            .until(() -> scheduling.scheduler().orElseThrow().completedTicks() == 1);
                    scheduling.stop();
                    scheduling.start();
                    assertThat(calls)
                            .as("a restarted schedule is customized again")
                            .hasValue(2);
                });
    }

    @Test
    void an_elb_store_customizer_tunes_the_store() {
        String url = "jdbc:h2:mem:custom-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
        starter.withPropertyValues("elb.jdbc.url=" + url)
                .withBean(ElbStoreCustomizer.class, () -> b -> b.tablePrefix("custom_"))
                .run(ctx -> {
                    assertThat(enabled(ctx)).containsExactly(List.of(CORE_NT, SWISSPROT));
                    try (var c = java.sql.DriverManager.getConnection(url);
                            var rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM custom_autowarm_cluster")) {
                        rs.next();
                        assertThat(rs.getInt(1)).isEqualTo(1);
                    }
                });
    }

    @Test
    void an_elb_provisioning_customizer_and_an_elb_sweep_customizer_tune_their_builders() {
        AtomicInteger provisioning = new AtomicInteger();
        AtomicInteger sweeps = new AtomicInteger();
        starter.withBean(ElbProvisioningCustomizer.class, () -> b -> {
                    provisioning.incrementAndGet();
                    b.tenant("contoso-tenant");
                })
                .withBean(ElbSweepCustomizer.class, () -> b -> {
                    sweeps.incrementAndGet();
                    b.interval(Duration.ofHours(1));
                })
                .withPropertyValues("elb.provision.retention=P7D", "elb.provision.max-age=PT12H")
                .run(ctx -> {
                    assertThat(ctx).hasNotFailed();
                    ctx.getBean(ProvisioningService.class);
                    assertThat(provisioning).hasValue(1);
                    ElbSweeping sweeping = ctx.getBean(ElbSweeping.class);
                    ready(sweeping);
                    assertThat(sweeps).hasValue(1);
                    sweeping.stop();
                });
        starter.withPropertyValues("elb.provision.max-age=PT1M").run(ctx -> {
            FailureAnalysis analysis = new ElbConfigurationFailureAnalyzer().analyze(ctx.getStartupFailure());
            assertThat(analysis).isNotNull();
            assertThat(analysis.getDescription()).contains("'elb.provision.max-age' must be at least");
        });
    }

    @Test
    void an_elb_kubernetes_customizer_tunes_the_clients() {
        AtomicInteger calls = new AtomicInteger();
        starter.withPropertyValues("elb.kube.request-timeout=7s")
                .withBean(ElbKubernetesCustomizer.class, () -> b -> {
                    calls.incrementAndGet();
                    b.retries(1);
                })
                .run(ctx -> {
                    assertThat(ctx.getBean(org.elb.warmkeeper.k8s.KubernetesClientProvider.class))
                            .isNotNull();
                    assertThat(calls).hasValue(1);
                });
    }

    // --- one behaviour with the runner: ARM retry, Lease placement, resume at start ---

    @Test
    void a_failing_resource_manager_is_asked_twice_as_the_runner_does_not_four_times() throws Exception {
        try (LocalArm arm = new LocalArm().failing(503)) {
            starter.withPropertyValues("elb.azure.auth=none", "elb.azure.endpoint=" + arm.base())
                    .run(ctx -> {
                        org.elb.warmkeeper.azure.ArmConnection connection =
                                ctx.getBean(org.elb.warmkeeper.azure.ArmConnection.class);
                        try {
                            org.elb.warmkeeper.azure.AksReadinessProbe.of(connection)
                                    .probe(CLUSTER);
                        } catch (RuntimeException expected) {
                            // a 503 after the retry: down, unknown or an exception, as the probe reports it
                        }
                        assertThat(arm.count("GET "))
                                .as("the first call and ArmRetry's one retry")
                                .isEqualTo(2);
                    });
        }
    }

    @Test
    void the_lease_goes_to_the_pods_own_cluster_unless_a_cluster_is_named() {
        ElbProperties p = new ElbProperties();
        p.setClusters(List.of("elb-cluster"));
        ElbProperties.Cluster c = new ElbProperties.Cluster();
        c.setSubscription(CLUSTER.subscriptionId());
        c.setResourceGroup("rg-elb");
        p.setCluster(Map.of("elb-cluster", c));
        p.getLeader().setLease("elb-warmkeeper");
        Optional<InCluster> pod = Optional.of(new InCluster("elb-system"));

        var inPod = ElbKubernetesAutoConfiguration.LeasePlacement.of(ElbSettings.of(p), pod);
        assertThat(inPod.cluster()).isNull();
        assertThat(inPod.namespace()).isEqualTo("elb-system");

        var outside = ElbKubernetesAutoConfiguration.LeasePlacement.of(ElbSettings.of(p), Optional.empty());
        assertThat(outside.cluster()).isNotNull();
        assertThat(outside.cluster().ref()).isEqualTo(CLUSTER);
        assertThat(outside.namespace()).isEqualTo("default");

        p.getLeader().setCluster("elb-cluster");
        p.getLeader().setNamespace("leases");
        var named = ElbKubernetesAutoConfiguration.LeasePlacement.of(ElbSettings.of(p), pod);
        assertThat(named.cluster()).isNotNull();
        assertThat(named.namespace()).isEqualTo("leases");
    }

    @Test
    void unfinished_provisions_are_resumed_once_the_replica_leads_after_start() {
        MutableClock clock = MutableClock.start();
        InMemoryJobStateRepository jobs = new InMemoryJobStateRepository();
        FakeClusterProvisioner before = new FakeClusterProvisioner();
        ProvisionAccepted stale = ProvisioningService.builder(jobs, before)
                .clock(clock)
                .build()
                .provision(
                        org.elb.warmkeeper.core.cluster.OwnerId.of("alice"),
                        new ProvisionRequest(CLUSTER, "koreacentral", "Standard_E32s_v5", 3, null));
        before.start(stale.taskId());
        clock.advance(Duration.ofMinutes(16));
        ProvisioningService restarted = ProvisioningService.builder(jobs, new FakeClusterProvisioner())
                .clock(clock)
                .build();
        FakeLeaderElection leader = new FakeLeaderElection(false);
        ElbSweeping sweeping = new ElbSweeping(
                () -> ProvisioningSweeper.builder(restarted).interval(Duration.ofHours(1)),
                SweepPolicy.forResumeWindow(Duration.ofMinutes(15)),
                leader,
                () -> restarted,
                Duration.ofMinutes(15));
        try {
            ready(sweeping);
            assertThat(sweeping.resumed()).as("a follower does not resume").isFalse();
            leader.setLeader(true);
            await().atMost(Duration.ofSeconds(20)).until(sweeping::resumed);
            assertThat(jobs.get(stale.jobId()).orElseThrow().status()).isEqualTo(JobStatus.FAILED);
        } finally {
            sweeping.stop();
        }
    }

    // --- the schedule's shutdown ---

    @Test
    void ticking_stops_in_boots_graceful_shutdown_phase() {
        ElbScheduling scheduling =
                scheduling(probe(new CountDownLatch(0), new CountDownLatch(1)), Duration.ofSeconds(10));
        assertThat(scheduling.getPhase()).isEqualTo(SmartLifecycle.DEFAULT_PHASE - 1024);
        assertThat(scheduling.isAutoStartup()).isTrue();
    }

    @Test
    void a_stop_lets_the_running_tick_end_then_calls_back() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        CountDownLatch entered = new CountDownLatch(1);
        ElbScheduling scheduling = scheduling(probe(gate, entered), Duration.ofMinutes(1));
        ready(scheduling);
        assertThat(entered.await(20, TimeUnit.SECONDS)).isTrue();
        CountDownLatch stopped = new CountDownLatch(1);

        scheduling.stop(stopped::countDown);

        assertThat(scheduling.isRunning()).as("no new tick is scheduled").isFalse();
        assertThat(stopped.getCount()).as("the running tick holds the callback").isEqualTo(1);
        gate.countDown();
        assertThat(stopped.await(20, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void a_tick_past_the_shutdown_timeout_is_interrupted_and_the_phase_goes_on() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        CountDownLatch entered = new CountDownLatch(1);
        ElbScheduling scheduling = scheduling(probe(gate, entered), Duration.ofMillis(100));
        try {
            ready(scheduling);
            assertThat(entered.await(20, TimeUnit.SECONDS)).isTrue();
            CountDownLatch stopped = new CountDownLatch(1);
            scheduling.stop(stopped::countDown);
            assertThat(stopped.await(20, TimeUnit.SECONDS))
                    .as("called back while the tick is still blocked")
                    .isTrue();
            assertThat(gate.getCount()).isEqualTo(1);
        } finally {
            gate.countDown();
        }
    }

    @Test
    void a_lifecycle_start_after_a_stop_ticks_again_but_not_before_the_application_is_ready() {
        ElbScheduling scheduling =
                scheduling(probe(new CountDownLatch(0), new CountDownLatch(1)), Duration.ofSeconds(10));
        scheduling.start();
        assertThat(scheduling.isRunning()).as("not ready yet").isFalse();
        ready(scheduling);
        assertThat(scheduling.isRunning()).isTrue();
        scheduling.stop();
        assertThat(scheduling.isRunning()).isFalse();
        scheduling.start();
        assertThat(scheduling.isRunning()).isTrue();
        scheduling.stop();
    }

    // --- health: the runner's stall rule ---

    @Test
    void health_says_down_once_no_tick_moved_for_two_intervals_and_the_grace() {
        MutableClock clock = MutableClock.start();
        ElbScheduling scheduling = new ElbScheduling(
                () -> reconciler(probe(new CountDownLatch(0), new CountDownLatch(1))),
                LeaderElection.ALWAYS,
                Duration.ofHours(1),
                Duration.ofSeconds(10),
                AutoWarmObserver.NOOP,
                clock,
                b -> {});
        starter.withBean(ElbScheduling.class, () -> scheduling).run(ctx -> {
            ready(scheduling);
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> scheduling.scheduler().orElseThrow().completedTicks() == 1);
            ElbHealth health = ctx.getBean(ElbHealth.class);
            assertThat(health.read().up()).isTrue();
            assertThat(health.read().details().get("scheduler")).asString().startsWith("ticking every PT1H: 1 tick(s)");

            clock.advance(Duration.ofHours(2).plus(SchedulerLiveness.DEFAULT_GRACE));
            assertThat(health.read().up()).as("at the limit").isTrue();
            clock.advance(Duration.ofSeconds(1));
            ElbHealth.Reading stalled = health.read();
            assertThat(stalled.up()).isFalse();
            assertThat(stalled.details().get("scheduler"))
                    .asString()
                    .startsWith("down: no tick for PT2H5M1S (every PT1H)");
            scheduling.stop();
        });
    }

    private static ElbScheduling scheduling(WarmStatusProbe probe, Duration shutdownTimeout) {
        return new ElbScheduling(
                () -> reconciler(probe),
                LeaderElection.ALWAYS,
                Duration.ofHours(1),
                shutdownTimeout,
                AutoWarmObserver.NOOP,
                java.time.Clock.systemUTC(),
                b -> {});
    }

    private static void ready(ApplicationListener<ApplicationReadyEvent> scheduling) {
        scheduling.onApplicationEvent(new ApplicationReadyEvent(
                new org.springframework.boot.SpringApplication(),
                new String[0],
                new org.springframework.context.support.GenericApplicationContext(),
                Duration.ZERO));
    }

    /** A status probe that waits for {@code gate} (at most 60 s), after counting down {@code entered}. */
    private static WarmStatusProbe probe(CountDownLatch gate, CountDownLatch entered) {
        return (cluster, dbs) -> {
            entered.countDown();
            try {
                gate.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return Map.of(CORE_NT, WarmStatus.READY);
        };
    }

    private static AutoWarmReconciler reconciler(WarmStatusProbe probe) {
        return AutoWarmReconciler.builder(
                        new InMemoryAutoWarmPreferences().put(new AutoWarmPreference(CLUSTER, List.of(CORE_NT), true)),
                        new InMemoryDatabaseInventory().markDownloaded(CLUSTER, CORE_NT),
                        probe,
                        InMemoryInflightLock.create(java.time.Clock.systemUTC()),
                        new RecordingWarmupDispatcher())
                .readiness(new FakeReadinessProbe())
                .clusterDeadline(Duration.ofMinutes(2))
                .tickDeadline(Duration.ofMinutes(3))
                .build();
    }
}
