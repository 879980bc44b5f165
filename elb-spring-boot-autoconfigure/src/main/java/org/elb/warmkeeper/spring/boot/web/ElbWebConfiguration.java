package org.elb.warmkeeper.spring.boot.web;

import java.time.Clock;
import org.elb.warmkeeper.core.provision.JobStateEvents;
import org.elb.warmkeeper.core.provision.JobStateRepository;
import org.elb.warmkeeper.core.provision.ProvisioningService;
import org.elb.warmkeeper.core.version.ServiceName;
import org.elb.warmkeeper.core.version.VersionGateService;
import org.elb.warmkeeper.core.warm.AutoWarmPreferences;
import org.elb.warmkeeper.core.warm.AutoWarmReconciler;
import org.elb.warmkeeper.core.warm.AutoWarmScheduler;
import org.elb.warmkeeper.core.warm.ManagedAutoWarmPreferences;
import org.elb.warmkeeper.core.warm.WarmAttemptHistory;
import org.elb.warmkeeper.http.EventHub;
import org.elb.warmkeeper.http.HttpProblem;
import org.elb.warmkeeper.http.StatusPage;
import org.elb.warmkeeper.spring.boot.ConditionalOnElbEnabled;
import org.elb.warmkeeper.spring.boot.ElbAutoConfiguration;
import org.elb.warmkeeper.spring.boot.ElbProperties;
import org.elb.warmkeeper.spring.boot.ElbScheduling;
import org.elb.warmkeeper.spring.boot.ElbSettings;
import org.elb.warmkeeper.spring.boot.ElbVersion;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.web.servlet.handler.SimpleUrlHandlerMapping;

/**
 * The dashboard's endpoints as Spring MVC controllers, off unless {@code elb.web.enabled=true}, and only
 * in a servlet web application with spring-webmvc (which stays optional: a service without it never
 * loads these classes).
 */
@AutoConfiguration(after = ElbAutoConfiguration.class)
@ConditionalOnElbEnabled
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(name = {"org.springframework.web.servlet.DispatcherServlet", "org.elb.warmkeeper.http.EventHub"})
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
                caller(settings),
                new ElbAutoWarmEndpoints(
                        () -> managed(preferences.getObject()),
                        () -> history.getIfAvailable(() -> WarmAttemptHistory.NONE),
                        settings.admins()));
    }

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    public ElbEvents elbEvents(
            ElbDashboard dashboard,
            ElbSettings settings,
            ObjectProvider<JobStateEvents> events,
            ObjectProvider<JobStateRepository> jobs,
            ObjectProvider<ProvisioningService> provisioning) {
        ElbProperties.Http.Events e = settings.properties().getHttp().getEvents();
        EventHub.Options options = EventHub.Options.defaults()
                .withMaxStreams(e.getMaxStreams())
                .withMaxStreamsPerOwner(e.getMaxStreamsPerOwner())
                .withHeartbeat(e.getHeartbeat())
                .withBufferEvents(e.getBuffer())
                .withResumeWindow(e.getResumeWindow());
        return new ElbEvents(
                () -> events.getIfAvailable(() -> JobStateEvents.NOOP),
                jobs::getIfAvailable,
                provisioning::getObject,
                dashboard,
                Clock.systemUTC(),
                options);
    }

    @Bean
    @ConditionalOnMissingBean
    public ElbEventsController elbEventsController(ElbEvents events, ElbSettings settings, ElbDashboard dashboard) {
        return new ElbEventsController(events, caller(settings), dashboard);
    }

    /** {@code /openapi.json} and the status page, after the application's own mappings. */
    @Bean
    public SimpleUrlHandlerMapping elbPageHandlerMapping(ElbSettings settings) {
        ElbProperties.Http http = settings.properties().getHttp();
        StatusPage page = http.isPage()
                ? new StatusPage(
                        http.getIdentity() == ElbProperties.Http.Identity.HEADER
                                ? StatusPage.Identity.HEADER
                                : StatusPage.Identity.JWT,
                        http.getOwnerHeader(),
                        settings.imageTags().keySet().stream()
                                .map(ServiceName::value)
                                .sorted()
                                .toList())
                : null;
        return new ElbPageHandlers(page, true, true, ElbVersion.version()).mapping();
    }

    private static ElbCaller caller(ElbSettings settings) {
        ElbProperties.Http http = settings.properties().getHttp();
        return new ElbCaller(
                http.getIdentity() == ElbProperties.Http.Identity.HEADER ? ElbCaller.Mode.HEADER : ElbCaller.Mode.JWT,
                http.getOwnerHeader(),
                http.getJwt().getOwnerClaim());
    }

    /** The toggles change the preferences: an application's read-only {@link AutoWarmPreferences} has none. */
    private static ManagedAutoWarmPreferences managed(AutoWarmPreferences preferences) {
        if (preferences instanceof ManagedAutoWarmPreferences m) {
            return m;
        }
        throw new HttpProblem(
                404,
                "the auto-warm toggles need preferences that can be changed (a ManagedAutoWarmPreferences bean),"
                        + " but the application gives a "
                        + preferences.getClass().getSimpleName());
    }
}
