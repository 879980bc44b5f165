package org.elb.warmkeeper.spring.boot.web;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.elb.warmkeeper.core.provision.ProvisioningService;
import org.elb.warmkeeper.core.version.VersionGateService;
import org.elb.warmkeeper.core.warm.AutoWarmReconciler;
import org.elb.warmkeeper.core.warm.ManagedAutoWarmPreferences;
import org.elb.warmkeeper.core.warm.WarmAttemptHistory;
import org.elb.warmkeeper.spring.boot.ElbProperties;
import org.elb.warmkeeper.spring.boot.ElbSettings;
import org.elb.warmkeeper.testkit.contract.DashboardApiContract;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.web.servlet.context.AnnotationConfigServletWebApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.http.HttpMethod;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.mock.web.MockServletContext;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.test.web.servlet.request.MockMvcRequestBuilders;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;

/**
 * The starter's side of the dashboard golden: the Spring MVC controllers of {@code elb.web.enabled=true}
 * through MockMvc, on the same state as the runner's {@code HttpApi}; the bodies must be the same bytes.
 */
class ElbDashboardContractTest extends DashboardApiContract {

    private @Nullable AnnotationConfigServletWebApplicationContext context;
    private @Nullable MockMvc mvc;

    @Override
    protected void serve(World world) {
        AnnotationConfigServletWebApplicationContext ctx = new AnnotationConfigServletWebApplicationContext();
        ctx.setServletContext(new MockServletContext());
        ctx.getEnvironment()
                .getPropertySources()
                .addFirst(new MapPropertySource("test", Map.of("elb.web.enabled", "true")));
        ElbProperties properties = new ElbProperties();
        properties.getHttp().setAdmins(List.of("ops"));
        ctx.registerBean(ElbSettings.class, () -> ElbSettings.of(properties));
        ctx.registerBean(ProvisioningService.class, () -> world.provisioning);
        ctx.registerBean(VersionGateService.class, () -> world.versionGate);
        ctx.registerBean(AutoWarmReconciler.class, () -> world.reconciler);
        ctx.registerBean(ManagedAutoWarmPreferences.class, () -> world.preferences);
        ctx.registerBean(WarmAttemptHistory.class, () -> world.history);
        ctx.register(ElbWebConfiguration.class);
        ctx.refresh();
        context = ctx;
        mvc = MockMvcBuilders.webAppContextSetup(ctx).build();
    }

    @Override
    protected Answer call(String method, String pathAndQuery, List<String> owners, @Nullable String body)
            throws Exception {
        MockMvc m = mvc;
        if (m == null) {
            throw new IllegalStateException("not serving");
        }
        MockHttpServletRequestBuilder request =
                MockMvcRequestBuilders.request(HttpMethod.valueOf(method), pathAndQuery);
        if (!owners.isEmpty()) {
            request.header(OWNER_HEADER, owners.toArray());
        }
        if (body != null) {
            request.content(body.getBytes(StandardCharsets.UTF_8));
        }
        MockHttpServletResponse r = m.perform(request).andReturn().getResponse();
        return new Answer(r.getStatus(), r.getContentAsString(StandardCharsets.UTF_8), r.getHeader("Allow"));
    }

    @Override
    protected void stop() {
        if (context != null) {
            context.close();
        }
    }
}
