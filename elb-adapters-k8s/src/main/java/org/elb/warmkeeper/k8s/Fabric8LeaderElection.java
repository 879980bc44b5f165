package org.elb.warmkeeper.k8s;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElector;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.elb.warmkeeper.core.cluster.Checks;
import org.elb.warmkeeper.core.warm.LeaderElection;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Leader election on a {@code coordination.k8s.io/v1} Lease with Fabric8's {@link LeaderElector}, for
 * leader-only ticking ({@code AutoWarmScheduler}). {@link #isLeader()} is true between Fabric8's
 * "started leading" and "stopped leading" callbacks. Losing the lease (renewal failed within the renew
 * deadline, or the lease was taken) only turns {@code isLeader()} false — the JVM keeps running — and
 * this replica becomes a candidate again. {@link #close()} stops and releases the lease so another
 * replica takes over without waiting for it to expire.
 */
public final class Fabric8LeaderElection implements LeaderElection, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Fabric8LeaderElection.class);

    /** Default lease duration: 15 s (as client-go). */
    public static final Duration DEFAULT_LEASE_DURATION = Duration.ofSeconds(15);
    /** Default renew deadline: 10 s. */
    public static final Duration DEFAULT_RENEW_DEADLINE = Duration.ofSeconds(10);
    /** Default retry period: 2 s. */
    public static final Duration DEFAULT_RETRY_PERIOD = Duration.ofSeconds(2);

    private final KubernetesClient client;
    private final String namespace;
    private final String leaseName;
    private final String identity;
    private final Duration leaseDuration;
    private final Duration renewDeadline;
    private final Duration retryPeriod;
    private final AtomicBoolean leader = new AtomicBoolean();
    private final ExecutorService executor;
    private volatile boolean closed;
    private volatile @Nullable CompletableFuture<?> running;

    private Fabric8LeaderElection(Builder b) {
        this.client = b.client;
        this.namespace = b.namespace;
        this.leaseName = b.leaseName;
        this.identity = b.identity;
        this.leaseDuration = b.leaseDuration;
        this.renewDeadline = b.renewDeadline;
        this.retryPeriod = b.retryPeriod;
        this.executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "elb-leader-" + leaseName);
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * @param client a client of the cluster the replicas run in (not closed by this class)
     */
    public static Builder builder(KubernetesClient client, String namespace, String leaseName) {
        return new Builder(client, namespace, leaseName);
    }

    /** Starts campaigning in the background; returns at once. */
    public synchronized Fabric8LeaderElection start() {
        if (closed) {
            throw new IllegalStateException("leader election " + leaseName + " is closed");
        }
        if (running == null) {
            campaign();
        }
        return this;
    }

    private synchronized void campaign() {
        if (closed) {
            return;
        }
        LeaderElector elector = client.leaderElector()
                .withConfig(new LeaderElectionConfigBuilder()
                        .withName(leaseName)
                        .withLock(new LeaseLock(namespace, leaseName, identity))
                        .withLeaseDuration(leaseDuration)
                        .withRenewDeadline(renewDeadline)
                        .withRetryPeriod(retryPeriod)
                        .withReleaseOnCancel(true)
                        .withLeaderCallbacks(new LeaderCallbacks(
                                () -> {
                                    leader.set(true);
                                    log.info("leader election {}: {} is now the leader", leaseName, identity);
                                },
                                () -> {
                                    if (leader.getAndSet(false)) {
                                        log.info("leader election {}: {} stopped leading", leaseName, identity);
                                    }
                                },
                                newLeader -> log.debug("leader election {}: leader is {}", leaseName, newLeader)))
                        .build())
                .build();
        CompletableFuture<?> f = elector.start();
        running = f;
        f.whenComplete((ok, error) -> {
            leader.set(false);
            if (!closed) {
                // Lost the lease (or the elector stopped on an error): campaign again, never exit.
                if (error != null) {
                    log.debug("leader election {} ended: {}", leaseName, error.toString());
                }
                try {
                    executor.execute(this::campaignAfterPause);
                } catch (RejectedExecutionException e) {
                    // closed meanwhile: nothing to campaign for
                }
            }
        });
    }

    private void campaignAfterPause() {
        try {
            TimeUnit.MILLISECONDS.sleep(retryPeriod.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        campaign();
    }

    @Override
    public boolean isLeader() {
        return leader.get() && !closed;
    }

    /** This replica's identity in the Lease. */
    public String identity() {
        return identity;
    }

    /**
     * Stops campaigning and releases the lease if this replica holds it, before returning (the elector's
     * own release on cancel runs in the background and may not reach the API server before the caller
     * closes the client). Does not close the client.
     */
    @Override
    public void close() {
        CompletableFuture<?> f;
        synchronized (this) {
            closed = true;
            f = running;
        }
        leader.set(false);
        if (f != null) {
            f.cancel(true);
        }
        executor.shutdownNow();
        releaseIfHeld();
    }

    /** Clears the holder by an update conditional on the version read: a new leader's write is never undone. */
    private void releaseIfHeld() {
        try {
            Lease lease =
                    client.leases().inNamespace(namespace).withName(leaseName).get();
            if (lease != null
                    && lease.getSpec() != null
                    && identity.equals(lease.getSpec().getHolderIdentity())) {
                lease.getSpec().setHolderIdentity(null);
                client.leases().inNamespace(namespace).resource(lease).update();
                log.info("leader election {}: {} released the lease", leaseName, identity);
            }
        } catch (KubernetesClientException e) {
            // another replica took it meanwhile (409), or the API is gone: the lease then expires on its own
            log.debug("leader election {}: release not written: {}", leaseName, e.getMessage());
        }
    }

    @Override
    public String toString() {
        return "Fabric8LeaderElection{lease=" + namespace + "/" + leaseName + ", identity=" + identity + ", leader="
                + isLeader() + "}";
    }

    /** Configuration; identity and timings are optional. */
    public static final class Builder {
        private final KubernetesClient client;
        private final String namespace;
        private final String leaseName;
        private String identity = defaultIdentity();
        private Duration leaseDuration = DEFAULT_LEASE_DURATION;
        private Duration renewDeadline = DEFAULT_RENEW_DEADLINE;
        private Duration retryPeriod = DEFAULT_RETRY_PERIOD;

        private Builder(KubernetesClient client, String namespace, String leaseName) {
            this.client = Checks.required(client, "client");
            this.namespace = Selectors.namespace(namespace);
            this.leaseName = Selectors.dnsLabel(leaseName, "leaseName");
        }

        /** This replica's identity (default: host name + random suffix). */
        public Builder identity(String identity) {
            Checks.required(identity, "identity");
            if (identity.isBlank()) {
                throw new IllegalArgumentException("'identity' must not be blank");
            }
            this.identity = identity;
            return this;
        }

        public Builder leaseDuration(Duration d) {
            this.leaseDuration = Checks.positive(d, "leaseDuration");
            return this;
        }

        public Builder renewDeadline(Duration d) {
            this.renewDeadline = Checks.positive(d, "renewDeadline");
            return this;
        }

        public Builder retryPeriod(Duration d) {
            this.retryPeriod = Checks.positive(d, "retryPeriod");
            return this;
        }

        /** Builds; the rule leaseDuration &gt; renewDeadline &gt; retryPeriod is checked here. */
        public Fabric8LeaderElection build() {
            if (leaseDuration.compareTo(renewDeadline) <= 0) {
                throw new IllegalArgumentException("'leaseDuration' must be longer than 'renewDeadline', but was "
                        + leaseDuration + " <= " + renewDeadline);
            }
            if (renewDeadline.compareTo(retryPeriod) <= 0) {
                throw new IllegalArgumentException("'renewDeadline' must be longer than 'retryPeriod', but was "
                        + renewDeadline + " <= " + retryPeriod);
            }
            return new Fabric8LeaderElection(this);
        }

        private static String defaultIdentity() {
            String host = System.getenv("HOSTNAME");
            if (host == null || host.isBlank()) {
                host = "elb-warmkeeper";
            }
            return host + "-" + UUID.randomUUID().toString().substring(0, 8);
        }
    }
}
