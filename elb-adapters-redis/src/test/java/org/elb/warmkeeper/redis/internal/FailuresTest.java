package org.elb.warmkeeper.redis.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class FailuresTest {

    @Test
    void command_parameters_and_node_details_are_cut_from_log_descriptions() {
        String d = Failures.describe(
                new IllegalStateException(
                        "Unable to write command into connection! Node source: NodeSource [slot=0], command: (AUTH), params: [s3cret]"));

        assertThat(d)
                .startsWith("IllegalStateException: Unable to write command into connection!")
                .doesNotContain("s3cret")
                .doesNotContain("NodeSource");
        assertThat(Failures.describe(new IllegalStateException("x".repeat(500))))
                .hasSizeLessThanOrEqualTo(201);
        assertThat(Failures.describe(new TimeoutException())).isEqualTo("no answer within the budget");
    }
}
