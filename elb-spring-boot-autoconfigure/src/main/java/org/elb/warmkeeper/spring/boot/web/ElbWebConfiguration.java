package org.elb.warmkeeper.spring.boot.web;

import org.elb.warmkeeper.core.provision.ProvisioningService;
import org.elb.warmkeeper.core.version.VersionGateService;
import org.elb.warmkeeper.core.warm.AutoWarmPreferences;
import org.elb.warmkeeper.core.warm.AutoWarmReconciler;
import org.elb.warmkeeper.core.warm.AutoWarmScheduler;
import org.elb.warmkeeper.core.warm.ManagedAutoWarmPreferences;
import org.elb.warmkeeper.core.warm.WarmAttemptHistory;
import org.elb.warmkeeper.spring.boot.ConditionalOnElbEnabled;
import org.elb.warmkeeper.spring.boot.ElbAutoConfiguration;
import org.elb.warmkeeper.spring.boot.ElbScheduling;
import org.elb.warmkeeper.spring.boot.ElbSettings;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;

/**
 * The dashboard's endpoints as Spring MVC controllers, off unless {@code elb.web.enabled=true}, and only
 * in a servlet web application with spring-webmvc (which stays optional: a service without it never
 * loads these classes).
 */
@AutoConfiguration(after = ElbAutoConfiguration.class)
@ConditionalOnElbEnabled
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(name = "org.springframework.web.servlet.DispatcherServlet")
@ConditionalOnProperty(prefix = "elb.web", name = "enabled", havingValue = "true")
public class ElbWebConfiguration {

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    public ElbDashboard elbDashboard(
            ObjectProvider<ProvisioningService> provisioning,
            ObjectProvider<VersionGateService> versionGate,
            ObjectProvider<AutoWarmReconciler> reconciler,
            ObjectProvider<ElbScheduling> scheduling,
            ElbSettings settings) {
        return new ElbDashboard(
                provisioning::getObject,
                versionGate::getObject,
                reconciler::getObject,
                () -> scheduling.stream()
                        .findFirst()
                        .flatMap(ElbScheduling::scheduler)
                        .flatMap(AutoWarmScheduler::lastReport),
                settings.admins(),
                ElbDashboard.DEFAULT_RECONCILE_WAIT);
    }

    @Bean
    @ConditionalOnMissingBean
    public ElbDashboardController elbDashboardController(
            ElbDashboard dashboard,
            ElbSettings settings,
            ObjectProvider<AutoWarmPreferences> preferences,
            ObjectProvider<WarmAttemptHistory> history) {
        return new ElbDashboardController(
                dashboard,
                new ElbCaller(
                        settings.properties().getHttp().getOwnerHeader(),
                        settings.properties().getHttp().getJwt().getOwnerClaim()),
                new ElbAutoWarmEndpoints(
                        () -> managed(preferences.getObject()),
                        () -> history.getIfAvailable(() -> WarmAttemptHistory.NONE),
                        settings.admins()));
    }

    /** The toggles change the preferences: an application's read-only {@link AutoWarmPreferences} has none. */
    private static ManagedAutoWarmPreferences managed(AutoWarmPreferences preferences) {
        if (preferences instanceof ManagedAutoWarmPreferences m) {
            return m;
        }
        throw new ElbWebProblem(
                404,
                "the auto-warm toggles need preferences that can be changed (a ManagedAutoWarmPreferences bean),"
                        + " but the application gives a "
                        + preferences.getClass().getSimpleName());
    }
}
