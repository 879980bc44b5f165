package org.elb.warmkeeper.spring.boot;

import org.elb.warmkeeper.azure.AcrImageRegistry;
import org.elb.warmkeeper.azure.ArmRetry;
import org.elb.warmkeeper.core.version.DeployedVersion;
import org.elb.warmkeeper.core.version.DeployedVersionProbe;
import org.elb.warmkeeper.core.version.ImageRegistry;
import org.elb.warmkeeper.core.version.ImageTagSource;
import org.elb.warmkeeper.core.version.VersionGateService;
import org.elb.warmkeeper.k8s.OpenApiDeployedVersionProbe;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The version gate: the pinned tags ({@code elb.image.<service>}), the running versions read from
 * {@code elb.openapi.<service>} (elb-adapters-k8s' OpenAPI probe, or the application's
 * {@link DeployedVersionProbe}) and, with {@code elb.registry.login-server}, the tag's presence in ACR
 * (elb-adapters-azure). Off with {@code elb.version-gate.enabled=false}.
 */
@AutoConfiguration(before = ElbAutoConfiguration.class)
@ConditionalOnElbEnabled
@ConditionalOnProperty(prefix = "elb.version-gate", name = "enabled", havingValue = "true", matchIfMissing = true)
public class ElbVersionGateAutoConfiguration {

    /** The running services' versions from {@code elb.openapi.<service>}. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(OpenApiDeployedVersionProbe.class)
    static class OpenApi {
        @Bean(destroyMethod = "close")
        @ConditionalOnMissingBean
        OpenApiDeployedVersionProbe elbOpenApiProbe(ElbSettings settings) {
            return OpenApiDeployedVersionProbe.viaUrl(settings.openApiUrls()::get)
                    .build();
        }

        @Bean
        @ConditionalOnMissingBean
        DeployedVersionProbe elbDeployedVersionProbe(ElbSettings settings, OpenApiDeployedVersionProbe probe) {
            return service -> settings.openApiUrls().containsKey(service)
                    ? probe.deployedVersion(service)
                    : DeployedVersion.unreachable("no 'elb.openapi." + service.value() + "' URL configured");
        }
    }

    /** With {@code elb.registry.login-server}: the tag must exist in that Azure Container Registry. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(AcrImageRegistry.class)
    @ConditionalOnProperty(prefix = "elb.registry", name = "login-server")
    static class Acr {
        @Bean
        @ConditionalOnMissingBean
        ImageRegistry elbImageRegistry(ElbSettings settings) {
            AcrImageRegistry.Builder b = AcrImageRegistry.builder(
                    String.valueOf(settings.properties().getRegistry().getLoginServer()));
            if (settings.plainArm()) {
                b.pipeline(ArmRetry.pipeline()); // the runner's: ARM retries and timeouts, no authentication
            }
            return b.build();
        }
    }

    /** Without a login server every tag counts as present; with one, the Azure adapter must be there. */
    @Bean
    @ConditionalOnMissingBean
    public ImageRegistry elbAnyTagImageRegistry(ElbSettings settings) {
        if (settings.properties().getRegistry().getLoginServer() != null) {
            throw new IllegalStateException(
                    "'elb.registry.login-server' is set but the Azure adapter"
                            + " (elb-adapters-azure) that reads the registry is not on the class path: add it, or remove the key");
        }
        return (service, tag) -> true;
    }

    @Bean
    @ConditionalOnMissingBean
    public ImageTagSource elbImageTagSource(ElbSettings settings) {
        return ImageTagSource.of(settings.imageTags());
    }

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnBean(DeployedVersionProbe.class)
    public VersionGateService elbVersionGateService(
            ImageTagSource tags, DeployedVersionProbe deployed, ImageRegistry registry) {
        return VersionGateService.builder(tags, deployed, registry).build();
    }
}
