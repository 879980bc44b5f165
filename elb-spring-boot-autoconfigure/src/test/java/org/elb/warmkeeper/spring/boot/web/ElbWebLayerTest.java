package org.elb.warmkeeper.spring.boot.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.elb.warmkeeper.core.cluster.ClusterRef;
import org.elb.warmkeeper.core.provision.ProvisioningService;
import org.elb.warmkeeper.core.version.VersionGateService;
import org.elb.warmkeeper.core.warm.AutoWarmPreference;
import org.elb.warmkeeper.core.warm.AutoWarmPreferences;
import org.elb.warmkeeper.core.warm.AutoWarmReconciler;
import org.elb.warmkeeper.spring.boot.ElbConfigurations;
import org.elb.warmkeeper.testkit.contract.DashboardApiContract;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.test.web.servlet.request.MockMvcRequestBuilders;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.context.WebApplicationContext;
import org.springframework.web.servlet.DispatcherServlet;

/** The web layer's conditions and the caller's identity from Spring Security's principal. */
class ElbWebLayerTest {

    private static final String PROVISION = "{\"subscription_id\":\"" + DashboardApiContract.SUB
            + "\",\"resource_group\":\"rg-elb\",\"cluster_name\":\"elb-west\",\"region\":\"koreacentral\","
            + "\"vm_size\":\"Standard_E32s_v5\",\"node_count\":3}";

    private final WebApplicationContextRunner web = new WebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ElbConfigurations.all(ElbWebConfiguration.class)))
            .withPropertyValues(
                    "elb.autowarm.enabled=false",
                    "elb.provision.sweep=false",
                    "elb.jdbc.url=jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");

    /** The services of the shared golden's world, so that no adapter is built. */
    private WebApplicationContextRunner onWorld(WebApplicationContextRunner runner) {
        DashboardApiContract.World world = new DashboardApiContract.World();
        return runner.withBean(ProvisioningService.class, () -> world.provisioning)
                .withBean(VersionGateService.class, () -> world.versionGate)
                .withBean(AutoWarmReconciler.class, () -> world.reconciler);
    }

    @Test
    void absent_unless_enabled_and_absent_outside_a_servlet_application_or_without_spring_mvc() {
        web.run(ctx -> assertThat(ctx).hasNotFailed().doesNotHaveBean(ElbDashboardController.class));
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(ElbConfigurations.all(ElbWebConfiguration.class)))
                .withPropertyValues("elb.web.enabled=true", "elb.autowarm.enabled=false", "elb.provision.sweep=false")
                .run(ctx -> assertThat(ctx).hasNotFailed().doesNotHaveBean(ElbDashboard.class));
        web.withPropertyValues("elb.web.enabled=true")
                .withClassLoader(new FilteredClassLoader(DispatcherServlet.class))
                .run(ctx -> assertThat(ctx).hasNotFailed().doesNotHaveBean(ElbDashboard.class));
    }

    @Test
    void a_service_without_spring_mvc_servlet_or_security_starts_with_every_auto_configuration() throws Exception {
        String imports = new String(
                getClass()
                        .getClassLoader()
                        .getResourceAsStream(
                                "META-INF/spring/org.springframework.boot.autoconfigure.AutoConfiguration.imports")
                        .readAllBytes(),
                StandardCharsets.UTF_8);
        Class<?>[] all = imports.lines()
                .filter(l -> !l.isBlank())
                .map(l -> {
                    try {
                        return Class.forName(l.strip());
                    } catch (ClassNotFoundException e) {
                        throw new IllegalStateException(e);
                    }
                })
                .toArray(Class<?>[]::new);
        assertThat(all).contains(ElbWebConfiguration.class);
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(all))
                .withClassLoader(new FilteredClassLoader(
                        "org.springframework.web", "jakarta.servlet", "org.springframework.security"))
                .withPropertyValues(
                        "elb.web.enabled=true",
                        "elb.autowarm.enabled=false",
                        "elb.provision.sweep=false",
                        "elb.jdbc.url=jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1")
                .run(ctx -> {
                    assertThat(ctx).hasNotFailed().hasSingleBean(AutoWarmReconciler.class);
                    assertThat(ctx).doesNotHaveBean(ElbDashboard.class);
                });
    }

    @Test
    void enabled_on_the_auto_configured_services() {
        web.withPropertyValues("elb.web.enabled=true").run(ctx -> {
            assertThat(ctx).hasNotFailed().hasSingleBean(ElbDashboardController.class);
            assertThat(ctx.getBeanFactory().containsSingleton("elbAutoWarmReconciler"))
                    .as("the web layer builds no service before a request needs it")
                    .isFalse();
            MockHttpServletResponse r =
                    send(ctx, MockMvcRequestBuilders.get("/api/autowarm/status").header("X-Elb-Owner", "alice"));
            assertThat(r.getStatus()).isEqualTo(200);
            assertThat(r.getContentAsString()).isEqualTo("{\"status\":\"no_tick_yet\",\"clusters\":[]}");
            assertThat(r.getContentType()).isEqualTo("application/json");
        });
    }

    @Test
    void the_principals_claim_is_the_owner_and_the_header_is_then_not_read() {
        onWorld(web).withPropertyValues("elb.web.enabled=true").run(ctx -> {
            JwtAuthenticationToken alice = jwt("oid", "alice");
            MockHttpServletResponse accepted = send(
                    ctx,
                    MockMvcRequestBuilders.post("/api/aks/provision")
                            .principal(alice)
                            .header("X-Elb-Owner", "mallory")
                            .content(PROVISION.getBytes(StandardCharsets.UTF_8)));
            assertThat(accepted.getStatus()).as(accepted.getContentAsString()).isEqualTo(202);
            String task = accepted.getContentAsString().replaceAll("^\\{\"task_id\":\"([^\"]+)\".*$", "$1");

            assertThat(send(
                                    ctx,
                                    MockMvcRequestBuilders.get("/api/tasks/" + task)
                                            .header("X-Elb-Owner", "alice"))
                            .getStatus())
                    .as("the row is alice's")
                    .isEqualTo(200);
            assertThat(send(
                                    ctx,
                                    MockMvcRequestBuilders.get("/api/tasks/" + task)
                                            .header("X-Elb-Owner", "mallory"))
                            .getStatus())
                    .as("not the header's owner")
                    .isEqualTo(404);

            MockHttpServletResponse noClaim =
                    send(ctx, MockMvcRequestBuilders.get("/api/autowarm/status").principal(jwt("sub", "alice")));
            assertThat(noClaim.getStatus()).isEqualTo(401);
            assertThat(noClaim.getContentAsString()).isEqualTo("{\"error\":\"the principal has no 'oid' claim\"}");

            MockHttpServletResponse twice = send(
                    ctx,
                    MockMvcRequestBuilders.get("/api/autowarm/status")
                            .principal(alice)
                            .header("X-Elb-Owner", "alice", "mallory"));
            assertThat(twice.getStatus())
                    .as("a header sent twice is a 400 with a principal too")
                    .isEqualTo(400);

            MockHttpServletResponse login = send(
                    ctx,
                    MockMvcRequestBuilders.get("/api/tasks/" + task)
                            .principal(UsernamePasswordAuthenticationToken.authenticated(
                                    "alice", "n/a", java.util.List.of())));
            assertThat(login.getStatus())
                    .as("a principal without claims: its name")
                    .isEqualTo(200);
        });
    }

    @Test
    void the_owner_claim_is_configurable() {
        onWorld(web)
                .withPropertyValues("elb.web.enabled=true", "elb.http.jwt.owner-claim=upn")
                .run(ctx -> {
                    assertThat(send(
                                            ctx,
                                            MockMvcRequestBuilders.get("/api/autowarm/status")
                                                    .principal(jwt("upn", "alice@contoso")))
                                    .getStatus())
                            .isEqualTo(200);
                    assertThat(send(
                                            ctx,
                                            MockMvcRequestBuilders.get("/api/autowarm/status")
                                                    .principal(jwt("oid", "alice")))
                                    .getStatus())
                            .isEqualTo(401);
                });
    }

    @Test
    void the_toggles_and_the_attempts_on_the_starters_own_store() {
        web.withPropertyValues("elb.web.enabled=true", "elb.http.admins=ops").run(ctx -> {
            String cluster = "/api/autowarm/clusters/elb-west";
            MockHttpServletResponse on = send(
                    ctx,
                    MockMvcRequestBuilders.put(
                                    cluster + "?subscription_id=" + DashboardApiContract.SUB + "&resource_group=rg-elb")
                            .header("X-Elb-Owner", "ops")
                            .content("{\"enabled\":true,\"databases\":[\"core_nt\"]}"));
            assertThat(on.getStatus()).as(on.getContentAsString()).isEqualTo(200);
            MockHttpServletResponse paused = send(
                    ctx,
                    MockMvcRequestBuilders.put(cluster + "/databases/core_nt")
                            .header("X-Elb-Owner", "alice")
                            .content("{\"paused\":true}"));
            assertThat(paused.getStatus()).as(paused.getContentAsString()).isEqualTo(200);
            assertThat(send(
                                    ctx,
                                    MockMvcRequestBuilders.get("/api/autowarm/clusters")
                                            .header("X-Elb-Owner", "alice"))
                            .getContentAsString())
                    .as("the JDBI store keeps the change")
                    .contains("\"cluster_name\":\"elb-west\"")
                    .contains("\"paused_databases\":[\"core_nt\"]");
            MockHttpServletResponse attempts = send(
                    ctx,
                    MockMvcRequestBuilders.get(cluster + "/databases/core_nt/attempts")
                            .header("X-Elb-Owner", "alice"));
            assertThat(attempts.getStatus()).as(attempts.getContentAsString()).isEqualTo(200);
            assertThat(attempts.getContentAsString()).endsWith("\"db\":\"core_nt\",\"attempts\":[]}");
        });
    }

    @Test
    void read_only_preferences_of_the_application_have_no_toggles() {
        AutoWarmPreferences readOnly = new AutoWarmPreferences() {
            @Override
            public java.util.List<AutoWarmPreference> enabledClusters() {
                return java.util.List.of();
            }

            @Override
            public void recordReadiness(ClusterRef cluster, boolean ready) {}
        };
        web.withPropertyValues("elb.web.enabled=true")
                .withBean(AutoWarmPreferences.class, () -> readOnly)
                .run(ctx -> {
                    MockHttpServletResponse r = send(
                            ctx,
                            MockMvcRequestBuilders.get("/api/autowarm/clusters").header("X-Elb-Owner", "alice"));
                    assertThat(r.getStatus()).isEqualTo(404);
                    assertThat(r.getContentAsString())
                            .startsWith("{\"error\":\"the auto-warm toggles need preferences that can be changed");
                });
    }

    private static JwtAuthenticationToken jwt(String claim, String value) {
        return new JwtAuthenticationToken(Jwt.withTokenValue("token")
                .header("alg", "RS256")
                .claim(claim, value)
                .build());
    }

    private static MockHttpServletResponse send(WebApplicationContext ctx, MockHttpServletRequestBuilder request)
            throws Exception {
        MockMvc mvc = MockMvcBuilders.webAppContextSetup(ctx).build();
        return mvc.perform(request).andReturn().getResponse();
    }
}
