package org.elb.warmkeeper.core.provision;

import java.util.List;

/**
 * What one {@link ProvisioningService#sweep} did.
 *
 * @param resumed stale rows followed again from their checkpoint
 * @param interrupted stale rows with nothing to resume, failed {@value ProvisioningService#CODE_INTERRUPTED}
 * @param timedOut rows older than the maximum age, failed {@value ProvisioningService#CODE_TIMED_OUT}
 * @param purged finished rows deleted by retention
 */
public record SweepReport(List<JobId> resumed, List<JobId> interrupted, List<JobId> timedOut, int purged) {

    public SweepReport {
        resumed = List.copyOf(resumed);
        interrupted = List.copyOf(interrupted);
        timedOut = List.copyOf(timedOut);
    }

    public boolean isEmpty() {
        return resumed.isEmpty() && interrupted.isEmpty() && timedOut.isEmpty() && purged == 0;
    }
}
