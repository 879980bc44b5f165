package org.elb.warmkeeper.core.provision;

import java.util.List;

/**
 * What {@link ProvisioningService#resumeUnfinished} did with each unfinished row.
 *
 * @param resumed rows whose create is being followed again from their checkpoint
 * @param interrupted rows marked failed with code {@value ProvisioningService#CODE_INTERRUPTED}: nothing to
 *     resume and no heartbeat within the window
 * @param untouched rows with nothing to resume but a recent heartbeat (another worker may own them)
 */
public record ResumeReport(List<JobId> resumed, List<JobId> interrupted, List<JobId> untouched) {

    public ResumeReport {
        resumed = List.copyOf(resumed);
        interrupted = List.copyOf(interrupted);
        untouched = List.copyOf(untouched);
    }
}
