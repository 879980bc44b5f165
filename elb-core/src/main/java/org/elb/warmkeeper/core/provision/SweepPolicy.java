package org.elb.warmkeeper.core.provision;

import java.time.Duration;
import org.elb.warmkeeper.core.cluster.Checks;

/**
 * What one {@link ProvisioningService#sweep} does.
 *
 * @param staleAfter an unfinished row with no update and no heartbeat for this long has lost its worker:
 *     it is resumed from its checkpoint, or failed {@value ProvisioningService#CODE_INTERRUPTED}
 * @param maxAge an unfinished row older than this (an ARM operation stuck {@code InProgress}) is failed
 *     {@value ProvisioningService#CODE_TIMED_OUT} and its local task stopped
 * @param retention finished rows whose last update is older than this are deleted
 * @param batchSize rows deleted per statement
 * @param maxBatches statements per sweep at most (the rest waits for the next sweep)
 */
public record SweepPolicy(Duration staleAfter, Duration maxAge, Duration retention, int batchSize, int maxBatches) {

    /** Default: a row silent for 10 minutes is dead (heartbeats come every minute while polling). */
    public static final Duration DEFAULT_STALE_AFTER = Duration.ofMinutes(10);
    /** Default: AKS creates take minutes; after 6 hours an operation is stuck. */
    public static final Duration DEFAULT_MAX_AGE = Duration.ofHours(6);
    /** Default: finished rows are kept 30 days (recent failures look back at most 7). */
    public static final Duration DEFAULT_RETENTION = Duration.ofDays(30);

    public static final int DEFAULT_BATCH_SIZE = 500;
    public static final int DEFAULT_MAX_BATCHES = 20;

    public SweepPolicy {
        Checks.positive(staleAfter, "staleAfter");
        Checks.positive(maxAge, "maxAge");
        Checks.positive(retention, "retention");
        Checks.positive(batchSize, "batchSize");
        Checks.positive(maxBatches, "maxBatches");
        if (maxAge.compareTo(staleAfter) < 0) {
            throw new IllegalArgumentException(
                    "'maxAge' must be at least 'staleAfter' (" + staleAfter + "), but was " + maxAge);
        }
    }

    public static SweepPolicy ofDefaults() {
        return new SweepPolicy(
                DEFAULT_STALE_AFTER, DEFAULT_MAX_AGE, DEFAULT_RETENTION, DEFAULT_BATCH_SIZE, DEFAULT_MAX_BATCHES);
    }

    /**
     * The defaults around a resume window (the runner's {@code elb.provision.resume-window}, the starter's
     * too): a provision without a heartbeat for {@code resumeWindow} is stale, and the maximum age is the
     * larger of {@link #DEFAULT_MAX_AGE} and the window.
     */
    public static SweepPolicy forResumeWindow(Duration resumeWindow) {
        Checks.positive(resumeWindow, "resumeWindow");
        return ofDefaults()
                .withStaleAfter(resumeWindow)
                .withMaxAge(resumeWindow.compareTo(DEFAULT_MAX_AGE) > 0 ? resumeWindow : DEFAULT_MAX_AGE);
    }

    public SweepPolicy withStaleAfter(Duration staleAfter) {
        return new SweepPolicy(staleAfter, maxAge, retention, batchSize, maxBatches);
    }

    public SweepPolicy withMaxAge(Duration maxAge) {
        return new SweepPolicy(staleAfter, maxAge, retention, batchSize, maxBatches);
    }

    public SweepPolicy withRetention(Duration retention) {
        return new SweepPolicy(staleAfter, maxAge, retention, batchSize, maxBatches);
    }

    public SweepPolicy withBatches(int batchSize, int maxBatches) {
        return new SweepPolicy(staleAfter, maxAge, retention, batchSize, maxBatches);
    }
}
