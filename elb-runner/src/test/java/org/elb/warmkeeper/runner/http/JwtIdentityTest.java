package org.elb.warmkeeper.runner.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.PlainHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.elb.warmkeeper.core.provision.ProvisioningService;
import org.elb.warmkeeper.core.version.ImageTagSource;
import org.elb.warmkeeper.core.version.VersionGateService;
import org.elb.warmkeeper.core.warm.AutoWarmReconciler;
import org.elb.warmkeeper.testkit.FakeClusterProvisioner;
import org.elb.warmkeeper.testkit.FakeDeployedVersionProbe;
import org.elb.warmkeeper.testkit.FakeImageRegistry;
import org.elb.warmkeeper.testkit.FakeWarmStatusProbe;
import org.elb.warmkeeper.testkit.InMemoryAutoWarmPreferences;
import org.elb.warmkeeper.testkit.InMemoryDatabaseInventory;
import org.elb.warmkeeper.testkit.InMemoryInflightLock;
import org.elb.warmkeeper.testkit.InMemoryJobStateRepository;
import org.elb.warmkeeper.testkit.MutableClock;
import org.elb.warmkeeper.testkit.RecordingWarmupDispatcher;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bearer-JWT identity over real HTTP, with keys the test mints: RS256 and ES256 from a JWKS file or
 * URL are accepted within the clock skew; the wrong issuer, audience, key, algorithm or time, a
 * missing owner claim and an unsigned token are a 401 that never quotes the token.
 */
class JwtIdentityTest {

    static final String ISSUER = "https://login.example.net/tenant/v2.0";
    static final String AUDIENCE = "api://elb-warmkeeper";
    static final String SUB = "00000000-0000-4000-8000-000000000001";

    static RSAKey rsa;
    static ECKey ec;
    static RSAKey stranger;

    @TempDir
    Path dir;

    final ObjectMapper json = new ObjectMapper();
    final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    final MutableClock clock = MutableClock.start();
    final InMemoryJobStateRepository jobs = new InMemoryJobStateRepository();
    HttpApi api;
    HttpServer jwksServer;

    @BeforeAll
    static void keys() throws Exception {
        rsa = new RSAKeyGenerator(2048).keyID("rsa-1").generate();
        ec = new ECKeyGenerator(Curve.P_256).keyID("ec-1").generate();
        stranger = new RSAKeyGenerator(2048).keyID("rsa-1").generate(); // same kid, other key
    }

    @AfterEach
    void stop() {
        if (api != null) {
            api.close();
        }
        if (jwksServer != null) {
            jwksServer.stop(0);
        }
    }

    void start(UnaryOperator<JwtIdentity.Builder> config) throws Exception {
        Path jwks = dir.resolve("jwks.json");
        Files.writeString(jwks, new JWKSet(List.of(rsa.toPublicJWK(), ec.toPublicJWK())).toString());
        start(config.apply(JwtIdentity.builder(ISSUER, AUDIENCE).jwksFile(jwks).clock(clock))
                .build());
    }

    void start(Identity identity) throws Exception {
        AutoWarmReconciler reconciler = AutoWarmReconciler.builder(
                        new InMemoryAutoWarmPreferences(),
                        new InMemoryDatabaseInventory(),
                        new FakeWarmStatusProbe(),
                        new InMemoryInflightLock(clock),
                        new RecordingWarmupDispatcher())
                .clock(clock)
                .build();
        ProvisioningService provisioning = ProvisioningService.builder(jobs, new FakeClusterProvisioner())
                .clock(clock)
                .build();
        VersionGateService gate = VersionGateService.builder(
                        ImageTagSource.of(Map.of()), new FakeDeployedVersionProbe(), new FakeImageRegistry())
                .build();
        api = HttpApi.builder(provisioning, reconciler, gate)
                .identity(identity)
                .port(0)
                .start();
    }

    JWTClaimsSet.Builder claims(String oid) {
        Instant now = clock.instant();
        return new JWTClaimsSet.Builder()
                .issuer(ISSUER)
                .audience(AUDIENCE)
                .subject("user-" + oid)
                .claim("oid", oid)
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plusSeconds(600)));
    }

    static String rs256(RSAKey key, JWTClaimsSet claims) throws Exception {
        SignedJWT jwt = new SignedJWT(
                new JWSHeader.Builder(JWSAlgorithm.RS256)
                        .keyID(key.getKeyID())
                        .type(JOSEObjectType.JWT)
                        .build(),
                claims);
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }

    static String es256(ECKey key, JWTClaimsSet claims) throws Exception {
        SignedJWT jwt = new SignedJWT(
                new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID()).build(), claims);
        jwt.sign(new ECDSASigner(key));
        return jwt.serialize();
    }

    HttpResponse<String> call(String method, String path, String body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + path))
                .timeout(Duration.ofSeconds(10))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> recent(String token) throws Exception {
        return call("GET", "/api/aks/recent-failed-provisions", null, "Authorization", "Bearer " + token);
    }

    void refused(String token, String why) throws Exception {
        HttpResponse<String> r = recent(token);
        assertThat(r.statusCode()).as(why + ": " + r.body()).isEqualTo(401);
        JsonNode body = json.readTree(r.body());
        assertThat(body.get("error").asText()).as(why).contains("invalid bearer token");
        assertThat(r.body())
                .as("the token is never quoted")
                .doesNotContain(token.substring(Math.max(0, token.length() - 16)));
    }

    static String provisionBody(String cluster) {
        return "{\"subscription_id\":\"" + SUB + "\",\"resource_group\":\"rg-elb\",\"cluster_name\":\"" + cluster
                + "\",\"region\":\"koreacentral\",\"vm_size\":\"Standard_E32s_v5\",\"node_count\":3}";
    }

    @Test
    void rs256_and_es256_tokens_identify_the_owner_by_oid_and_scope_the_task_endpoint() throws Exception {
        start(b -> b);
        String alice = rs256(rsa, claims("alice-oid").build());
        String bob = es256(ec, claims("bob-oid").build());

        HttpResponse<String> accepted =
                call("POST", "/api/aks/provision", provisionBody("elb-jwt"), "Authorization", "Bearer " + alice);
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        String taskId = json.readTree(accepted.body()).get("task_id").asText();
        assertThat(jobs.findByTaskId(
                        org.elb.warmkeeper.core.provision.TaskId.of(taskId),
                        org.elb.warmkeeper.core.cluster.OwnerId.of("alice-oid")))
                .isPresent();

        assertThat(call("GET", "/api/tasks/" + taskId, null, "Authorization", "Bearer " + alice)
                        .statusCode())
                .isEqualTo(200);
        assertThat(call("GET", "/api/tasks/" + taskId, null, "Authorization", "Bearer " + bob)
                        .statusCode())
                .isEqualTo(404);
    }

    @Test
    void a_gateway_header_is_not_trusted_in_jwt_mode_and_duplicates_are_a_400() throws Exception {
        start(b -> b);
        String alice = rs256(rsa, claims("alice-oid").build());

        assertThat(call("GET", "/api/aks/recent-failed-provisions", null, "X-Elb-Owner", "alice-oid")
                        .statusCode())
                .isEqualTo(401);
        assertThat(call(
                                "GET",
                                "/api/aks/recent-failed-provisions",
                                null,
                                "Authorization",
                                "Bearer " + alice,
                                "Authorization",
                                "Bearer " + alice)
                        .statusCode())
                .isEqualTo(400);
        assertThat(call(
                                "GET",
                                "/api/aks/recent-failed-provisions",
                                null,
                                "Authorization",
                                "Bearer " + alice,
                                "X-Elb-Owner",
                                "a",
                                "X-Elb-Owner",
                                "b")
                        .statusCode())
                .isEqualTo(400);
        assertThat(call("GET", "/api/aks/recent-failed-provisions", null, "Authorization", "Basic YTpi")
                        .statusCode())
                .isEqualTo(401);
    }

    @Test
    void wrong_issuer_audience_key_algorithm_time_or_claim_is_a_401() throws Exception {
        start(b -> b.clockSkew(Duration.ofSeconds(30)));
        Instant now = clock.instant();

        refused(rs256(rsa, claims("a").issuer("https://evil.example.net").build()), "issuer");
        refused(rs256(rsa, claims("a").audience("api://other").build()), "audience");
        refused(rs256(stranger, claims("a").build()), "a key not in the JWKS");
        refused(
                rs256(
                        rsa,
                        claims("a")
                                .expirationTime(Date.from(now.minusSeconds(31)))
                                .build()),
                "expired beyond the skew");
        refused(
                rs256(
                        rsa,
                        claims("a")
                                .notBeforeTime(Date.from(now.plusSeconds(120)))
                                .build()),
                "not yet valid");
        refused(rs256(rsa, claims("a").claim("oid", null).build()), "no oid");
        refused(rs256(rsa, claims("a").claim("oid", 42).build()), "oid not a string");
        refused(rs256(rsa, claims("a").expirationTime(null).build()), "no exp");

        SignedJWT hs =
                new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims("a").build());
        hs.sign(new MACSigner(new byte[32]));
        refused(hs.serialize(), "HS256");
        refused(new PlainJWT(new PlainHeader(), claims("a").build()).serialize() + "x", "alg none");
        refused("not-a-jwt", "garbage");

        assertThat(recent(rs256(
                                rsa,
                                claims("a")
                                        .expirationTime(Date.from(now.minusSeconds(20)))
                                        .build()))
                        .statusCode())
                .as("expired within the skew")
                .isEqualTo(200);
    }

    @Test
    void the_owner_claim_is_configurable() throws Exception {
        start(b -> b.ownerClaim("sub"));

        assertThat(recent(rs256(rsa, claims("alice").build())).statusCode()).isEqualTo(200);
        refused(rs256(rsa, claims("alice").subject(null).build()), "no sub");
    }

    @Test
    void keys_can_come_from_a_jwks_url() throws Exception {
        byte[] jwks = new JWKSet(List.of(rsa.toPublicJWK())).toString().getBytes(StandardCharsets.UTF_8);
        jwksServer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        jwksServer.createContext("/keys", ex -> {
            ex.getResponseHeaders().set("Content-Type", "application/json");
            ex.sendResponseHeaders(200, jwks.length);
            try (var out = ex.getResponseBody()) {
                out.write(jwks);
            }
        });
        jwksServer.start();
        start(JwtIdentity.builder(ISSUER, AUDIENCE)
                .clock(clock)
                .jwksUrl(
                        URI.create("http://127.0.0.1:" + jwksServer.getAddress().getPort() + "/keys"))
                .build());

        assertThat(recent(rs256(rsa, claims("alice").build())).statusCode()).isEqualTo(200);
        refused(es256(ec, claims("alice").build()), "a key the URL does not list");
    }

    @Test
    void an_unreachable_jwks_url_is_a_503_not_a_401() throws Exception {
        HttpServer closed = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        int port = closed.getAddress().getPort();
        closed.stop(0);
        start(JwtIdentity.builder(ISSUER, AUDIENCE)
                .clock(clock)
                .jwksUrl(URI.create("http://127.0.0.1:" + port + "/keys"))
                .build());

        HttpResponse<String> r = recent(rs256(rsa, claims("alice").build()));

        assertThat(r.statusCode()).as(r.body()).isEqualTo(503);
        assertThat(json.readTree(r.body()).get("error").asText()).contains("JWKS");
    }

    @Test
    void a_token_whose_key_id_the_jwks_does_not_list_is_refused() throws Exception {
        start(b -> b);
        RSAKey otherKid = new RSAKeyGenerator(2048).keyID("rsa-9").generate();

        refused(rs256(otherKid, claims("a").build()), "unknown kid");
    }
}
