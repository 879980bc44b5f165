package org.elb.warmkeeper.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.elb.warmkeeper.core.provision.ProvisionPolicy;
import org.elb.warmkeeper.core.provision.SweepPolicy;
import org.elb.warmkeeper.core.warm.AutoWarmReconciler;
import org.elb.warmkeeper.core.warm.WarmLoopRules;
import org.elb.warmkeeper.k8s.KubernetesClientProvider;
import org.elb.warmkeeper.redis.RedissonClients;
import org.junit.jupiter.api.Test;

/**
 * The configuration metadata an IDE completes {@code elb.*} keys from (the processor's, merged with
 * {@code additional-spring-configuration-metadata.json}): every key has a description, every key with a
 * fixed default shows it, and the tuning keys' literal defaults are the builders' own.
 */
class ElbMetadataTest {

    /** Keys whose default depends on another key or is "unset" on purpose. */
    private static final Set<String> NO_FIXED_DEFAULT = Set.of(
            "elb.autowarm.backoff-cap",
            "elb.provision.max-age",
            "elb.provision.allowed-scopes",
            "elb.jdbc.url",
            "elb.jdbc.user",
            "elb.jdbc.password",
            "elb.jdbc.schema",
            "elb.redis.url",
            "elb.kube.config",
            "elb.kube.warmup-template",
            "elb.leader.lease",
            "elb.leader.namespace",
            "elb.leader.cluster",
            "elb.azure.endpoint",
            "elb.azure.tenant",
            "elb.registry.login-server",
            "elb.clusters",
            "elb.cluster",
            "elb.image",
            "elb.openapi",
            "elb.http.admins");

    private static Map<String, JsonNode> properties() throws IOException {
        Map<String, JsonNode> out = new TreeMap<>();
        try (InputStream in = ElbMetadataTest.class
                .getClassLoader()
                .getResourceAsStream("META-INF/spring-configuration-metadata.json")) {
            assertThat(in).as("the processor's metadata").isNotNull();
            for (JsonNode p : new ObjectMapper().readTree(in).get("properties")) {
                out.put(p.get("name").asText(), p);
            }
        }
        return out;
    }

    @Test
    void every_key_has_a_description() throws IOException {
        Set<String> missing = new TreeSet<>();
        properties().forEach((name, p) -> {
            if (name.startsWith("elb.")
                    && (!p.has("description") || p.get("description").asText().isBlank())) {
                missing.add(name);
            }
        });
        assertThat(missing).as("keys without a description").isEmpty();
    }

    @Test
    void every_key_with_a_fixed_default_shows_it() throws IOException {
        Set<String> missing = new TreeSet<>();
        properties().forEach((name, p) -> {
            boolean scalar = !name.startsWith("elb.cluster.") && !NO_FIXED_DEFAULT.contains(name);
            if (name.startsWith("elb.") && scalar && !p.has("defaultValue")) {
                missing.add(name);
            }
        });
        assertThat(missing).as("keys without a default in the metadata").isEmpty();
    }

    @Test
    void the_tuning_keys_show_the_builders_defaults() throws IOException {
        Map<String, JsonNode> p = properties();
        assertThat(p.get("elb.autowarm.concurrency").get("defaultValue").asInt())
                .isEqualTo(AutoWarmReconciler.DEFAULT_CONCURRENCY);
        assertThat(duration(p, "elb.autowarm.cluster-deadline")).isEqualTo(AutoWarmReconciler.DEFAULT_CLUSTER_DEADLINE);
        assertThat(duration(p, "elb.autowarm.tick-deadline")).isEqualTo(AutoWarmReconciler.DEFAULT_TICK_DEADLINE);
        assertThat(duration(p, "elb.autowarm.stuck-loading-after"))
                .isEqualTo(WarmLoopRules.DEFAULT_STUCK_LOADING_AFTER);
        assertThat(duration(p, "elb.autowarm.shutdown-timeout")).isEqualTo(ElbScheduling.DEFAULT_SHUTDOWN_TIMEOUT);
        assertThat(duration(p, "elb.provision.retention")).isEqualTo(SweepPolicy.DEFAULT_RETENTION);
        assertThat(duration(p, "elb.kube.connect-timeout"))
                .isEqualTo(KubernetesClientProvider.Builder.DEFAULT_CONNECT_TIMEOUT);
        assertThat(duration(p, "elb.kube.request-timeout"))
                .isEqualTo(KubernetesClientProvider.Builder.DEFAULT_REQUEST_TIMEOUT);
        assertThat(duration(p, "elb.redis.connect-timeout")).isEqualTo(RedissonClients.DEFAULT_CONNECT_TIMEOUT);
        assertThat(duration(p, "elb.redis.response-timeout")).isEqualTo(RedissonClients.DEFAULT_RESPONSE_TIMEOUT);
        assertThat(p.get("elb.provision.max-nodes").get("defaultValue").asInt())
                .isEqualTo(ProvisionPolicy.DEFAULT_MAX_NODES);
        assertThat(p.get("elb.provision.max-active-per-owner")
                        .get("defaultValue")
                        .asInt())
                .isEqualTo(ProvisionPolicy.DEFAULT_MAX_ACTIVE_PER_OWNER);
        assertThat(p.get("elb.provision.owner-rate").get("defaultValue").asInt())
                .isEqualTo(ProvisionPolicy.DEFAULT_OWNER_RATE_PER_MINUTE);
        assertThat(p.get("elb.provision.max-queued").get("defaultValue").asInt())
                .isEqualTo(ProvisionPolicy.DEFAULT_MAX_QUEUED);
        ElbProperties fresh = new ElbProperties();
        assertThat(fresh.getAutowarm().getConcurrency()).isEqualTo(AutoWarmReconciler.DEFAULT_CONCURRENCY);
        assertThat(fresh.getAutowarm().getShutdownTimeout()).isEqualTo(ElbScheduling.DEFAULT_SHUTDOWN_TIMEOUT);
        assertThat(fresh.getAutowarm().isReseed()).isFalse();
    }

    @Test
    void hints_list_the_allowed_values() throws IOException {
        try (InputStream in =
                getClass().getClassLoader().getResourceAsStream("META-INF/spring-configuration-metadata.json")) {
            Set<String> hinted = new TreeSet<>();
            for (JsonNode h : new ObjectMapper().readTree(in).path("hints")) {
                hinted.add(h.get("name").asText());
            }
            assertThat(hinted)
                    .contains(
                            "elb.kube.status-source",
                            "elb.azure.auth",
                            "elb.autowarm.reseed",
                            "elb.autowarm.concurrency");
        }
    }

    private static Duration duration(Map<String, JsonNode> p, String key) {
        JsonNode d = p.get(key).get("defaultValue");
        assertThat(d).as(key + " default").isNotNull();
        return org.springframework.boot.convert.DurationStyle.detectAndParse(d.asText());
    }
}
