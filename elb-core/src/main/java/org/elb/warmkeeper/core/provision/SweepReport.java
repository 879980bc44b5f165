package org.elb.warmkeeper.core.provision;

import java.util.List;

/**
 * What one {@link ProvisioningService#sweep} did.
 *
 * @param resumed stale rows followed again from their checkpoint
 * @param interrupted stale rows with nothing to resume, failed {@value ProvisioningService#CODE_INTERRUPTED}
 * @param timedOut rows older than the maximum age, failed {@value ProvisioningService#CODE_TIMED_OUT}
 * @param purged finished rows deleted by retention
 * @param leftovers clusters tagged by a job that never recorded them as its own (no row, or a row
 *     without {@link ProvisionListener#KEY_CREATED_BY_JOB}): look at them in the Azure portal; empty
 *     when the provisioner cannot list tagged clusters or the policy allows any scope
 */
public record SweepReport(
        List<JobId> resumed, List<JobId> interrupted, List<JobId> timedOut, int purged, List<TaggedCluster> leftovers) {

    public SweepReport {
        resumed = List.copyOf(resumed);
        interrupted = List.copyOf(interrupted);
        timedOut = List.copyOf(timedOut);
        leftovers = List.copyOf(leftovers);
    }

    /** A report without leftovers. */
    public SweepReport(List<JobId> resumed, List<JobId> interrupted, List<JobId> timedOut, int purged) {
        this(resumed, interrupted, timedOut, purged, List.of());
    }

    public boolean isEmpty() {
        return resumed.isEmpty() && interrupted.isEmpty() && timedOut.isEmpty() && purged == 0 && leftovers.isEmpty();
    }
}
