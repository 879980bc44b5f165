package org.elb.warmkeeper.k8s;

/** Which warmup objects a status probe reads. */
public enum WarmupSource {
    /** The warmup Pods only: one LIST per cluster (default). Sees CrashLoopBackOff and image pull errors. */
    PODS,
    /** The warmup Jobs only: one LIST per cluster. Sees Job completion and failure, not container errors. */
    JOBS,
    /** Jobs and Pods: two LISTs per cluster (or two informers). */
    JOBS_AND_PODS;

    boolean readsPods() {
        return this != JOBS;
    }

    boolean readsJobs() {
        return this != PODS;
    }
}
