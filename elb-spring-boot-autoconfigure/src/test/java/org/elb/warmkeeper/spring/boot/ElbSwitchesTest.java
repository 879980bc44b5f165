package org.elb.warmkeeper.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.UUID;
import java.util.concurrent.Executor;
import javax.sql.DataSource;
import org.elb.warmkeeper.azure.ArmConnection;
import org.elb.warmkeeper.core.provision.ClusterProvisioner;
import org.elb.warmkeeper.core.provision.ProvisioningService;
import org.elb.warmkeeper.core.version.VersionGateService;
import org.elb.warmkeeper.core.warm.AutoWarmReconciler;
import org.elb.warmkeeper.core.warm.InflightLock;
import org.elb.warmkeeper.core.warm.WarmStatusProbe;
import org.elb.warmkeeper.inmemory.InMemoryInflightLock;
import org.elb.warmkeeper.jdbi.JdbiStore;
import org.elb.warmkeeper.k8s.KubernetesClientProvider;
import org.elb.warmkeeper.micrometer.MicrometerObserver;
import org.elb.warmkeeper.spring.boot.actuate.ElbBoot3HealthConfiguration;
import org.elb.warmkeeper.spring.boot.actuate.ElbInfoConfiguration;
import org.elb.warmkeeper.testservers.TestRedis;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.redisson.api.RedissonClient;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * Every switch ({@code elb.enabled}, {@code elb.<capability>.enabled}, {@code management.health.elb.enabled})
 * and every adapter condition (a missing adapter hidden with a {@link FilteredClassLoader}); and what the
 * library never shows the application's injection points.
 */
class ElbSwitchesTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(
                    ElbConfigurations.all(ElbBoot3HealthConfiguration.class, ElbInfoConfiguration.class)))
            .withPropertyValues(
                    "elb.autowarm.enabled=false",
                    "elb.jdbc.url=jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");

    @Test
    void by_default_every_capability_is_there() {
        runner.run(ctx -> assertThat(ctx)
                .hasNotFailed()
                .hasSingleBean(JdbiStore.class)
                .hasSingleBean(KubernetesClientProvider.class)
                .hasSingleBean(ArmConnection.class)
                .hasSingleBean(AutoWarmReconciler.class)
                .hasSingleBean(ProvisioningService.class)
                .hasSingleBean(ElbSweeping.class)
                .hasSingleBean(VersionGateService.class)
                .hasBean("elbHealthIndicator")
                .hasBean("elbInfoContributor"));
    }

    @Test
    void elb_enabled_false_defines_no_bean_of_the_library() {
        runner.withPropertyValues("elb.enabled=false", "elb.web.enabled=true")
                .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
                .run(ctx -> {
                    assertThat(ctx).hasNotFailed();
                    assertThat(ctx.getBeanDefinitionNames())
                            .filteredOn(
                                    n -> n.toLowerCase(java.util.Locale.ROOT).contains("elb"))
                            .isEmpty();
                });
    }

    @Test
    void elb_provision_enabled_false_removes_provisioning_only() {
        runner.withPropertyValues("elb.provision.enabled=false")
                .run(ctx -> assertThat(ctx)
                        .hasNotFailed()
                        .doesNotHaveBean(ProvisioningService.class)
                        .doesNotHaveBean(ClusterProvisioner.class)
                        .doesNotHaveBean(ElbSweeping.class)
                        .hasSingleBean(AutoWarmReconciler.class)
                        .hasSingleBean(VersionGateService.class));
    }

    @Test
    void elb_version_gate_enabled_false_removes_the_version_gate_only() {
        runner.withPropertyValues("elb.version-gate.enabled=false")
                .run(ctx -> assertThat(ctx)
                        .hasNotFailed()
                        .doesNotHaveBean(VersionGateService.class)
                        .hasSingleBean(ProvisioningService.class)
                        .hasSingleBean(AutoWarmReconciler.class));
    }

    @Test
    void elb_store_enabled_false_removes_the_store_and_what_needs_it() {
        runner.withPropertyValues("elb.store.enabled=false")
                .run(ctx -> assertThat(ctx)
                        .hasNotFailed()
                        .doesNotHaveBean(JdbiStore.class)
                        .doesNotHaveBean(AutoWarmReconciler.class)
                        .doesNotHaveBean(ProvisioningService.class)
                        .hasSingleBean(VersionGateService.class));
    }

    @Test
    void elb_redis_enabled_false_keeps_the_lock_in_memory_even_with_a_url() {
        runner.withPropertyValues("elb.redis.enabled=false", "elb.redis.url=" + TestRedis.url())
                .run(ctx -> {
                    assertThat(ctx).hasNotFailed().doesNotHaveBean(ElbRedisClient.class);
                    assertThat(ctx.getBean(InflightLock.class)).isInstanceOf(InMemoryInflightLock.class);
                });
    }

    @Test
    void elb_metrics_enabled_false_leaves_the_meter_registry_alone() {
        runner.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
                .withPropertyValues("elb.metrics.enabled=false")
                .run(ctx -> assertThat(ctx).hasNotFailed().doesNotHaveBean(MicrometerObserver.class));
        runner.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
                .run(ctx -> assertThat(ctx).hasSingleBean(MicrometerObserver.class));
    }

    @Test
    void management_health_elb_enabled_false_switches_the_indicators_off() {
        runner.withPropertyValues("management.health.elb.enabled=false")
                .run(ctx -> assertThat(ctx)
                        .hasNotFailed()
                        .doesNotHaveBean("elbHealthIndicator")
                        .doesNotHaveBean("elbInformersHealthIndicator"));
        runner.withPropertyValues("management.health.defaults.enabled=false")
                .run(ctx -> assertThat(ctx).doesNotHaveBean("elbHealthIndicator"));
    }

    @Test
    void without_kubernetes_there_is_no_warm_loop_and_no_version_probe_but_provisioning_stays() {
        runner.withClassLoader(new FilteredClassLoader("org.elb.warmkeeper.k8s", "io.fabric8"))
                .run(ctx -> assertThat(ctx)
                        .hasNotFailed()
                        .doesNotHaveBean(KubernetesClientProvider.class)
                        .doesNotHaveBean(WarmStatusProbe.class)
                        .doesNotHaveBean(AutoWarmReconciler.class)
                        .doesNotHaveBean(VersionGateService.class)
                        .hasSingleBean(ProvisioningService.class));
    }

    @Test
    void without_azure_there_is_no_provisioning_but_the_warm_loop_stays() {
        runner.withClassLoader(new FilteredClassLoader("org.elb.warmkeeper.azure", "com.azure"))
                .run(ctx -> {
                    assertThat(ctx)
                            .hasNotFailed()
                            .doesNotHaveBean(ArmConnection.class)
                            .doesNotHaveBean(ElbArmReadiness.class)
                            .doesNotHaveBean(ProvisioningService.class)
                            .hasSingleBean(AutoWarmReconciler.class)
                            .hasSingleBean(VersionGateService.class);
                    ctx.getBean(AutoWarmReconciler.class); // builds: readiness is the nodes' alone
                });
    }

    @Test
    void without_the_jdbi_adapter_there_is_no_store_and_nothing_that_needs_it() {
        runner.withClassLoader(new FilteredClassLoader("org.elb.warmkeeper.jdbi"))
                .run(ctx -> assertThat(ctx)
                        .hasNotFailed()
                        .doesNotHaveBean(JdbiStore.class)
                        .doesNotHaveBean(AutoWarmReconciler.class)
                        .doesNotHaveBean(ProvisioningService.class)
                        .hasSingleBean(VersionGateService.class));
    }

    @Test
    void without_redis_or_micrometer_the_defaults_stay() {
        runner.withClassLoader(new FilteredClassLoader("org.elb.warmkeeper.redis", "org.elb.warmkeeper.micrometer"))
                .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
                .run(ctx -> {
                    assertThat(ctx).hasNotFailed().doesNotHaveBean(MicrometerObserver.class);
                    assertThat(ctx.getBean(InflightLock.class)).isInstanceOf(InMemoryInflightLock.class);
                });
    }

    @Test
    void with_no_url_no_data_source_and_no_h2_the_start_fails_naming_elb_jdbc_url() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(ElbConfigurations.all()))
                .withClassLoader(new FilteredClassLoader("org.h2"))
                .withPropertyValues("elb.autowarm.enabled=false")
                .run(ctx -> assertThat(ctx)
                        .hasFailed()
                        .getFailure()
                        .rootCause()
                        .hasMessageContaining("'elb.jdbc.url' must be set")
                        .hasMessageContaining("com.h2database:h2"));
    }

    @Test
    void elb_jdbc_url_wins_over_the_applications_data_source() throws SQLException {
        JdbcDataSource app = h2("app");
        JdbcDataSource own = h2("own");
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(ElbConfigurations.all()))
                .withBean(DataSource.class, () -> app)
                .withPropertyValues("elb.autowarm.enabled=false", "elb.jdbc.url=" + own.getURL())
                .run(ctx -> {
                    ctx.getBean(JdbiStore.class);
                    assertThat(tables(own, "PUBLIC")).contains("elb_job_state");
                    assertThat(tables(app, "PUBLIC")).doesNotContain("elb_job_state");
                });
    }

    @Test
    void elb_jdbc_schema_puts_the_tables_in_that_schema_of_the_applications_database() throws SQLException {
        JdbcDataSource app = h2("app");
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(ElbConfigurations.all()))
                .withBean(DataSource.class, () -> app)
                .withPropertyValues("elb.autowarm.enabled=false", "elb.jdbc.schema=ops")
                .run(ctx -> {
                    ctx.getBean(JdbiStore.class);
                    assertThat(tables(app, "ops")).contains("elb_job_state", "elb_schema_history");
                    assertThat(tables(app, "PUBLIC")).isEmpty();
                });
    }

    @Test
    void no_bean_of_a_common_type_reaches_the_applications_injection_points() {
        runner.withPropertyValues("elb.redis.url=" + TestRedis.url()).run(ctx -> {
            assertThat(ctx).hasNotFailed();
            assertThat(ctx.getBeanNamesForType(Clock.class)).isEmpty();
            assertThat(ctx.getBeanNamesForType(RedissonClient.class)).isEmpty();
            assertThat(ctx.getBeanNamesForType(DataSource.class)).isEmpty();
            assertThat(ctx.getBeanNamesForType(Executor.class)).isEmpty();
            assertThat(ctx.getBeanNamesForType(com.fasterxml.jackson.databind.ObjectMapper.class))
                    .isEmpty();
        });
    }

    private static JdbcDataSource h2(String stem) {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:" + stem + "-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        return h2;
    }

    /** The tables of one schema, lower-cased as the store names them. */
    private static java.util.List<String> tables(DataSource ds, String schema) throws SQLException {
        java.util.List<String> out = new java.util.ArrayList<>();
        try (Connection c = ds.getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(
                        "SELECT TABLE_NAME FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_SCHEMA = '" + schema + "'")) {
            while (rs.next()) {
                out.add(rs.getString(1).toLowerCase(java.util.Locale.ROOT));
            }
        }
        return out;
    }
}
