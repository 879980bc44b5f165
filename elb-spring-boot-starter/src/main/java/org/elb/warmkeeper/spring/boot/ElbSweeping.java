package org.elb.warmkeeper.spring.boot;

import java.util.function.Supplier;
import org.elb.warmkeeper.core.provision.ProvisioningSweeper;
import org.elb.warmkeeper.core.provision.SweepPolicy;
import org.elb.warmkeeper.core.warm.LeaderElection;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.SmartLifecycle;

/**
 * The provisioning sweep of the application, on the leader only: from application-ready, every
 * {@link ProvisioningSweeper#DEFAULT_INTERVAL}, provisions whose poller is gone (no heartbeat for
 * {@code elb.provision.resume-window}) are resumed from their checkpoint or failed, operations past the
 * maximum age are failed, and old finished rows are purged. Stopped in the scheduler's shutdown phase.
 */
public final class ElbSweeping implements ApplicationListener<ApplicationReadyEvent>, SmartLifecycle {

    private final Supplier<ProvisioningSweeper.Builder> sweeper;
    private final SweepPolicy policy;
    private final LeaderElection leader;
    private @Nullable ProvisioningSweeper running;

    ElbSweeping(Supplier<ProvisioningSweeper.Builder> sweeper, SweepPolicy policy, LeaderElection leader) {
        this.sweeper = sweeper;
        this.policy = policy;
        this.leader = leader;
    }

    @Override
    public synchronized void onApplicationEvent(ApplicationReadyEvent event) {
        if (running == null) {
            running =
                    sweeper.get().policy(policy).leaderElection(leader).build().start();
        }
    }

    @Override
    public void start() {
        // the sweep starts on ApplicationReadyEvent
    }

    @Override
    public synchronized void stop() {
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
