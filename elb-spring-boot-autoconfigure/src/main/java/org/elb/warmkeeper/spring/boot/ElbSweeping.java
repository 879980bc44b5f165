package org.elb.warmkeeper.spring.boot;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.elb.warmkeeper.core.ElbException;
import org.elb.warmkeeper.core.provision.ProvisioningService;
import org.elb.warmkeeper.core.provision.ProvisioningSweeper;
import org.elb.warmkeeper.core.provision.ResumeReport;
import org.elb.warmkeeper.core.provision.SweepPolicy;
import org.elb.warmkeeper.core.warm.LeaderElection;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.SmartLifecycle;

/**
 * The provisioning sweep of the application, on the leader only, as the runner does it: from
 * application-ready, once this replica leads, unfinished provisions are resumed at once
 * ({@link ProvisioningService#resumeUnfinished}: resumed from their checkpoint, or failed when their
 * heartbeat is older than {@code elb.provision.resume-window}; asked again every
 * {@link #RESUME_RETRY} until it succeeds), and every {@link ProvisioningSweeper#DEFAULT_INTERVAL}
 * provisions whose poller is gone are resumed or failed, operations past the maximum age are failed,
 * and old finished rows are purged. Stopped in the scheduler's shutdown phase.
 */
public final class ElbSweeping implements ApplicationListener<ApplicationReadyEvent>, SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ElbSweeping.class);

    /** How often the start-up resume is asked again while this replica follows or the store fails. */
    public static final Duration RESUME_RETRY = Duration.ofSeconds(2);

    private final Supplier<ProvisioningSweeper.Builder> sweeper;
    private final SweepPolicy policy;
    private final LeaderElection leader;
    private final @Nullable Supplier<ProvisioningService> provisioning;
    private final Duration resumeWindow;
    private volatile boolean resumed;
    private @Nullable ProvisioningSweeper running;
    private @Nullable ScheduledExecutorService resumer;

    ElbSweeping(Supplier<ProvisioningSweeper.Builder> sweeper, SweepPolicy policy, LeaderElection leader) {
        this(sweeper, policy, leader, null, policy.staleAfter());
    }

    ElbSweeping(
            Supplier<ProvisioningSweeper.Builder> sweeper,
            SweepPolicy policy,
            LeaderElection leader,
            @Nullable Supplier<ProvisioningService> provisioning,
            Duration resumeWindow) {
        this.sweeper = sweeper;
        this.policy = policy;
        this.leader = leader;
        this.provisioning = provisioning;
        this.resumeWindow = resumeWindow;
    }

    @Override
    public synchronized void onApplicationEvent(ApplicationReadyEvent event) {
        if (running == null) {
            running =
                    sweeper.get().policy(policy).leaderElection(leader).build().start();
        }
        Supplier<ProvisioningService> service = provisioning;
        if (service != null && !resumed && resumer == null) {
            ScheduledExecutorService r = Executors.newSingleThreadScheduledExecutor(t -> {
                Thread thread = new Thread(t, "elb-resume");
                thread.setDaemon(true);
                return thread;
            });
            resumer = r;
            r.scheduleWithFixedDelay(() -> resumeOnce(service, r), 0, RESUME_RETRY.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void resumeOnce(Supplier<ProvisioningService> service, ScheduledExecutorService self) {
        if (resumed || !leader.isLeader()) {
            return;
        }
        try {
            ResumeReport report = service.get().resumeUnfinished(resumeWindow);
            resumed = true;
            log.info(
                    "unfinished provisions: {} resumed, {} marked interrupted, {} left",
                    report.resumed().size(),
                    report.interrupted().size(),
                    report.untouched().size());
            self.shutdown();
        } catch (ElbException e) {
            log.warn("resuming unfinished provisions failed (retrying): {}", e.getMessage());
        }
    }

    /** Whether this replica has resumed the unfinished provisions (it led once since application-ready). */
    public boolean resumed() {
        return resumed;
    }

    @Override
    public void start() {
        // the sweep starts on ApplicationReadyEvent
    }

    @Override
    public synchronized void stop() {
        if (resumer != null) {
            resumer.shutdownNow();
            resumer = null;
        }
        if (running != null) {
            running.close();
            running = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return running != null;
    }

    /** With the scheduler ({@link ElbScheduling#PHASE}): in Boot's graceful-shutdown phase. */
    @Override
    public int getPhase() {
        return ElbScheduling.PHASE;
    }
}
