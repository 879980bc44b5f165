package org.elb.warmkeeper.jdbi;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.elb.warmkeeper.core.cluster.ClusterRef;
import org.elb.warmkeeper.core.cluster.DatabaseName;
import org.elb.warmkeeper.core.cluster.OwnerId;
import org.elb.warmkeeper.core.provision.JobId;
import org.elb.warmkeeper.core.provision.JobState;
import org.elb.warmkeeper.core.provision.JobStatus;
import org.elb.warmkeeper.core.provision.JobUpdate;
import org.elb.warmkeeper.core.provision.NewJob;
import org.elb.warmkeeper.core.provision.UpdateResult;
import org.elb.warmkeeper.core.warm.AutoWarmPreference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runner's default: an H2 file. What one store wrote, the next one (after a restart) reads. */
class H2FileStoreTest {

    @Test
    void state_in_an_h2_file_survives_closing_and_reopening_the_store(@TempDir Path dir) {
        String url = "jdbc:h2:file:" + dir.resolve("warmkeeper").toAbsolutePath();
        ClusterRef cluster = ClusterRef.of("00000000-0000-4000-8000-000000000001", "rg", "elb");
        OwnerId alice = OwnerId.of("alice");
        Instant t0 = Instant.parse("2026-03-01T12:00:00Z");
        JobState failed;
        try (JdbiStore first = JdbiStore.builder(url).build()) {
            JobState job = first.jobStateRepository()
                    .create(new NewJob(JobId.random(), "aks_provision", alice, Map.of("region", "koreacentral"), t0));
            failed = ((UpdateResult.Updated) first.jobStateRepository()
                            .update(job.id(), 0, JobUpdate.status(JobStatus.FAILED), t0.plusSeconds(5)))
                    .state();
            first.autoWarmPreferences().enable(cluster, List.of(DatabaseName.of("core_nt")));
            first.autoWarmPreferences().recordReadiness(cluster, true);
            first.databaseInventory().markDownloaded(cluster, DatabaseName.of("core_nt"));
        }

        try (JdbiStore second = JdbiStore.builder(url).build()) {
            assertThat(second.migrate()).isZero();
            assertThat(second.jobStateRepository().recentFailed(alice, "aks_provision", t0, 10))
                    .containsExactly(failed);
            assertThat(second.autoWarmPreferences().enabledClusters())
                    .containsExactly(new AutoWarmPreference(cluster, List.of(DatabaseName.of("core_nt")), true));
            assertThat(second.databaseInventory().downloaded(cluster)).containsExactly(DatabaseName.of("core_nt"));
        }
    }
}
