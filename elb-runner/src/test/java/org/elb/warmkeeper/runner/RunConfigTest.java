package org.elb.warmkeeper.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunConfigTest {

    @Test
    void environment_overrides_the_file_by_derived_variable_name(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("elb.properties");
        Files.writeString(file, "elb.redis.url=redis://file:6379\nelb.autowarm.interval=PT2M\n");

        RunConfig config =
                RunConfig.load(file, Map.of("ELB_REDIS_URL", "redis://env:6379", "ELB_AUTOWARM_LOCK_TTL", "PT5M"));

        assertThat(config.optional("elb.redis.url")).contains("redis://env:6379");
        assertThat(config.duration("elb.autowarm.interval", Duration.ofMinutes(1)))
                .isEqualTo(Duration.ofMinutes(2));
        assertThat(config.duration("elb.autowarm.lock-ttl", Duration.ofMinutes(15)))
                .isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void errors_name_the_key_and_the_expected_form() {
        RunConfig config = RunConfig.of(Map.of("elb.autowarm.interval", "1m", "elb.http.port", "99999"));

        assertThatThrownBy(() -> config.duration("elb.autowarm.interval", Duration.ofMinutes(1)))
                .hasMessage("'elb.autowarm.interval' must be an ISO-8601 duration such as PT1M, but was '1m'");
        assertThatThrownBy(() -> config.integer("elb.http.port", 8080, 0, 65535))
                .hasMessage("'elb.http.port' must be an integer between 0 and 65535, but was '99999'");
        assertThatThrownBy(() -> config.required("elb.owner", "a caller id"))
                .hasMessage("'elb.owner' is required (or ELB_OWNER): expected a caller id");
    }

    @Test
    void secrets_never_appear_in_the_printable_view() {
        RunConfig config = RunConfig.of(Map.of(
                "elb.jdbc.password",
                "hunter2",
                "elb.redis.url",
                "redis://:s3cret@127.0.0.1:6379",
                "elb.jdbc.url",
                "jdbc:postgresql://h/db?user=u&password=pw"));

        assertThat(config.toString())
                .doesNotContain("hunter2")
                .doesNotContain("s3cret")
                .doesNotContain("=pw")
                .contains("elb.jdbc.password=****");
    }
}
