package org.elb.warmkeeper.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.NodeBuilder;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.elb.warmkeeper.core.warm.AutoWarmReconciler;
import org.elb.warmkeeper.core.warm.ClusterStatus;
import org.elb.warmkeeper.core.warm.TickReport;
import org.elb.warmkeeper.core.warm.WarmStatusProbe;
import org.elb.warmkeeper.k8s.Fabric8InformerWarmStatusProbe;
import org.elb.warmkeeper.k8s.Fabric8WarmStatusProbe;
import org.elb.warmkeeper.k8s.KubernetesClientProvider;
import org.elb.warmkeeper.spring.boot.actuate.ElbBoot3HealthConfiguration;
import org.elb.warmkeeper.spring.boot.actuate.ElbInfoConfiguration;
import org.elb.warmkeeper.testservers.TestKubernetes;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.actuate.info.InfoContributor;
import org.springframework.boot.actuate.info.InfoEndpoint;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** {@code /actuator/info}'s {@code elb} entry, and the informer-backed probes with their health component. */
class ElbInfoAndInformersTest {

    private static final String SUB = "00000000-0000-4000-8000-000000000001";

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(
                    ElbConfigurations.all(ElbBoot3HealthConfiguration.class, ElbInfoConfiguration.class)))
            .withPropertyValues(
                    "elb.autowarm.enabled=false",
                    "elb.provision.sweep=false",
                    "elb.azure.readiness=false",
                    "elb.jdbc.url=jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1",
                    "elb.clusters=elb-cluster",
                    "elb.cluster.elb-cluster.subscription=" + SUB,
                    "elb.cluster.elb-cluster.resource-group=rg-elb",
                    "elb.cluster.elb-cluster.databases=core_nt");

    @Test
    void info_shows_the_version_the_clusters_and_the_status_source() {
        String version = System.getProperty("elb.project.version");
        assertThat(version).as("the build passes the project version").isNotBlank();
        runner.run(ctx -> {
            Map<String, Object> info = new InfoEndpoint(ctx.getBeanProvider(InfoContributor.class)
                            .orderedStream()
                            .toList())
                    .info();
            assertThat(info)
                    .containsEntry(
                            "elb",
                            Map.of("version", version, "clusters", List.of("elb-cluster"), "statusSource", "informer"));
        });
        runner.withPropertyValues("elb.kube.status-source=list")
                .run(ctx -> assertThat(ctx.getBean("elbInfoContributor", InfoContributor.class))
                        .satisfies(c -> {
                            var b = new org.springframework.boot.actuate.info.Info.Builder();
                            c.contribute(b);
                            assertThat(b.build().getDetails().get("elb"))
                                    .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
                                    .containsEntry("statusSource", "list");
                        }));
    }

    @Test
    void informers_are_the_default_and_health_reports_each_clusters_sync() throws Exception {
        TestKubernetes kube = TestKubernetes.start();
        try {
            kube.admin()
                    .nodes()
                    .resource(new NodeBuilder()
                            .withNewMetadata()
                            .withName("node-1")
                            .endMetadata()
                            .withNewStatus()
                            .addNewCondition()
                            .withType("Ready")
                            .withStatus("True")
                            .endCondition()
                            .endStatus()
                            .build())
                    .create();
            runner.withBean(
                            KubernetesClientProvider.class,
                            () -> KubernetesClientProvider.builder(ref -> kube.config())
                                    .build())
                    .run(ctx -> {
                        assertThat(ctx).hasNotFailed().hasSingleBean(ElbInformers.class);
                        HealthIndicator informers = ctx.getBean("elbInformersHealthIndicator", HealthIndicator.class);
                        Health before = informers.health();
                        assertThat(before.getStatus()).isEqualTo(Status.UNKNOWN);
                        assertThat(before.getDetails())
                                .containsEntry(
                                        "elb-cluster", Map.of("warmStatus", "not started", "nodes", "not started"));

                        assertThat(ctx.getBean(WarmStatusProbe.class))
                                .isInstanceOf(Fabric8InformerWarmStatusProbe.class);
                        TickReport report =
                                ctx.getBean(AutoWarmReconciler.class).tick(false);
                        assertThat(report.clusters())
                                .singleElement()
                                .satisfies(o -> assertThat(o.status())
                                        .as(String.valueOf(o.detail()))
                                        .isEqualTo(ClusterStatus.TRIGGERED));
                        Health synced = informers.health();
                        assertThat(synced.getStatus()).isEqualTo(Status.UP);
                        assertThat(synced.getDetails())
                                .containsEntry("elb-cluster", Map.of("warmStatus", "synced", "nodes", "watching"));

                        kube.close(); // the API server goes away: the node watch is down
                        long lostAt = System.nanoTime();
                        long deadline = lostAt + Duration.ofSeconds(90).toNanos();
                        while (!Status.DOWN.equals(informers.health().getStatus()) && System.nanoTime() < deadline) {
                            Thread.sleep(20);
                        }
                        System.out.printf(
                                "elbInformers DOWN %d ms after the API server closed%n",
                                (System.nanoTime() - lostAt) / 1_000_000);
                        Health lost = informers.health();
                        assertThat(lost.getStatus()).isEqualTo(Status.DOWN);
                        assertThat(lost.getDetails().get("elb-cluster"))
                                .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
                                .containsEntry("nodes", "watch down");
                    });
        } finally {
            kube.close();
        }
    }

    @Test
    void the_list_source_reads_per_tick_and_has_no_informer_health() {
        TestKubernetes kube = TestKubernetes.start();
        try {
            runner.withPropertyValues("elb.kube.status-source=list")
                    .withBean(
                            KubernetesClientProvider.class,
                            () -> KubernetesClientProvider.builder(ref -> kube.config())
                                    .build())
                    .run(ctx -> {
                        assertThat(ctx).hasNotFailed().doesNotHaveBean(ElbInformers.class);
                        assertThat(ctx.containsBean("elbInformersHealthIndicator"))
                                .isFalse();
                        assertThat(ctx.getBean(WarmStatusProbe.class)).isInstanceOf(Fabric8WarmStatusProbe.class);
                    });
        } finally {
            kube.close();
        }
        runner.withPropertyValues("elb.kube.status-source=watch")
                .run(ctx -> assertThat(ctx)
                        .hasFailed()
                        .getFailure()
                        .rootCause()
                        .hasMessage("'elb.kube.status-source' must be one of informer, list, but was 'watch'"));
    }
}
