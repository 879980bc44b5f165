package org.elb.warmkeeper.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.elb.warmkeeper.core.cluster.ClusterRef;
import org.elb.warmkeeper.core.cluster.DatabaseName;
import org.elb.warmkeeper.core.provision.JobStateEvents;
import org.elb.warmkeeper.core.provision.ProvisioningService;
import org.elb.warmkeeper.core.version.VersionGateService;
import org.elb.warmkeeper.core.warm.AutoWarmPreference;
import org.elb.warmkeeper.core.warm.AutoWarmPreferences;
import org.elb.warmkeeper.core.warm.AutoWarmReconciler;
import org.elb.warmkeeper.core.warm.ClusterReadinessProbe;
import org.elb.warmkeeper.core.warm.ClusterStatus;
import org.elb.warmkeeper.core.warm.DatabaseInventory;
import org.elb.warmkeeper.core.warm.InflightLock;
import org.elb.warmkeeper.core.warm.TickReport;
import org.elb.warmkeeper.core.warm.WarmAttemptHistory;
import org.elb.warmkeeper.core.warm.WarmStatus;
import org.elb.warmkeeper.core.warm.WarmStatusProbe;
import org.elb.warmkeeper.inmemory.InMemoryInflightLock;
import org.elb.warmkeeper.inmemory.LocalJobStateEvents;
import org.elb.warmkeeper.jdbi.JdbiStore;
import org.elb.warmkeeper.jdbi.JdbiWarmAttemptHistory;
import org.elb.warmkeeper.micrometer.MicrometerObserver;
import org.elb.warmkeeper.redis.RedissonClients;
import org.elb.warmkeeper.redis.RedissonInflightLock;
import org.elb.warmkeeper.redis.RedissonJobStateEvents;
import org.elb.warmkeeper.spring.boot.actuate.ElbBoot3HealthConfiguration;
import org.elb.warmkeeper.testkit.FakeReadinessProbe;
import org.elb.warmkeeper.testkit.FakeWarmStatusProbe;
import org.elb.warmkeeper.testkit.InMemoryAutoWarmPreferences;
import org.elb.warmkeeper.testkit.InMemoryDatabaseInventory;
import org.elb.warmkeeper.testkit.RecordingWarmupDispatcher;
import org.elb.warmkeeper.testservers.TestRedis;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.redisson.api.RedissonClient;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Every condition of the auto-configuration, on Spring Boot 3.5 (the consumer builds run Boot 4.0). */
class ElbAutoConfigurationTest {

    private static final ClusterRef CLUSTER =
            ClusterRef.of("00000000-0000-4000-8000-000000000001", "rg-elb", "elb-cluster");
    private static final DatabaseName CORE_NT = DatabaseName.of("core_nt");

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ElbConfigurations.all(ElbBoot3HealthConfiguration.class)))
            .withPropertyValues(
                    "elb.autowarm.enabled=false",
                    "elb.jdbc.url=jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");

    @Test
    void properties_alone_give_every_service_with_the_in_memory_lock() {
        runner.run(ctx -> {
            assertThat(ctx).hasNotFailed();
            assertThat(ctx)
                    .hasSingleBean(AutoWarmReconciler.class)
                    .hasSingleBean(VersionGateService.class)
                    .hasSingleBean(ProvisioningService.class);
            assertThat(ctx.getBean(InflightLock.class)).isInstanceOf(InMemoryInflightLock.class);
            assertThat(ctx.getBean(JobStateEvents.class)).isInstanceOf(LocalJobStateEvents.class);
            assertThat(ctx).doesNotHaveBean(ElbScheduling.class).doesNotHaveBean(MicrometerObserver.class);
            assertThat(ctx).hasSingleBean(ElbSweeping.class);
        });
        runner.withPropertyValues("elb.provision.sweep=false")
                .run(ctx -> assertThat(ctx).doesNotHaveBean(ElbSweeping.class));
    }

    @Test
    void configured_clusters_are_seeded_into_the_store() {
        runner.withPropertyValues(
                        "elb.clusters=elb-cluster",
                        "elb.cluster.elb-cluster.subscription=" + CLUSTER.subscriptionId(),
                        "elb.cluster.elb-cluster.resource-group=rg-elb",
                        "elb.cluster.elb-cluster.databases=core_nt,swissprot")
                .run(ctx -> {
                    List<AutoWarmPreference> enabled =
                            ctx.getBean(AutoWarmPreferences.class).enabledClusters();
                    assertThat(enabled).singleElement().satisfies(p -> {
                        assertThat(p.cluster()).isEqualTo(CLUSTER);
                        assertThat(p.databases()).containsExactly(CORE_NT, DatabaseName.of("swissprot"));
                    });
                    assertThat(ctx.getBean(DatabaseInventory.class).downloaded(CLUSTER))
                            .contains(CORE_NT);
                });
    }

    @Test
    void user_ports_replace_the_defaults_and_a_tick_uses_them() {
        runner.withUserConfiguration(FakePorts.class).run(ctx -> {
            assertThat(ctx.getBean(WarmStatusProbe.class)).isInstanceOf(FakeWarmStatusProbe.class);
            TickReport report = ctx.getBean(AutoWarmReconciler.class).tick(false);
            assertThat(report.outcome(CLUSTER).orElseThrow().status()).isEqualTo(ClusterStatus.TRIGGERED);
            assertThat(ctx.getBean(RecordingWarmupDispatcher.class).enqueued()).hasSize(1);
            assertThat(ctx.getBeanFactory().containsSingleton("elbJdbiStore"))
                    .as("the default store is never built when the application gives the ports")
                    .isFalse();
            assertThat(ctx.getBeanFactory().containsSingleton("elbKubernetesClients"))
                    .isFalse();
        });
    }

    @Test
    void the_attempt_history_is_the_stores_unless_the_application_gives_the_preferences() {
        runner.run(ctx -> assertThat(ctx.getBean(WarmAttemptHistory.class)).isInstanceOf(JdbiWarmAttemptHistory.class));
        // the application's own preferences: a bounded history in process, so backoff still works
        runner.withUserConfiguration(FakePorts.class)
                .run(ctx -> assertThat(ctx.getBean(WarmAttemptHistory.class))
                        .isNotSameAs(WarmAttemptHistory.NONE)
                        .isNotInstanceOf(JdbiWarmAttemptHistory.class));
    }

    @Test
    void the_applications_data_source_carries_the_store() {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:app-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(ElbConfigurations.all()))
                .withPropertyValues("elb.autowarm.enabled=false")
                .withBean(DataSource.class, () -> h2)
                .run(ctx -> {
                    ctx.getBean(JdbiStore.class).autoWarmPreferences().enable(CLUSTER, List.of(CORE_NT));
                    try (var c = h2.getConnection();
                            var s = c.createStatement();
                            var rs = s.executeQuery("SELECT COUNT(*) FROM elb_autowarm_cluster")) {
                        rs.next();
                        assertThat(rs.getInt(1)).isEqualTo(1);
                    }
                });
    }

    @Test
    void the_applications_redisson_client_carries_the_lock_and_the_events() {
        RedissonClient redis = RedissonClients.create(TestRedis.url());
        try {
            runner.withBean(RedissonClient.class, () -> redis).run(ctx -> {
                assertThat(ctx.getBean(InflightLock.class)).isInstanceOf(RedissonInflightLock.class);
                assertThat(ctx.getBean(JobStateEvents.class)).isInstanceOf(RedissonJobStateEvents.class);
            });
        } finally {
            redis.shutdown();
        }
    }

    @Test
    void elb_redis_url_builds_a_client_of_its_own_that_the_application_never_sees() {
        runner.withPropertyValues("elb.redis.url=" + TestRedis.url()).run(ctx -> {
            assertThat(ctx).doesNotHaveBean(RedissonClient.class).hasSingleBean(ElbRedisClient.class);
            assertThat(ctx.getBean(InflightLock.class)).isInstanceOf(RedissonInflightLock.class);
        });
    }

    @Test
    void a_meter_registry_gets_the_metrics() {
        runner.withUserConfiguration(FakePorts.class)
                .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
                .run(ctx -> {
                    assertThat(ctx).hasSingleBean(MicrometerObserver.class);
                    ctx.getBean(AutoWarmReconciler.class).tick(false);
                    assertThat(ctx.getBean(MeterRegistry.class).getMeters()).isNotEmpty();
                });
    }

    @Test
    void a_missing_cluster_key_fails_the_context_naming_it() {
        runner.withPropertyValues("elb.clusters=east")
                .run(ctx -> assertThat(ctx)
                        .hasFailed()
                        .getFailure()
                        .rootCause()
                        .hasMessage(
                                "'elb.cluster.east.subscription' is required (or ELB_CLUSTER_EAST_SUBSCRIPTION): expected the"
                                        + " cluster's Azure subscription id (a GUID)"));
    }

    @Test
    void malformed_values_fail_the_context_naming_the_key() {
        runner.withPropertyValues("elb.autowarm.interval=0s")
                .run(ctx -> assertThat(ctx)
                        .hasFailed()
                        .getFailure()
                        .rootCause()
                        .hasMessageContaining("'elb.autowarm.interval' must be a positive ISO-8601 duration"));
        runner.withPropertyValues("elb.image.BadName=v1")
                .run(ctx -> assertThat(ctx)
                        .hasFailed()
                        .getFailure()
                        .rootCause()
                        .hasMessageContaining("'elb.image.BadName' must be a service name"));
        runner.withPropertyValues("elb.azure.auth=none")
                .run(ctx -> assertThat(ctx)
                        .hasFailed()
                        .getFailure()
                        .rootCause()
                        .hasMessageContaining("'elb.azure.endpoint' must be set"));
        runner.withPropertyValues("elb.openapi.elb-openapi=not a url")
                .run(ctx -> assertThat(ctx)
                        .hasFailed()
                        .getFailure()
                        .rootCause()
                        .hasMessageContaining("'elb.openapi.elb-openapi' must be the http(s) URL"));
    }

    @Test
    void durations_take_boots_forms() {
        runner.withPropertyValues("elb.autowarm.interval=30s", "elb.autowarm.lock-ttl=PT20M")
                .run(ctx -> {
                    ElbProperties p = ctx.getBean(ElbProperties.class);
                    assertThat(p.getAutowarm().getInterval()).isEqualTo(Duration.ofSeconds(30));
                    assertThat(p.getAutowarm().getLockTtl()).isEqualTo(Duration.ofMinutes(20));
                });
    }

    @Test
    void secrets_stay_out_of_to_string() {
        ElbProperties p = new ElbProperties();
        p.getJdbc().setUrl("jdbc:postgresql://db:5432/elb?user=elb&password=s3cr3t-url");
        p.getJdbc().setPassword("s3cr3t-pw");
        p.getRedis().setUrl("redis://:r3d1s/p@w@localhost:6379/0");
        assertThat(p.toString() + p.getJdbc() + p.getRedis())
                .doesNotContain("s3cr3t")
                .doesNotContain("r3d1s")
                .doesNotContain("p@w")
                .contains("****");
    }

    @Test
    void the_scheduler_starts_when_the_application_is_ready_and_stops_with_the_context() {
        runner.withUserConfiguration(FakePorts.class)
                .withPropertyValues("elb.autowarm.enabled=true", "elb.autowarm.interval=50ms")
                .run(ctx -> {
                    ElbScheduling scheduling = ctx.getBean(ElbScheduling.class);
                    assertThat(scheduling.scheduler()).isEmpty();
                    scheduling.onApplicationEvent(new ApplicationReadyEvent(
                            new org.springframework.boot.SpringApplication(), new String[0], ctx, Duration.ZERO));
                    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                    while (scheduling.scheduler().orElseThrow().completedTicks() < 1 && System.nanoTime() < deadline) {
                        Thread.sleep(10);
                    }
                    assertThat(ctx.getBean(RecordingWarmupDispatcher.class).enqueued())
                            .isNotEmpty();
                    ctx.close();
                    assertThat(scheduling.isRunning()).isFalse();
                });
    }

    @Test
    void health_shows_store_lock_leader_and_scheduler() {
        runner.run(ctx -> {
            HealthIndicator indicator = ctx.getBean("elbHealthIndicator", HealthIndicator.class);
            var health = indicator.health();
            assertThat(health.getStatus()).isEqualTo(Status.UP);
            assertThat(health.getDetails()).containsKeys("store", "lock", "leader", "scheduler");
            assertThat(health.getDetails().get("lock")).asString().contains("single replica");
        });
    }

    @Configuration(proxyBeanMethods = false)
    static class FakePorts {
        @Bean
        AutoWarmPreferences preferences() {
            return new InMemoryAutoWarmPreferences().put(new AutoWarmPreference(CLUSTER, List.of(CORE_NT), true));
        }

        @Bean
        DatabaseInventory inventory() {
            return new InMemoryDatabaseInventory().markDownloaded(CLUSTER, CORE_NT);
        }

        @Bean
        WarmStatusProbe statusProbe() {
            return new FakeWarmStatusProbe().set(CLUSTER, CORE_NT, WarmStatus.ABSENT);
        }

        @Bean
        RecordingWarmupDispatcher dispatcher() {
            return new RecordingWarmupDispatcher();
        }

        @Bean
        ClusterReadinessProbe readiness() {
            return new FakeReadinessProbe();
        }
    }
}
