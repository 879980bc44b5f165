package org.elb.warmkeeper.json;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.elb.warmkeeper.core.cluster.OwnerId;
import org.elb.warmkeeper.core.provision.JobId;
import org.elb.warmkeeper.core.provision.JobStateChange;
import org.elb.warmkeeper.core.provision.JobStatus;
import org.elb.warmkeeper.core.provision.TaskId;
import org.junit.jupiter.api.Test;

class JobStateChangeJsonTest {

    @Test
    void round_trips_with_and_without_optional_fields() {
        JobStateChange full = new JobStateChange(
                JobId.random(),
                "aks_provision",
                OwnerId.of("oid-1"),
                JobStatus.CANCELLED,
                TaskId.of("t-1"),
                "Canceled",
                7,
                Instant.parse("2026-03-04T05:06:07.123Z"));
        JobStateChange bare = new JobStateChange(
                JobId.random(),
                "aks_provision",
                OwnerId.of("oid-1"),
                JobStatus.QUEUED,
                null,
                null,
                1,
                Instant.parse("2026-03-04T05:06:07Z"));

        assertThat(JobStateChangeJson.decode(JobStateChangeJson.encode(full))).contains(full);
        assertThat(JobStateChangeJson.decode(JobStateChangeJson.encode(bare))).contains(bare);
        assertThat(JobStateChangeJson.encode(bare)).contains("\"task_id\":null", "\"status\":\"queued\"");
    }

    @Test
    void the_published_form_keeps_its_field_names_and_order() {
        JobId id = JobId.parse("00000000-0000-0000-0000-00000000000a");
        JobStateChange c = new JobStateChange(
                id,
                "aks_provision",
                OwnerId.of("oid-1"),
                JobStatus.RUNNING,
                TaskId.of("t-1"),
                "Creating",
                3,
                Instant.parse("2026-01-01T00:00:00Z"));
        assertThat(JobStateChangeJson.encode(c))
                .isEqualTo("{\"job_id\":\"" + id + "\",\"type\":\"aks_provision\",\"owner\":\"oid-1\","
                        + "\"status\":\"running\",\"task_id\":\"t-1\",\"cluster_state\":\"Creating\",\"version\":3,"
                        + "\"at\":\"2026-01-01T00:00:00Z\"}");
    }

    @Test
    void malformed_messages_decode_to_empty() {
        assertThat(JobStateChangeJson.decode("not json")).isEmpty();
        assertThat(JobStateChangeJson.decode("[1,2]")).isEmpty();
        assertThat(JobStateChangeJson.decode("{\"job_id\":\"x\"}")).isEmpty();
        assertThat(JobStateChangeJson.decode("{\"job_id\":\"" + JobId.random() + "\",\"type\":\"aks_provision\","
                        + "\"owner\":\"o\",\"status\":\"exploded\",\"version\":1,\"at\":\"2026-01-01T00:00:00Z\"}"))
                .isEmpty();
    }

    @Test
    void unknown_fields_are_ignored() {
        JobId id = JobId.random();
        assertThat(JobStateChangeJson.decode("{\"job_id\":\"" + id + "\",\"type\":\"aks_provision\",\"owner\":\"o\","
                        + "\"status\":\"running\",\"version\":2,\"at\":\"2026-01-01T00:00:00Z\",\"extra\":{\"a\":1}}"))
                .hasValueSatisfying(c -> {
                    assertThat(c.jobId()).isEqualTo(id);
                    assertThat(c.taskId()).isNull();
                    assertThat(c.status()).isEqualTo(JobStatus.RUNNING);
                });
    }
}
