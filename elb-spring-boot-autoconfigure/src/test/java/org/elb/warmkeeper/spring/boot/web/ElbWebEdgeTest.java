package org.elb.warmkeeper.spring.boot.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.elb.warmkeeper.core.provision.JobStateEvents;
import org.elb.warmkeeper.core.provision.JobStateRepository;
import org.elb.warmkeeper.core.provision.ProvisioningService;
import org.elb.warmkeeper.core.version.VersionGateService;
import org.elb.warmkeeper.core.warm.AutoWarmReconciler;
import org.elb.warmkeeper.core.warm.ManagedAutoWarmPreferences;
import org.elb.warmkeeper.core.warm.WarmAttemptHistory;
import org.elb.warmkeeper.http.HttpProblem;
import org.elb.warmkeeper.spring.boot.ElbProperties;
import org.elb.warmkeeper.spring.boot.ElbSettings;
import org.elb.warmkeeper.testkit.InMemoryJobStateEvents;
import org.elb.warmkeeper.testkit.contract.DashboardApiContract;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.web.servlet.context.AnnotationConfigServletWebApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.http.HttpMethod;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.mock.web.MockServletContext;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.test.web.servlet.request.MockMvcRequestBuilders;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.servlet.config.annotation.DelegatingWebMvcConfiguration;

/**
 * The web layer's edge, as the runner's HTTP edge tests check it: hostile requests get no 5xx, bodies are
 * strict, a duplicated identity is a 400, only an admin adds a cluster, a state change is JSON or a 415,
 * every answer carries the security headers, the event streams are capped per owner and end with the
 * caller's token, and {@code /openapi.json} states the library's version.
 */
class ElbWebEdgeTest {

    private static final String PROVISION = "{\"subscription_id\":\"" + DashboardApiContract.SUB
            + "\",\"resource_group\":\"rg-elb\",\"cluster_name\":\"elb-west\",\"region\":\"koreacentral\","
            + "\"vm_size\":\"Standard_E32s_v5\",\"node_count\":3}";

    private final ObjectMapper json = new ObjectMapper();
    private final DashboardApiContract.World world = new DashboardApiContract.World();
    private final InMemoryJobStateEvents events = new InMemoryJobStateEvents();
    private @Nullable AnnotationConfigServletWebApplicationContext context;

    private MockMvc serve(ElbProperties.Http.Identity identity, String... keyValues) {
        AnnotationConfigServletWebApplicationContext ctx = new AnnotationConfigServletWebApplicationContext();
        ctx.setServletContext(new MockServletContext());
        ctx.getEnvironment()
                .getPropertySources()
                .addFirst(new MapPropertySource("test", Map.of("elb.web.enabled", "true")));
        ElbProperties properties = new ElbProperties();
        properties.getHttp().setAdmins(List.of("ops"));
        properties.getHttp().setIdentity(identity);
        for (int i = 0; i + 1 < keyValues.length; i += 2) {
            switch (keyValues[i]) {
                case "max-streams" ->
                    properties.getHttp().getEvents().setMaxStreams(Integer.parseInt(keyValues[i + 1]));
                case "max-streams-per-owner" ->
                    properties.getHttp().getEvents().setMaxStreamsPerOwner(Integer.parseInt(keyValues[i + 1]));
                default -> throw new IllegalArgumentException(keyValues[i]);
            }
        }
        ctx.registerBean(ElbSettings.class, () -> ElbSettings.of(properties));
        ctx.registerBean(ProvisioningService.class, () -> world.provisioning);
        ctx.registerBean(VersionGateService.class, () -> world.versionGate);
        ctx.registerBean(AutoWarmReconciler.class, () -> world.reconciler);
        ctx.registerBean(ManagedAutoWarmPreferences.class, () -> world.preferences);
        ctx.registerBean(WarmAttemptHistory.class, () -> world.history);
        ctx.registerBean(JobStateRepository.class, () -> world.jobs);
        ctx.registerBean(JobStateEvents.class, () -> events);
        ctx.register(DelegatingWebMvcConfiguration.class, ElbWebConfiguration.class);
        ctx.refresh();
        context = ctx;
        return MockMvcBuilders.webAppContextSetup(ctx).build();
    }

    @AfterEach
    void stop() {
        if (context != null) {
            context.close();
        }
    }

    private static MockHttpServletResponse send(MockMvc mvc, MockHttpServletRequestBuilder request) throws Exception {
        return mvc.perform(request).andReturn().getResponse();
    }

    private static JwtAuthenticationToken jwt(String oid, Instant expiresAt) {
        return new JwtAuthenticationToken(
                Jwt.withTokenValue("token")
                        .header("alg", "RS256")
                        .claim("oid", oid)
                        .issuedAt(expiresAt.minusSeconds(3600))
                        .expiresAt(expiresAt)
                        .build(),
                java.util.List.of());
    }

    private static JwtAuthenticationToken jwt(String oid) {
        return jwt(oid, Instant.now().plus(Duration.ofHours(1)));
    }

    private void error(MockHttpServletResponse r, int status, String words) throws Exception {
        String body = r.getContentAsString(StandardCharsets.UTF_8);
        assertThat(r.getStatus()).as(body).isEqualTo(status);
        assertThat(json.readTree(body).path("error").asText()).contains(words);
    }

    @Test
    void the_owner_header_counts_only_in_header_mode_and_twice_is_a_400_in_both() throws Exception {
        MockMvc jwtMode = serve(ElbProperties.Http.Identity.JWT);
        error(
                send(jwtMode, MockMvcRequestBuilders.get("/api/autowarm/status").header("X-Elb-Owner", "alice")),
                401,
                "an authenticated principal");
        error(
                send(
                        jwtMode,
                        MockMvcRequestBuilders.get("/api/autowarm/status")
                                .principal(jwt("alice"))
                                .header("X-Elb-Owner", "alice", "mallory")),
                400,
                "'X-Elb-Owner' header must be sent once");
        assertThat(send(
                                jwtMode,
                                MockMvcRequestBuilders.get("/api/autowarm/status")
                                        .principal(jwt("alice")))
                        .getStatus())
                .isEqualTo(200);
        stop();

        MockMvc headerMode = serve(ElbProperties.Http.Identity.HEADER);
        assertThat(send(
                                headerMode,
                                MockMvcRequestBuilders.get("/api/autowarm/status")
                                        .header("X-Elb-Owner", "alice"))
                        .getStatus())
                .isEqualTo(200);
        error(
                send(
                        headerMode,
                        MockMvcRequestBuilders.get("/api/autowarm/status").header("X-Elb-Owner", "alice", "mallory")),
                400,
                "must be sent once, but was sent 2 times");
        error(
                send(
                        headerMode,
                        MockMvcRequestBuilders.get("/api/autowarm/status").header("X-Elb-Owner", "a,b")),
                400,
                "holds a list");
    }

    @Test
    void only_the_admin_route_adds_a_cluster() throws Exception {
        MockMvc mvc = serve(ElbProperties.Http.Identity.JWT);
        String target = "/api/autowarm/clusters/elsewhere/databases/nr?subscription_id=" + DashboardApiContract.SUB
                + "&resource_group=rg-x";
        error(
                send(
                        mvc,
                        MockMvcRequestBuilders.put(target)
                                .principal(jwt("alice"))
                                .contentType("application/json")
                                .content("{\"enabled\":true}")),
                404,
                "an admin turns a cluster on");
        assertThat(world.preferences.enabledClusters()).as("nothing was added").hasSize(1);
        MockHttpServletResponse admin = send(
                mvc,
                MockMvcRequestBuilders.put("/api/autowarm/clusters/elsewhere?subscription_id="
                                + DashboardApiContract.SUB + "&resource_group=rg-x")
                        .principal(jwt("ops"))
                        .contentType("application/json")
                        .content("{\"enabled\":true,\"databases\":[\"core_nt\"]}"));
        assertThat(admin.getStatus()).as(admin.getContentAsString()).isEqualTo(200);
        MockHttpServletResponse then = send(
                mvc,
                MockMvcRequestBuilders.put(target)
                        .principal(jwt("alice"))
                        .contentType("application/json")
                        .content("{\"enabled\":true}"));
        assertThat(then.getStatus()).as(then.getContentAsString()).isEqualTo(200);
        assertThat(then.getContentAsString()).contains("\"databases\":[\"core_nt\",\"nr\"]");
    }

    @Test
    void a_state_change_is_json_or_a_415_and_bodies_are_strict() throws Exception {
        MockMvc mvc = serve(ElbProperties.Http.Identity.JWT);
        error(
                send(
                        mvc,
                        MockMvcRequestBuilders.post("/api/aks/provision")
                                .principal(jwt("alice"))
                                .contentType("text/plain")
                                .content(PROVISION)),
                415,
                "takes only application/json");
        error(
                send(
                        mvc,
                        MockMvcRequestBuilders.post("/api/aks/provision")
                                .principal(jwt("alice"))
                                .content(PROVISION)),
                415,
                "had no Content-Type");
        error(
                send(
                        mvc,
                        MockMvcRequestBuilders.put("/api/autowarm/clusters/elb-cluster/databases/nr")
                                .principal(jwt("alice"))
                                .contentType("application/x-www-form-urlencoded")
                                .content("enabled=true")),
                415,
                "takes only application/json");
        error(
                send(
                        mvc,
                        MockMvcRequestBuilders.post("/api/autowarm/reconcile")
                                .principal(jwt("alice"))
                                .contentType("text/plain")),
                415,
                "takes only application/json");
        assertThat(send(
                                mvc,
                                MockMvcRequestBuilders.post("/api/autowarm/reconcile")
                                        .principal(jwt("alice")))
                        .getStatus())
                .as("a POST without a body and a type")
                .isEqualTo(200);
        error(
                send(
                        mvc,
                        MockMvcRequestBuilders.post("/api/aks/provision")
                                .principal(jwt("alice"))
                                .contentType("application/json; charset=utf-8")
                                .content(PROVISION.replace("\"node_count\":3", "\"node_count\":3.0"))),
                400,
                "'node_count' is required and must be a JSON integer");
        error(
                send(
                        mvc,
                        MockMvcRequestBuilders.post("/api/aks/provision")
                                .principal(jwt("alice"))
                                .contentType("application/json")
                                .content(PROVISION.replace("}", ",\"region\":\"westus\"}"))),
                400,
                "not a single valid JSON object");
        MockHttpServletResponse accepted = send(
                mvc,
                MockMvcRequestBuilders.post("/api/aks/provision")
                        .principal(jwt("alice"))
                        .contentType("application/json; charset=utf-8")
                        .content(PROVISION));
        assertThat(accepted.getStatus()).as(accepted.getContentAsString()).isEqualTo(202);
    }

    @Test
    void every_answer_carries_the_security_headers() throws Exception {
        MockMvc mvc = serve(ElbProperties.Http.Identity.JWT);
        List<MockHttpServletResponse> answers = List.of(
                send(mvc, MockMvcRequestBuilders.get("/api/autowarm/status").principal(jwt("alice"))),
                send(mvc, MockMvcRequestBuilders.get("/api/autowarm/status")),
                send(mvc, MockMvcRequestBuilders.get("/api/events")),
                send(mvc, MockMvcRequestBuilders.get("/")),
                send(mvc, MockMvcRequestBuilders.get("/static/app.js")),
                send(mvc, MockMvcRequestBuilders.get("/openapi.json")),
                send(mvc, MockMvcRequestBuilders.post("/openapi.json")));
        for (MockHttpServletResponse r : answers) {
            assertThat(r.getHeader("X-Content-Type-Options"))
                    .as("%s", r.getStatus())
                    .isEqualTo("nosniff");
            assertThat(r.getHeader("X-Frame-Options")).as("%s", r.getStatus()).isEqualTo("DENY");
            assertThat(r.getHeader("Cache-Control")).as("%s", r.getStatus()).isEqualTo("no-store");
        }
        assertThat(answers.get(3).getContentAsString()).contains("<html");
        assertThat(answers.get(3).getContentType()).isEqualTo("text/html; charset=utf-8");
        assertThat(answers.get(6).getStatus()).isEqualTo(405);
    }

    @Test
    void the_api_document_states_the_librarys_version_and_every_route() throws Exception {
        MockMvc mvc = serve(ElbProperties.Http.Identity.JWT);
        JsonNode doc = json.readTree(
                send(mvc, MockMvcRequestBuilders.get("/openapi.json")).getContentAsString());
        assertThat(doc.at("/info/version").asText()).isEqualTo(System.getProperty("elb.project.version"));
        assertThat(doc.get("paths").has("/api/events")).isTrue();
        assertThat(doc.get("paths").has("/api/autowarm/clusters/{cluster}/databases/{db}/attempts"))
                .isTrue();
        assertThat(doc.at("/paths/~1api~1aks~1provision/post/responses").has("415"))
                .isTrue();
        MockHttpServletResponse config = send(mvc, MockMvcRequestBuilders.get("/page-config.json"));
        assertThat(config.getContentAsString()).startsWith("{\"identity\":\"jwt\",\"owner_header\":\"X-Elb-Owner\"");
    }

    @Test
    void event_streams_are_capped_per_owner_as_well_as_in_total() throws Exception {
        MockMvc mvc = serve(ElbProperties.Http.Identity.JWT, "max-streams", "3", "max-streams-per-owner", "2");
        List<MvcResult> open = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            open.add(stream(mvc, jwt("alice")));
        }
        MockHttpServletResponse third =
                send(mvc, MockMvcRequestBuilders.get("/api/events").principal(jwt("alice")));
        error(third, 429, "elb.http.events.max-streams-per-owner");
        assertThat(third.getHeader("Retry-After")).isEqualTo("5");

        open.add(stream(mvc, jwt("bob")));
        MockHttpServletResponse full =
                send(mvc, MockMvcRequestBuilders.get("/api/events").principal(jwt("carol")));
        error(full, 503, "elb.http.events.max-streams");
        assertThat(context.getBean(ElbEvents.class).hub().refusedStreams()).isEqualTo(2);
    }

    @Test
    void a_stream_ends_when_its_token_expires_and_carries_only_its_owners_changes() throws Exception {
        MockMvc mvc = serve(ElbProperties.Http.Identity.JWT);
        MvcResult expiring = stream(mvc, jwt("alice", Instant.now().plusSeconds(2)));
        MvcResult bobs = stream(mvc, jwt("bob"));
        assertThat(expiring.getResponse().getHeader("Content-Type")).startsWith("text/event-stream");

        MockHttpServletResponse accepted = send(
                mvc,
                MockMvcRequestBuilders.post("/api/aks/provision")
                        .principal(jwt("alice"))
                        .contentType("application/json")
                        .content(PROVISION));
        assertThat(accepted.getStatus()).isEqualTo(202);
        world.jobs
                .changedSince(org.elb.warmkeeper.core.cluster.OwnerId.of("alice"), Instant.EPOCH, 10)
                .forEach(row -> events.publish(org.elb.warmkeeper.core.provision.JobStateChange.of(row)));

        await().atMost(Duration.ofSeconds(10))
                .until(() -> expiring.getResponse().getContentAsString().contains("event: job"));
        await().atMost(Duration.ofSeconds(15))
                .until(() -> expiring.getResponse().getContentAsString().contains("event: close"));
        assertThat(expiring.getResponse().getContentAsString())
                .contains("{\"reason\":\"the caller's token expired: reconnect with a new one\"}");
        await().atMost(Duration.ofSeconds(10))
                .until(() -> context.getBean(ElbEvents.class).hub().openStreams() == 1);
        assertThat(bobs.getResponse().getContentAsString()).doesNotContain("event: job");
    }

    private static MvcResult stream(MockMvc mvc, JwtAuthenticationToken caller) throws Exception {
        MvcResult r = mvc.perform(MockMvcRequestBuilders.get("/api/events").principal(caller))
                .andReturn();
        assertThat(r.getResponse().getStatus())
                .as(r.getResponse().getContentAsString())
                .isEqualTo(200);
        assertThat(r.getRequest().isAsyncStarted()).isTrue();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> r.getResponse().getContentAsString().contains("event: ready"));
        return r;
    }

    @Test
    void hostile_requests_get_no_5xx_and_json_errors() throws Exception {
        MockMvc mvc = serve(ElbProperties.Http.Identity.HEADER);
        Random random = new Random(20);
        Map<Integer, Integer> statuses = new TreeMap<>();
        String[] methods = {"GET", "GET", "POST", "POST", "PUT", "DELETE", "PATCH"};
        String[] paths = {
            "GET /api/aks/recent-failed-provisions",
            "POST /api/aks/provision",
            "POST /api/aks/provision",
            "POST /api/aks/provision/%s/cancel",
            "GET /api/tasks/%s",
            "GET /api/tasks",
            "GET /api/autowarm/status",
            "POST /api/autowarm/reconcile",
            "GET /api/autowarm/clusters",
            "PUT /api/autowarm/clusters/%s",
            "PUT /api/autowarm/clusters/elb-cluster/databases/%s",
            "GET /api/autowarm/clusters/%s/databases/core_nt/attempts",
            "GET /api/version-gate/%s",
            "GET /api/%s",
            "GET /openapi.json",
            "GET /page-config.json"
        };
        String[] segments = {"x", "elb-cluster", "%2e%2e", "%25", "a%2Fb", "%ff", "%zz", "é", "op+1", "x".repeat(300)};
        String[] queries = {
            "",
            "?hours=1e3",
            "?limit=-1",
            "?limit=1&limit=2",
            "?mode=nuke",
            "?force=maybe",
            "?force=true",
            "?subscription_id=x",
            "?subscription_id=" + DashboardApiContract.SUB + "&resource_group=rg-elb",
            "?%zz=1",
            "?a=%00"
        };
        String[] bodies = {
            null,
            "",
            "{",
            "[]",
            "{\"enabled\":true}",
            "{\"enabled\":null}",
            "{\"paused\":\"yes\"}",
            PROVISION,
            PROVISION.replace("3}", "99999999999}"),
            "{\"a\":1,\"a\":2}",
            "\u0000\u0001"
        };
        String[] owners = {null, "alice", "ops", "a,b", " ", "x".repeat(500)};
        String[] types = {null, "application/json", "text/plain", "application/json; charset=utf-8", "nonsense"};
        int sent = 0;
        for (int i = 0; i < 1000; i++) {
            String[] route = paths[random.nextInt(paths.length)].split(" ");
            String method = random.nextInt(5) == 0 ? methods[random.nextInt(methods.length)] : route[0];
            String path = route[1].replace("%s", segments[random.nextInt(segments.length)]);
            String target = path + queries[random.nextInt(queries.length)];
            URI uri;
            try {
                uri = URI.create(target);
            } catch (IllegalArgumentException e) {
                continue;
            }
            MockHttpServletRequestBuilder request = MockMvcRequestBuilders.request(HttpMethod.valueOf(method), uri);
            String owner = owners[random.nextInt(owners.length)];
            if (owner != null) {
                request.header(
                        "X-Elb-Owner", random.nextInt(8) == 0 ? new Object[] {owner, owner} : new Object[] {owner});
            }
            String body = bodies[random.nextInt(bodies.length)];
            if (body != null) {
                request.content(body.getBytes(StandardCharsets.UTF_8));
            }
            String type = types[random.nextInt(types.length)];
            if (type != null) {
                request.header("Content-Type", type);
            }
            MockHttpServletResponse r = send(mvc, request);
            sent++;
            statuses.merge(r.getStatus(), 1, Integer::sum);
            String what = "#" + i + " " + method + " " + target + " -> " + r.getStatus() + " " + r.getContentAsString();
            assertThat(r.getStatus()).as(what).isLessThan(500);
            if (r.getStatus() >= 400 && !r.getContentAsString().isEmpty()) {
                JsonNode error = json.readTree(r.getContentAsString());
                assertThat(error.path("error").isTextual()).as(what).isTrue();
                assertThat(error.get("error").asText().length())
                        .as(what)
                        .isLessThanOrEqualTo(HttpProblem.MAX_MESSAGE + 1);
                assertThat(r.getContentAsString()).as(what).doesNotContain("Exception");
            }
        }
        assertThat(sent).isGreaterThan(800);
        assertThat(statuses).containsKeys(200, 202, 400, 401, 404, 405, 415);
        System.out.println("starter fuzz: " + sent + " requests, statuses " + statuses);
    }
}
