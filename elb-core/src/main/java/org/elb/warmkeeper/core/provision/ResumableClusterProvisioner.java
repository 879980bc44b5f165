package org.elb.warmkeeper.core.provision;

/**
 * A {@link ClusterProvisioner} that can pick up a create it began before a restart, from the checkpoint
 * it had reported through {@link ProvisionListener#checkpoint} (merged into the job row's payload).
 * {@link ProvisioningService#resumeUnfinished} uses it for unfinished rows.
 */
public interface ResumableClusterProvisioner extends ClusterProvisioner {

    /** Whether {@code job}'s payload holds the checkpoint this provisioner needs to resume it. */
    boolean canResume(JobState job);

    /**
     * Resumes following {@code job}'s create: progress and the outcome go to {@code listener}, as after
     * {@link #begin}. Returns at once.
     *
     * @return the task id now polling: {@code job.taskId()} when the row has one, else a new one
     * @throws ProvisioningException when the checkpoint cannot be used
     */
    TaskId resume(JobState job, ProvisionListener listener);
}
