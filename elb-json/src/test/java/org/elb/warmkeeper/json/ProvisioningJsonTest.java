package org.elb.warmkeeper.json;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.elb.warmkeeper.core.Secrets;
import org.elb.warmkeeper.core.cluster.OwnerId;
import org.elb.warmkeeper.core.provision.CancelMode;
import org.elb.warmkeeper.core.provision.CancelOutcome;
import org.elb.warmkeeper.core.provision.ErrorCategory;
import org.elb.warmkeeper.core.provision.ErrorClassification;
import org.elb.warmkeeper.core.provision.FailedProvision;
import org.elb.warmkeeper.core.provision.JobId;
import org.elb.warmkeeper.core.provision.JobState;
import org.elb.warmkeeper.core.provision.JobStatus;
import org.elb.warmkeeper.core.provision.ProvisionAccepted;
import org.elb.warmkeeper.core.provision.RecentFailedProvisions;
import org.elb.warmkeeper.core.provision.TaskId;
import org.junit.jupiter.api.Test;

/** Golden JSON of provisioning's results: the field names and their order are the wire format. */
class ProvisioningJsonTest {

    static final JobId JOB = JobId.parse("00000000-0000-0000-0000-000000000001");
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    static final Instant T1 = Instant.parse("2026-01-01T00:10:00Z");
    static final ErrorClassification QUOTA =
            new ErrorClassification(ErrorCategory.QUOTA_EXCEEDED, "QuotaExceeded", "quota for cores exceeded");

    @Test
    void a_recent_failure_has_the_seed_fields() {
        FailedProvision f =
                new FailedProvision(JOB, TaskId.of("t-1"), "sub", "rg", "elb-a", "eastus", "Failed", QUOTA, T0, T1);
        String json = WireJson.write(ProvisioningJson.recentFailed(new RecentFailedProvisions(List.of(f), true)));
        assertThat(json)
                .isEqualTo("{\"jobs\":[{\"job_id\":\"" + JOB + "\",\"task_id\":\"t-1\",\"subscription_id\":\"sub\","
                        + "\"resource_group\":\"rg\",\"cluster_name\":\"elb-a\",\"region\":\"eastus\","
                        + "\"cluster_state\":\"Failed\",\"error\":{\"category\":\"quota_exceeded\","
                        + "\"code\":\"QuotaExceeded\",\"message\":\"quota for cores exceeded\",\"retryable\":false,"
                        + "\"suggested_actions\":" + WireJson.write(WireJson.strings(QUOTA.suggestedActions()))
                        + "},\"created_at\":\"2026-01-01T00:00:00Z\",\"failed_at\":\"2026-01-01T00:10:00Z\"}],"
                        + "\"degraded\":true}");
    }

    @Test
    void a_job_row_leaves_out_url_payload_keys_and_writes_null_for_absent_fields() {
        JobState j = new JobState(
                JOB,
                "aks_provision",
                OwnerId.of("oid-1"),
                JobStatus.RUNNING,
                null,
                null,
                null,
                Map.of("region", "eastus", "polling_url", "https://management.azure.com/op?sig=abc"),
                3,
                T0,
                T1);
        assertThat(WireJson.write(ProvisioningJson.job(j)))
                .isEqualTo(
                        "{\"job_id\":\"" + JOB + "\",\"type\":\"aks_provision\",\"status\":\"running\","
                                + "\"task_id\":null,\"cluster_state\":null,\"error\":null,\"payload\":{\"region\":\"eastus\"},"
                                + "\"version\":3,\"created_at\":\"2026-01-01T00:00:00Z\",\"updated_at\":\"2026-01-01T00:10:00Z\"}");
    }

    @Test
    void an_accepted_request_and_a_classified_error_body() {
        assertThat(WireJson.write(ProvisioningJson.accepted(new ProvisionAccepted(TaskId.of("t-9"), JOB, false))))
                .isEqualTo("{\"task_id\":\"t-9\",\"job_id\":\"" + JOB + "\",\"state_recorded\":false}");
        assertThat(ProvisioningJson.classifiedError(QUOTA).fieldNames())
                .toIterable()
                .containsExactly("error", "category", "code", "retryable", "suggested_actions");
    }

    @Test
    void a_cancel_outcome_masks_its_action_error() {
        CancelOutcome c = new CancelOutcome(
                CancelOutcome.Result.CANCELLED,
                null,
                true,
                "https://portal.azure.com/x",
                CancelMode.ABORT_OPERATION,
                "DELETE https://management.azure.com/op?sig=s3cr3tvalue failed");
        String json = WireJson.write(ProvisioningJson.cancel(c));
        assertThat(json)
                .startsWith("{\"result\":\"cancelled\",\"mode\":\"abort_operation\",\"status\":null,"
                        + "\"cluster_state\":null,\"partial_resource_likely\":true,"
                        + "\"portal_url\":\"https://portal.azure.com/x\",\"action_error\":")
                .doesNotContain("s3cr3tvalue")
                .contains(Secrets.MASK);
    }

    @Test
    void a_cancel_outcome_says_how_its_delete_stands_and_what_the_create_reported_after_the_fence() {
        JobState row = new JobState(
                JOB,
                "aks_provision",
                org.elb.warmkeeper.core.cluster.OwnerId.of("o"),
                org.elb.warmkeeper.core.provision.JobStatus.CANCELLED,
                TaskId.of("t-9"),
                "Creating",
                null,
                java.util.Map.of(
                        "cancel_requested", "delete_cluster",
                        "cancel_action", "delete_cluster",
                        "cancel_action_state", "accepted",
                        "create_reported", "succeeded"),
                4,
                java.time.Instant.parse("2026-03-01T12:00:00Z"),
                java.time.Instant.parse("2026-03-01T12:05:00Z"));
        CancelOutcome c = new CancelOutcome(
                CancelOutcome.Result.CANCELLED,
                row,
                true,
                "https://portal.azure.com/x",
                CancelMode.DELETE_CLUSTER,
                null);

        String json = WireJson.write(ProvisioningJson.cancel(c));

        assertThat(json)
                .contains("\"result\":\"cancelled\"")
                .contains("\"status\":\"cancelled\"")
                .endsWith("\"action_error\":null,\"action_state\":\"accepted\",\"create_reported\":\"succeeded\"}");
    }

    @Test
    void a_refusal_names_its_rule_limit_and_kind_and_maps_each_kind_to_its_status() {
        org.elb.warmkeeper.core.provision.ProvisionRefusedException nodes =
                new org.elb.warmkeeper.core.provision.ProvisionRefusedException(
                        org.elb.warmkeeper.core.provision.ProvisionRule.MAX_NODES, "100", "1000 nodes is too many");
        assertThat(ProvisioningJson.refused(nodes).toString())
                .isEqualTo("{\"error\":\"1000 nodes is too many\",\"rule\":\"max-nodes\",\"limit\":\"100\","
                        + "\"kind\":\"rule\"}");
        assertThat(ProvisioningJson.refusalStatus(nodes)).isEqualTo(403);
        assertThat(ProvisioningJson.refusalStatus(new org.elb.warmkeeper.core.provision.ProvisionRefusedException(
                        org.elb.warmkeeper.core.provision.ProvisionRule.OWNER_RATE, "10 per minute", "slow down")))
                .isEqualTo(429);
        assertThat(ProvisioningJson.refusalStatus(new org.elb.warmkeeper.core.provision.ProvisionRefusedException(
                        org.elb.warmkeeper.core.provision.ProvisionRule.MAX_QUEUED, "100", "busy")))
                .isEqualTo(503);
    }
}
