package org.elb.warmkeeper.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.elb.warmkeeper.testservers.TestRedis;
import org.junit.jupiter.api.Test;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.redisson.config.Config;
import org.redisson.config.SingleServerConfig;

class RedissonClientsTest {

    @Test
    void tuned_config_fails_fast_starts_lazily_and_speaks_plain_text() {
        Config config = RedissonClients.builder("redis://10.0.0.5").toConfig();
        SingleServerConfig s = config.useSingleServer();

        assertThat(config.isLazyInitialization()).isTrue();
        assertThat(config.getCodec()).isSameAs(StringCodec.INSTANCE);
        assertThat(s.getAddress()).isEqualTo("redis://10.0.0.5:6379");
        assertThat(s.getDatabase()).isZero();
        assertThat(s.getConnectTimeout()).isEqualTo(1000);
        assertThat(s.getTimeout()).isEqualTo(1000);
        assertThat(s.getRetryAttempts()).isEqualTo(1);
        assertThat(s.getPingConnectionInterval()).isEqualTo(1000);
        assertThat(s.getClientName()).isEqualTo(RedissonClients.DEFAULT_CLIENT_NAME);
    }

    @Test
    void url_gives_host_port_database_and_credentials() {
        SingleServerConfig s = RedissonClients.builder("rediss://ops:s%3Acret@cache.example.org:6380/2")
                .toConfig()
                .useSingleServer();

        assertThat(s.getAddress()).isEqualTo("rediss://cache.example.org:6380");
        assertThat(s.getDatabase()).isEqualTo(2);
        assertThat(s.getUsername()).isEqualTo("ops");
        assertThat(s.getPassword()).isEqualTo("s:cret");
    }

    @Test
    void password_never_shows_in_to_string() {
        RedissonClients.Builder b = RedissonClients.builder("redis://:hunter2@localhost:6379/2");

        assertThat(b.toString()).doesNotContain("hunter2").contains("password=****");
    }

    @Test
    void invalid_settings_are_rejected_with_the_field_and_the_rule() {
        assertThatThrownBy(() -> RedissonClients.builder("http://localhost"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'redisUrl' must start with redis://");
        assertThatThrownBy(() -> RedissonClients.builder("redis://localhost/x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("database must be a number");
        assertThatThrownBy(() -> RedissonClients.builder("redis://localhost").responseTimeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'responseTimeout' must be positive");
        assertThatThrownBy(() -> RedissonClients.builder("redis://localhost").retryAttempts(-1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'retryAttempts' must not be negative");
        assertThatThrownBy(() -> RedissonClients.builder("redis://localhost")
                        .reconnectDelay(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'reconnectMax' must be at least");
        assertThatThrownBy(() -> RedissonInflightLock.builder(null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'client' is required");
    }

    @Test
    void creating_a_client_with_nothing_listening_does_not_throw() {
        RedissonClient client = RedissonClients.create("redis://127.0.0.1:" + TestRedis.freePort());
        try {
            assertThat(client.isShutdown()).isFalse();
        } finally {
            client.shutdown();
        }
    }

    @Test
    void lock_budget_is_validated() {
        RedissonClient client = RedissonClients.create("redis://127.0.0.1:" + TestRedis.freePort());
        try {
            assertThatThrownBy(() -> RedissonInflightLock.builder(client).budget(Duration.ofMinutes(2)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'budget' must be between 1 ms and 1 min");
            assertThat(RedissonInflightLock.builder(client)
                            .budget(Duration.ofMillis(100))
                            .build()
                            .budget())
                    .isEqualTo(Duration.ofMillis(100));
        } finally {
            client.shutdown();
        }
    }
}
