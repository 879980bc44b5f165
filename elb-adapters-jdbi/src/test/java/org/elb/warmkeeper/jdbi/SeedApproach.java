package org.elb.warmkeeper.jdbi;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import org.elb.warmkeeper.core.cluster.OwnerId;
import org.elb.warmkeeper.core.provision.JobState;
import org.elb.warmkeeper.core.provision.JobStatus;

/**
 * The seed's recent-failed (the Python dashboard's {@code list_for_owner} then an in-memory filter): the
 * owner's newest 200 rows, then type, status and freshness in memory. Kept only to show what it misses.
 */
final class SeedApproach {

    static final int PAGE = 200;

    private SeedApproach() {}

    static List<JobState> recentFailed(TestDatabase db, OwnerId owner, String type, Instant since, int limit) {
        String columns = "id, job_type, owner_id, status, task_id, cluster_state, error_category, error_code, "
                + "error_message, " + (db.store.dialect() == SqlDialect.POSTGRESQL ? "payload::text" : "payload")
                + " AS payload_json, row_version, created_at, updated_at";
        List<JobState> page = db.jdbi()
                .withHandle(h -> h.createQuery("SELECT " + columns + " FROM " + db.table("job_state")
                                + " WHERE owner_id = :owner ORDER BY created_at DESC LIMIT " + PAGE)
                        .bind("owner", owner.value())
                        .map(JdbiJobStateRepository::row)
                        .list());
        return page.stream()
                .filter(j -> j.type().equals(type)
                        && j.status() == JobStatus.FAILED
                        && !j.updatedAt().isBefore(since))
                .sorted(Comparator.comparing(JobState::updatedAt).reversed())
                .limit(limit)
                .toList();
    }
}
