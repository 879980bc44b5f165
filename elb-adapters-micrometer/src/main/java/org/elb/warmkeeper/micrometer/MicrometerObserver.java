package org.elb.warmkeeper.micrometer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.elb.warmkeeper.core.cluster.Checks;
import org.elb.warmkeeper.core.cluster.ClusterRef;
import org.elb.warmkeeper.core.cluster.DatabaseName;
import org.elb.warmkeeper.core.provision.ErrorCategory;
import org.elb.warmkeeper.core.provision.JobStatus;
import org.elb.warmkeeper.core.provision.ProvisionRequest;
import org.elb.warmkeeper.core.provision.ProvisionRule;
import org.elb.warmkeeper.core.provision.ProvisioningObserver;
import org.elb.warmkeeper.core.provision.ProvisioningService;
import org.elb.warmkeeper.core.warm.AutoWarmObserver;
import org.elb.warmkeeper.core.warm.SkipReason;
import org.elb.warmkeeper.core.warm.TickReport;
import org.jspecify.annotations.Nullable;

/**
 * Records ELB Warmkeeper's events as Micrometer meters. Pass it to
 * {@code AutoWarmReconciler.Builder.observer}, {@code AutoWarmScheduler.Builder.observer} and
 * {@code ProvisioningService.Builder.observer}.
 *
 * <table>
 *   <caption>Meters</caption>
 *   <tr><th>name</th><th>type</th><th>tags</th></tr>
 *   <tr><td>{@code elb.autowarm.ticks}</td><td>timer (count = ticks, tick duration)</td><td></td></tr>
 *   <tr><td>{@code elb.autowarm.tick.failures}</td><td>counter</td><td></td></tr>
 *   <tr><td>{@code elb.autowarm.enqueued}</td><td>counter</td><td>{@code cluster}</td></tr>
 *   <tr><td>{@code elb.autowarm.skipped}</td><td>counter</td><td>{@code cluster}, {@code reason}</td></tr>
 *   <tr><td>{@code elb.autowarm.lock.fail_open}</td><td>counter</td><td>{@code cluster}</td></tr>
 *   <tr><td>{@code elb.autowarm.probe.errors}</td><td>counter</td><td>{@code cluster}, {@code stage}</td></tr>
 *   <tr><td>{@code elb.autowarm.backoff}</td><td>gauge: databases in backoff at the last tick</td><td></td></tr>
 *   <tr><td>{@code elb.autowarm.stuck_loading}</td><td>gauge: databases LOADING longer than the threshold at
 *       the last tick</td><td></td></tr>
 *   <tr><td>{@code elb.informer.watch.age}</td><td>gauge: seconds since the last event or bookmark of an
 *       informer's watch, as last reported by the probe</td><td>{@code cluster}, {@code informer}
 *       ({@code warm_status} or {@code nodes})</td></tr>
 *   <tr><td>{@code elb.provision.requests}</td><td>counter: requests the policy accepted</td><td>{@code region}</td></tr>
 *   <tr><td>{@code elb.provision.refused}</td><td>counter: requests the policy refused</td><td>{@code rule},
 *       {@code kind}</td></tr>
 *   <tr><td>{@code elb.provision.outcomes}</td><td>counter</td><td>{@code status}, {@code category}</td></tr>
 *   <tr><td>{@code elb.provision.state_write.failures}</td><td>counter</td><td>{@code operation}</td></tr>
 *   <tr><td>{@code elb.provision.recent_failed.degraded}</td><td>counter</td><td></td></tr>
 * </table>
 *
 * The {@code cluster} tag is the cluster name (clusters are few); turn it off with
 * {@link Builder#clusterTag(boolean)} when cardinality matters. Database names are never tags. Every tag
 * value comes from a fixed set: the {@code region} tag is the region when it is one of
 * {@link #AZURE_REGIONS} (or of {@link Builder#regions}), else {@value #OTHER}; rules, kinds, statuses and
 * categories are enums; operations and stages are the library's own words.
 */
public final class MicrometerObserver implements AutoWarmObserver, ProvisioningObserver {

    public static final String PREFIX = "elb.";
    /** The tag value of a region outside the known set. */
    public static final String OTHER = "other";
    /** Azure's public-cloud location names: the default set of {@code region} tag values. */
    public static final java.util.Set<String> AZURE_REGIONS = java.util.Set.of(
            "australiacentral",
            "australiacentral2",
            "australiaeast",
            "australiasoutheast",
            "austriaeast",
            "belgiumcentral",
            "brazilsouth",
            "brazilsoutheast",
            "canadacentral",
            "canadaeast",
            "centralindia",
            "centralus",
            "chilecentral",
            "eastasia",
            "eastus",
            "eastus2",
            "francecentral",
            "francesouth",
            "germanynorth",
            "germanywestcentral",
            "indonesiacentral",
            "israelcentral",
            "italynorth",
            "japaneast",
            "japanwest",
            "jioindiacentral",
            "jioindiawest",
            "koreacentral",
            "koreasouth",
            "malaysiawest",
            "mexicocentral",
            "newzealandnorth",
            "northcentralus",
            "northeurope",
            "norwayeast",
            "norwaywest",
            "polandcentral",
            "qatarcentral",
            "southafricanorth",
            "southafricawest",
            "southcentralus",
            "southeastasia",
            "southindia",
            "spaincentral",
            "swedencentral",
            "switzerlandnorth",
            "switzerlandwest",
            "uaecentral",
            "uaenorth",
            "uksouth",
            "ukwest",
            "westcentralus",
            "westeurope",
            "westindia",
            "westus",
            "westus2",
            "westus3");

    private final MeterRegistry registry;
    private final boolean clusterTag;
    private final java.util.Set<String> regions;
    private final Timer ticks;
    private final Counter tickFailures;
    private final Counter degraded;
    private final AtomicInteger inBackoff = new AtomicInteger();
    private final AtomicInteger stuckLoading = new AtomicInteger();
    /** Watch age in milliseconds per (cluster tag, informer): the gauges hold these strongly. */
    private final Map<String, AtomicLong> watchAges = new ConcurrentHashMap<>();

    private MicrometerObserver(Builder b) {
        this.registry = b.registry;
        this.clusterTag = b.clusterTag;
        this.regions = b.regions;
        this.ticks = Timer.builder(PREFIX + "autowarm.ticks")
                .description("Auto-warm ticks and their duration")
                .register(registry);
        this.tickFailures = Counter.builder(PREFIX + "autowarm.tick.failures")
                .description("Ticks that threw")
                .register(registry);
        this.degraded = Counter.builder(PREFIX + "provision.recent_failed.degraded")
                .description("Recent-failed queries answered degraded")
                .register(registry);
        Gauge.builder(PREFIX + "autowarm.backoff", inBackoff, AtomicInteger::get)
                .description("Databases skipped 'backoff' at the last tick")
                .register(registry);
        Gauge.builder(PREFIX + "autowarm.stuck_loading", stuckLoading, AtomicInteger::get)
                .description("Databases LOADING longer than the threshold at the last tick")
                .register(registry);
    }

    public static MicrometerObserver of(MeterRegistry registry) {
        return builder(registry).build();
    }

    public static Builder builder(MeterRegistry registry) {
        return new Builder(registry);
    }

    private String cluster(ClusterRef cluster) {
        return clusterTag ? cluster.clusterName() : "all";
    }

    @Override
    public void tickCompleted(TickReport report, Duration duration) {
        ticks.record(duration);
        inBackoff.set((int) report.clusters().stream()
                .flatMap(o -> o.skipped().stream())
                .filter(s -> s.reason() == SkipReason.BACKOFF)
                .count());
        stuckLoading.set(report.clusters().stream()
                .mapToInt(o -> o.stuckLoading().size())
                .sum());
    }

    @Override
    public void tickFailed(Throwable error) {
        tickFailures.increment();
    }

    @Override
    public void enqueued(ClusterRef cluster, DatabaseName db) {
        Counter.builder(PREFIX + "autowarm.enqueued")
                .description("Warmup Jobs enqueued")
                .tag("cluster", cluster(cluster))
                .register(registry)
                .increment();
    }

    @Override
    public void skipped(ClusterRef cluster, DatabaseName db, SkipReason reason) {
        Counter.builder(PREFIX + "autowarm.skipped")
                .description("Configured databases not enqueued at a tick, by reason")
                .tags("cluster", cluster(cluster), "reason", reason.wireName())
                .register(registry)
                .increment();
    }

    @Override
    public void lockFailedOpen(ClusterRef cluster, DatabaseName db) {
        Counter.builder(PREFIX + "autowarm.lock.fail_open")
                .description("Warmups enqueued without the in-flight lock because the lock store was unavailable")
                .tag("cluster", cluster(cluster))
                .register(registry)
                .increment();
    }

    @Override
    public void probeFailed(ClusterRef cluster, String stage, Throwable error) {
        Counter.builder(PREFIX + "autowarm.probe.errors")
                .description("Failed calls to a cluster's Kubernetes API, ARM or the lock, by stage")
                .tags("cluster", cluster(cluster), "stage", stage)
                .register(registry)
                .increment();
    }

    @Override
    public void watchAge(ClusterRef cluster, String informer, Duration age) {
        String tag = cluster(cluster);
        watchAges
                .computeIfAbsent(tag + "\u0000" + informer, k -> {
                    AtomicLong millis = new AtomicLong();
                    Gauge.builder(PREFIX + "informer.watch.age", millis, m -> m.get() / 1000.0)
                            .description("Seconds since the last event or bookmark of an informer's watch")
                            .baseUnit("seconds")
                            .tag("cluster", tag)
                            .tag("informer", informer)
                            .register(registry);
                    return millis;
                })
                .set(age.toMillis());
    }

    @Override
    public void provisionRequested(ProvisionRequest request) {
        String region = regions.contains(request.region()) ? request.region() : OTHER;
        Counter.builder(PREFIX + "provision.requests")
                .description("AKS provision requests the policy accepted")
                .tag("region", region)
                .register(registry)
                .increment();
    }

    @Override
    public void provisionRefused(ProvisionRule rule) {
        Counter.builder(PREFIX + "provision.refused")
                .description("AKS provision requests the policy refused, by rule and kind")
                .tags("rule", rule.wireName(), "kind", rule.kind().wireName())
                .register(registry)
                .increment();
    }

    @Override
    public void provisionEnded(JobStatus status, @Nullable ErrorCategory category) {
        Counter.builder(PREFIX + "provision.outcomes")
                .description("Provisions that ended, by status and error category")
                .tags("status", status.wireName(), "category", category == null ? "none" : category.wireName())
                .register(registry)
                .increment();
    }

    @Override
    public void stateWriteFailed(String operation, Throwable error) {
        Counter.builder(PREFIX + "provision.state_write.failures")
                .description("Job-state writes the store refused (each waits in memory and is retried)")
                .tag("operation", operation)
                .register(registry)
                .increment();
    }

    @Override
    public void recentFailedDegraded(Throwable error) {
        degraded.increment();
    }

    /**
     * Adds the job-state write queue of {@code service} to the registry: gauge {@code
     * elb.provision.pending_writes} (writes waiting for the store now; lost if the process dies) and
     * counter {@code elb.provision.dropped_writes} (dropped because too many were waiting). Returns this.
     */
    public MicrometerObserver bindWriteQueue(ProvisioningService service) {
        Checks.required(service, "service");
        Gauge.builder(PREFIX + "provision.pending_writes", service, ProvisioningService::pendingWrites)
                .description("Job-state writes waiting in memory for the store (retried; lost if the process dies)")
                .strongReference(true)
                .register(registry);
        FunctionCounter.builder(PREFIX + "provision.dropped_writes", service, ProvisioningService::droppedWrites)
                .description("Job-state writes dropped because too many were waiting for the store")
                .register(registry);
        return this;
    }

    /** Builder of {@link MicrometerObserver}. */
    public static final class Builder {
        private final MeterRegistry registry;
        private boolean clusterTag = true;
        private java.util.Set<String> regions = AZURE_REGIONS;

        private Builder(MeterRegistry registry) {
            this.registry = Checks.required(registry, "registry");
        }

        /** Tag per-cluster meters with the cluster name. Default true. */
        public Builder clusterTag(boolean clusterTag) {
            this.clusterTag = clusterTag;
            return this;
        }

        /**
         * The region names that are tag values (any other is {@value #OTHER}); default {@link #AZURE_REGIONS}.
         * At most 200.
         */
        public Builder regions(java.util.Collection<String> regions) {
            Checks.required(regions, "regions");
            if (regions.size() > 200) {
                throw new IllegalArgumentException("'regions' must hold at most 200 names, but held " + regions.size());
            }
            this.regions = java.util.Set.copyOf(regions);
            return this;
        }

        public MicrometerObserver build() {
            return new MicrometerObserver(this);
        }
    }
}
