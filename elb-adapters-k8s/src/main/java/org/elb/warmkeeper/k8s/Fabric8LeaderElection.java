package org.elb.warmkeeper.k8s;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElector;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectorBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaderElectionRecord;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.Lock;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.elb.warmkeeper.core.cluster.Checks;
import org.elb.warmkeeper.core.cluster.ClusterRef;
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
 *
 * <p>Built on a {@link KubernetesClientProvider} ({@link #builder(KubernetesClientProvider, ClusterRef, String,
 * String)}), every Lease call that the API server refuses with 401 or 403 (rotated credentials) invalidates
 * the cluster's cached client, rebuilds it and is made once more; a second refusal is reported as Fabric8
 * reports any failed Lease call (this replica stays or becomes a follower, and campaigns again after the
 * retry period). Built on a bare client, nothing is rebuilt.
 */
public final class Fabric8LeaderElection implements LeaderElection, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Fabric8LeaderElection.class);

    /** Default lease duration: 15 s (as client-go). */
    public static final Duration DEFAULT_LEASE_DURATION = Duration.ofSeconds(15);
    /** Default renew deadline: 10 s. */
    public static final Duration DEFAULT_RENEW_DEADLINE = Duration.ofSeconds(10);
    /** Default retry period: 2 s. */
    public static final Duration DEFAULT_RETRY_PERIOD = Duration.ofSeconds(2);

    private final LeaseClient client;
    private final String namespace;
    private final String leaseName;
    private final String identity;
    private final Duration leaseDuration;
    private final Duration renewDeadline;
    private final Duration retryPeriod;
    private final AtomicBoolean leader = new AtomicBoolean();
    private final ExecutorService executor;
    /** Runs the elector's loops: its own, so a client closed for a rebuild never takes the elector's pool. */
    private final ExecutorService electorPool;

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
        this.electorPool = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "elb-leader-io-" + leaseName);
            t.setDaemon(true);
            return t;
        });
    }

    /** Where Lease calls get their client: a fixed one, or a provider's, rebuilt once after a 401/403. */
    private interface LeaseClient {
        <T> T with(Function<KubernetesClient, T> call);
    }

    /** The LeaseLock, each call through {@link LeaseClient} (the client the elector passes is not used). */
    private static final class RebuildingLock implements Lock {
        private final LeaseLock delegate;
        private final LeaseClient client;

        RebuildingLock(LeaseLock delegate, LeaseClient client) {
            this.delegate = delegate;
            this.client = client;
        }

        @Override
        public @Nullable LeaderElectionRecord get(KubernetesClient ignored) {
            return client.with(c -> delegate.get(c));
        }

        @Override
        public void create(KubernetesClient ignored, LeaderElectionRecord record) {
            client.with(c -> {
                delegate.create(c, record);
                return Boolean.TRUE;
            });
        }

        @Override
        public void update(KubernetesClient ignored, LeaderElectionRecord record) {
            client.with(c -> {
                delegate.update(c, record);
                return Boolean.TRUE;
            });
        }

        @Override
        public String identity() {
            return delegate.identity();
        }

        @Override
        public String describe() {
            return delegate.describe();
        }
    }

    /**
     * @param client a client of the cluster the replicas run in (not closed by this class)
     */
    public static Builder builder(KubernetesClient client, String namespace, String leaseName) {
        Checks.required(client, "client");
        return new Builder(
                new LeaseClient() {
                    @Override
                    public <T> T with(Function<KubernetesClient, T> call) {
                        return call.apply(client);
                    }
                },
                namespace,
                leaseName);
    }

    /**
     * A Lease on {@code cluster}, through {@code clients} (not closed by this class): a Lease call refused
     * with 401/403 rebuilds the cluster's client once ({@link KubernetesClientProvider#withClient}).
     */
    public static Builder builder(
            KubernetesClientProvider clients, ClusterRef cluster, String namespace, String leaseName) {
        Checks.required(clients, "clients");
        Checks.required(cluster, "cluster");
        return new Builder(
                new LeaseClient() {
                    @Override
                    public <T> T with(Function<KubernetesClient, T> call) {
                        return clients.withClient(cluster, call);
                    }
                },
                namespace,
                leaseName);
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
        LeaderElector elector = new LeaderElectorBuilder(client.with(c -> c), electorPool)
                .withConfig(new LeaderElectionConfigBuilder()
                        .withName(leaseName)
                        .withLock(new RebuildingLock(new LeaseLock(namespace, leaseName, identity), client))
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
        electorPool.shutdownNow();
    }

    /** Clears the holder by an update conditional on the version read: a new leader's write is never undone. */
    private void releaseIfHeld() {
        try {
            Lease lease = client.with(
                    c -> c.leases().inNamespace(namespace).withName(leaseName).get());
            if (lease != null
                    && lease.getSpec() != null
                    && identity.equals(lease.getSpec().getHolderIdentity())) {
                lease.getSpec().setHolderIdentity(null);
                client.with(
                        c -> c.leases().inNamespace(namespace).resource(lease).update());
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
        private final LeaseClient client;
        private final String namespace;
        private final String leaseName;
        private String identity = defaultIdentity();
        private Duration leaseDuration = DEFAULT_LEASE_DURATION;
        private Duration renewDeadline = DEFAULT_RENEW_DEADLINE;
        private Duration retryPeriod = DEFAULT_RETRY_PERIOD;

        private Builder(LeaseClient client, String namespace, String leaseName) {
            this.client = client;
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
