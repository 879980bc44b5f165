package org.elb.warmkeeper.core.provision;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.elb.warmkeeper.core.cluster.Checks;
import org.elb.warmkeeper.core.warm.LeaderElection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@link ProvisioningService#sweep} every {@code interval} (default {@link #DEFAULT_INTERVAL}) on the
 * leader only, continuously: dead jobs are found whenever their worker dies, not once per process start.
 * A failing sweep is logged and counted and never stops the schedule. {@link #close()} stops it.
 */
public final class ProvisioningSweeper implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ProvisioningSweeper.class);

    /** Default time between two sweeps. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofMinutes(3);

    private final ProvisioningService service;
    private final SweepPolicy policy;
    private final LeaderElection leader;
    private final Duration interval;
    private final ScheduledExecutorService executor;
    private final AtomicLong sweeps = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();

    private ProvisioningSweeper(Builder b) {
        this.service = b.service;
        this.policy = b.policy;
        this.leader = b.leader;
        this.interval = b.interval;
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "elb-provisioning-sweeper");
            t.setDaemon(true);
            return t;
        });
    }

    public static Builder builder(ProvisioningService service) {
        return new Builder(service);
    }

    /** Starts the schedule: the first sweep at once, then every interval. */
    public ProvisioningSweeper start() {
        executor.scheduleWithFixedDelay(this::runOnce, 0, interval.toNanos(), TimeUnit.NANOSECONDS);
        return this;
    }

    /** One sweep now when this replica is the leader; never throws. */
    public void runOnce() {
        try {
            if (!leader.isLeader()) {
                return;
            }
            SweepReport r = service.sweep(policy);
            sweeps.incrementAndGet();
            if (!r.isEmpty()) {
                log.info(
                        "provisioning sweep: {} resumed, {} interrupted, {} timed out, {} finished rows purged, "
                                + "{} leftover cluster(s) tagged by jobs that never recorded them{}",
                        r.resumed().size(),
                        r.interrupted().size(),
                        r.timedOut().size(),
                        r.purged(),
                        r.leftovers().size(),
                        r.leftovers().isEmpty()
                                ? ""
                                : " "
                                        + r.leftovers().stream()
                                                .limit(10)
                                                .map(t -> t.cluster().display() + " (job " + t.job() + ")")
                                                .toList());
            }
        } catch (RuntimeException e) {
            failures.incrementAndGet();
            log.warn("provisioning sweep failed (next in {}): {}", interval, e.toString());
        }
    }

    /** Sweeps that ran to the end, since start. */
    public long sweeps() {
        return sweeps.get();
    }

    /** Sweeps that failed, since start. */
    public long failures() {
        return failures.get();
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }

    /** Builder of {@link ProvisioningSweeper}. */
    public static final class Builder {
        private final ProvisioningService service;
        private SweepPolicy policy = SweepPolicy.ofDefaults();
        private LeaderElection leader = LeaderElection.ALWAYS;
        private Duration interval = DEFAULT_INTERVAL;

        private Builder(ProvisioningService service) {
            this.service = Checks.required(service, "service");
        }

        public Builder policy(SweepPolicy policy) {
            this.policy = Checks.required(policy, "policy");
            return this;
        }

        /** Sweep only while this replica leads; default {@link LeaderElection#ALWAYS}. */
        public Builder leaderElection(LeaderElection leader) {
            this.leader = Checks.required(leader, "leader");
            return this;
        }

        public Builder interval(Duration interval) {
            this.interval = Checks.positive(interval, "interval");
            return this;
        }

        public ProvisioningSweeper build() {
            return new ProvisioningSweeper(this);
        }
    }
}
