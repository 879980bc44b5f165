package org.elb.warmkeeper.spring.boot;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.elb.warmkeeper.core.Secrets;
import org.elb.warmkeeper.core.cluster.ClusterRef;
import org.elb.warmkeeper.core.cluster.DatabaseName;
import org.elb.warmkeeper.core.cluster.OwnerId;
import org.elb.warmkeeper.core.provision.ProvisionPolicy;
import org.elb.warmkeeper.core.provision.ProvisionScope;
import org.elb.warmkeeper.core.version.ImageTag;
import org.elb.warmkeeper.core.version.ServiceName;
import org.jspecify.annotations.Nullable;

/**
 * {@link ElbProperties} checked once, at start: every rule a value breaks fails the context with an
 * {@link ElbConfigurationException} that names the key and the rule, e.g.
 * {@code 'elb.cluster.east.subscription' is required}, which {@link ElbConfigurationFailureAnalyzer} reports.
 */
public final class ElbSettings {

    /** One managed cluster. */
    public record ManagedCluster(
            String name,
            ClusterRef ref,
            List<DatabaseName> databases,
            List<DatabaseName> downloaded,
            String kubeContext) {}

    private final ElbProperties properties;
    private final List<ManagedCluster> clusters;
    private final Map<ServiceName, ImageTag> imageTags;
    private final Map<ServiceName, URI> openApiUrls;
    private final boolean plainArm;
    private final boolean informers;
    private final Set<OwnerId> admins;
    private final ProvisionPolicy provisionPolicy;

    private ElbSettings(ElbProperties p) {
        this.properties = p;
        String jdbcUrl = p.getJdbc().getUrl();
        if (jdbcUrl != null && !jdbcUrl.startsWith("jdbc:h2:") && !jdbcUrl.startsWith("jdbc:postgresql:")) {
            throw invalid(
                    "elb.jdbc.url", "must be a jdbc:h2: or jdbc:postgresql: URL, but was '" + shown(jdbcUrl) + "'");
        }
        String redisUrl = p.getRedis().getUrl();
        if (redisUrl != null) {
            try {
                RedisUrlCheck.parse(redisUrl); // parses only: a URL Redisson would refuse stops the start here
            } catch (IllegalArgumentException e) {
                throw invalid(
                        "elb.redis.url",
                        "must be redis://[[user]:password@]host[:port][/db] (or rediss://), with '/', '@', ':' and"
                                + " '%' in the password written %2F, %40, %3A and %25 (" + e.getMessage()
                                + "), but was '" + shown(redisUrl) + "'");
            }
        }
        positive("elb.autowarm.interval", p.getAutowarm().getInterval());
        positive("elb.autowarm.lock-ttl", p.getAutowarm().getLockTtl());
        positive("elb.azure.poll-interval", p.getAzure().getPollInterval());
        positive("elb.provision.resume-window", p.getProvision().getResumeWindow());
        if (!p.getAzure().getReadinessCache().isZero()) {
            positive("elb.azure.readiness-cache", p.getAzure().getReadinessCache());
        }
        tuning(p);
        dnsLabel("elb.kube.namespace", p.getKube().getNamespace());
        if (p.getLeader().getLease() != null) {
            dnsLabel("elb.leader.lease", p.getLeader().getLease());
        }
        if (p.getLeader().getNamespace() != null) {
            dnsLabel("elb.leader.namespace", p.getLeader().getNamespace());
        }
        String auth = p.getAzure().getAuth().toLowerCase(Locale.ROOT);
        if (!auth.equals("default") && !auth.equals("none")) {
            throw invalid(
                    "elb.azure.auth",
                    "must be one of default, none, but was '" + p.getAzure().getAuth() + "'");
        }
        plainArm = auth.equals("none");
        String source = p.getKube().getStatusSource().toLowerCase(Locale.ROOT);
        if (!source.equals("informer") && !source.equals("list")) {
            throw invalid(
                    "elb.kube.status-source",
                    "must be one of informer, list, but was '" + p.getKube().getStatusSource() + "'");
        }
        informers = source.equals("informer");
        if (plainArm && p.getAzure().getEndpoint() == null) {
            throw invalid(
                    "elb.azure.endpoint",
                    "must be set when 'elb.azure.auth' is none (the URL of a Resource" + " Manager emulator or proxy)");
        }
        if (!plainArm && p.getAzure().getEndpoint() != null) {
            throw invalid(
                    "elb.azure.endpoint",
                    "is for 'elb.azure.auth' none; with the default credential the" + " public cloud is used");
        }
        if (p.getAzure().getEndpoint() != null) {
            httpUrl("elb.azure.endpoint", p.getAzure().getEndpoint(), "an http(s) URL of Resource Manager");
        }
        String header = p.getHttp().getOwnerHeader();
        if (!header.matches("[A-Za-z0-9-]{1,64}")) {
            throw invalid(
                    "elb.http.owner-header",
                    "must be an HTTP header name (letters, digits and -), but was '" + shown(header) + "'");
        }
        Set<OwnerId> adminSet = new LinkedHashSet<>();
        for (String raw : p.getHttp().getAdmins()) {
            if (!raw.isBlank()) {
                adminSet.add(
                        wrap("elb.http.admins", "a comma-separated list of owner ids", () -> OwnerId.of(raw.strip())));
            }
        }
        this.admins = Set.copyOf(adminSet);
        this.clusters = clusters(p);
        this.provisionPolicy = provisionPolicy(p.getProvision(), clusters);
        if (p.getLeader().getCluster() != null
                && clusters.stream()
                        .noneMatch(c -> c.name().equals(p.getLeader().getCluster()))) {
            throw invalid(
                    "elb.leader.cluster",
                    "must name one of 'elb.clusters' ("
                            + (clusters.isEmpty()
                                    ? "none configured"
                                    : String.join(
                                            ", ",
                                            clusters.stream()
                                                    .map(ManagedCluster::name)
                                                    .toList()))
                            + "), but was '" + p.getLeader().getCluster() + "'");
        }
        if (p.getLeader().getLease() != null && clusters.isEmpty()) {
            throw invalid("elb.leader.lease", "needs a cluster to hold the Lease: set 'elb.clusters'");
        }
        Map<ServiceName, ImageTag> tags = new LinkedHashMap<>();
        p.getImage()
                .forEach((service, tag) -> tags.put(
                        wrap(
                                "elb.image." + service,
                                "a service name (lower case, digits, - and _)",
                                () -> ServiceName.of(service)),
                        wrap("elb.image." + service, "an image tag such as v4.9", () -> ImageTag.of(tag))));
        this.imageTags = Map.copyOf(tags);
        Map<ServiceName, URI> urls = new LinkedHashMap<>();
        p.getOpenapi()
                .forEach((service, url) -> urls.put(
                        wrap("elb.openapi." + service, "a service name", () -> ServiceName.of(service)),
                        httpUrl("elb.openapi." + service, url, "the http(s) URL of the service's OpenAPI spec")));
        this.openApiUrls = Map.copyOf(urls);
    }

    /** The tuning keys (reconciler, schedule, sweep, client timeouts): each bound as its builder bounds it. */
    private static void tuning(ElbProperties p) {
        ElbProperties.Autowarm a = p.getAutowarm();
        if (a.getConcurrency() < 1) {
            throw invalid(
                    "elb.autowarm.concurrency",
                    "must be at least 1 (1 works on one cluster at a time), but was " + a.getConcurrency());
        }
        positive("elb.autowarm.cluster-deadline", a.getClusterDeadline());
        positive("elb.autowarm.tick-deadline", a.getTickDeadline());
        positive("elb.autowarm.stuck-loading-after", a.getStuckLoadingAfter());
        positive("elb.autowarm.shutdown-timeout", a.getShutdownTimeout());
        Duration cap = a.getBackoffCap();
        if (cap != null) {
            positive("elb.autowarm.backoff-cap", cap);
            if (cap.compareTo(a.getLockTtl()) < 0) {
                throw invalid(
                        "elb.autowarm.backoff-cap",
                        "must be at least 'elb.autowarm.lock-ttl' (" + a.getLockTtl() + "), the first wait, but was '"
                                + cap + "'");
            }
        }
        positive("elb.provision.retention", p.getProvision().getRetention());
        Duration maxAge = p.getProvision().getMaxAge();
        if (maxAge != null) {
            positive("elb.provision.max-age", maxAge);
            if (maxAge.compareTo(p.getProvision().getResumeWindow()) < 0) {
                throw invalid(
                        "elb.provision.max-age",
                        "must be at least 'elb.provision.resume-window' ("
                                + p.getProvision().getResumeWindow() + "), but was '" + maxAge + "'");
            }
        }
        positive("elb.kube.connect-timeout", p.getKube().getConnectTimeout());
        positive("elb.kube.request-timeout", p.getKube().getRequestTimeout());
        positive("elb.redis.connect-timeout", p.getRedis().getConnectTimeout());
        positive("elb.redis.response-timeout", p.getRedis().getResponseTimeout());
    }

    /** Checks {@code properties}; throws {@link ElbConfigurationException} naming the first bad key. */
    public static ElbSettings of(ElbProperties properties) {
        return new ElbSettings(properties);
    }

    public ElbProperties properties() {
        return properties;
    }

    public List<ManagedCluster> clusters() {
        return clusters;
    }

    public Map<ServiceName, ImageTag> imageTags() {
        return imageTags;
    }

    public Map<ServiceName, URI> openApiUrls() {
        return openApiUrls;
    }

    /** {@code elb.azure.auth=none}: an unauthenticated pipeline to {@code elb.azure.endpoint}. */
    public boolean plainArm() {
        return plainArm;
    }

    /** {@code elb.http.admins}: the owners allowed {@code force=true}. */
    public Set<OwnerId> admins() {
        return admins;
    }

    /** {@code elb.provision.*}: what a provision request may ask for (the runner's keys and messages). */
    public ProvisionPolicy provisionPolicy() {
        return provisionPolicy;
    }

    private static ProvisionPolicy provisionPolicy(ElbProperties.Provision p, List<ManagedCluster> clusters) {
        ProvisionPolicy.Builder b = ProvisionPolicy.builder();
        List<String> scopes = p.getAllowedScopes() == null
                ? null
                : p.getAllowedScopes().stream()
                        .map(String::strip)
                        .filter(v -> !v.isEmpty())
                        .toList();
        if (scopes == null) {
            b.allowedScopes(
                    clusters.stream().map(k -> ProvisionScope.of(k.ref())).toList());
        } else if (scopes.equals(List.of("*"))) {
            b.anyScope();
        } else {
            wrap(
                    "elb.provision.allowed-scopes",
                    "a comma-separated list of <subscription-id>/<resource-group> pairs, or *",
                    () -> b.allowedScopes(
                            scopes.stream().map(ProvisionScope::parse).toList()));
        }
        wrap(
                "elb.provision.allowed-regions",
                "a comma-separated list of Azure location names",
                () -> b.allowedRegions(stripped(p.getAllowedRegions())));
        wrap(
                "elb.provision.allowed-vm-sizes",
                "a comma-separated list of VM sizes",
                () -> b.allowedVmSizes(stripped(p.getAllowedVmSizes())));
        return b.maxNodes(between("elb.provision.max-nodes", p.getMaxNodes(), ProvisionPolicy.NODE_COUNT_CEILING))
                .maxActivePerOwner(between("elb.provision.max-active-per-owner", p.getMaxActivePerOwner(), 100_000))
                .ownerRatePerMinute(between("elb.provision.owner-rate", p.getOwnerRate(), 100_000))
                .maxQueued(between("elb.provision.max-queued", p.getMaxQueued(), 100_000))
                .build();
    }

    private static List<String> stripped(List<String> values) {
        return values.stream().map(String::strip).filter(v -> !v.isEmpty()).toList();
    }

    private static int between(String key, int value, int max) {
        if (value < 1 || value > max) {
            throw invalid(key, "must be an integer between 1 and " + max + ", but was '" + value + "'");
        }
        return value;
    }

    /** {@code elb.kube.status-source=informer}: warm status and node readiness from informer caches. */
    public boolean informers() {
        return informers;
    }

    /** The cluster that holds the leader Lease, when {@code elb.leader.lease} is set. */
    public Optional<ManagedCluster> leaseCluster() {
        if (properties.getLeader().getLease() == null || clusters.isEmpty()) {
            return Optional.empty();
        }
        String name = properties.getLeader().getCluster();
        return name == null
                ? Optional.of(clusters.get(0))
                : clusters.stream().filter(c -> c.name().equals(name)).findFirst();
    }

    private static List<ManagedCluster> clusters(ElbProperties p) {
        List<ManagedCluster> out = new ArrayList<>();
        for (String raw : p.getClusters()) {
            String name = raw.strip();
            if (name.isEmpty()) {
                continue;
            }
            String prefix = "elb.cluster." + name + ".";
            ElbProperties.Cluster c = p.getCluster().get(name);
            String sub = c == null ? null : c.getSubscription();
            if (c == null || sub == null || sub.isBlank()) {
                throw required(prefix + "subscription", "the cluster's Azure subscription id (a GUID)");
            }
            String rg = c.getResourceGroup();
            if (rg == null || rg.isBlank()) {
                throw required(prefix + "resource-group", "the cluster's Azure resource group");
            }
            ClusterRef ref = wrap(
                    prefix + "*",
                    "a valid subscription id, resource group and AKS cluster name",
                    () -> ClusterRef.of(sub, rg, name));
            List<DatabaseName> dbs = databases(prefix + "databases", c.getDatabases());
            List<String> downloaded = c.getDownloaded();
            out.add(new ManagedCluster(
                    name,
                    ref,
                    dbs,
                    downloaded == null ? dbs : databases(prefix + "downloaded", downloaded),
                    c.getKubeContext() == null ? name : c.getKubeContext()));
        }
        for (String configured : p.getCluster().keySet()) {
            if (p.getClusters().stream().noneMatch(n -> n.strip().equals(configured))) {
                throw invalid("elb.cluster." + configured, "is not in 'elb.clusters' " + p.getClusters());
            }
        }
        return List.copyOf(out);
    }

    private static List<DatabaseName> databases(String key, List<String> names) {
        List<DatabaseName> out = new ArrayList<>();
        for (String raw : names) {
            if (!raw.isBlank()) {
                out.add(wrap(
                        key,
                        "a comma-separated list of BLAST database names such as core_nt,swissprot",
                        () -> DatabaseName.of(raw.strip())));
            }
        }
        return List.copyOf(out);
    }

    private static void positive(String key, Duration d) {
        if (d.isZero() || d.isNegative()) {
            throw invalid(key, "must be a positive ISO-8601 duration such as PT1M, but was '" + d + "'");
        }
    }

    private static void dnsLabel(String key, @Nullable String v) {
        if (v == null || !v.matches("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?")) {
            throw invalid(
                    key, "must be a DNS label (lower-case letters, digits and -, at most 63), but was '" + v + "'");
        }
    }

    /** An absolute http(s) URL with a host, else an error naming the key (the value masked). */
    private static URI httpUrl(String key, String value, String expected) {
        String problem;
        URI uri = null;
        try {
            uri = new URI(value);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            problem = !scheme.equals("http") && !scheme.equals("https")
                    ? "not http(s)"
                    : uri.getHost() == null ? "no host (a '/' or '@' in a password must be written %2F or %40)" : null;
        } catch (URISyntaxException e) {
            problem = "not a URL: " + e.getReason();
        }
        if (problem != null || uri == null) {
            throw invalid(key, "must be " + expected + " (" + problem + "), but was '" + shown(value) + "'");
        }
        return uri;
    }

    /** A value as an error message may show it: masked and cut at 120 characters. */
    static String shown(String value) {
        String m = Secrets.masked(value);
        return m.length() > 120 ? m.substring(0, 120) + "…" : m;
    }

    private static ElbConfigurationException required(String key, String expected) {
        String env = key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
        return new ElbConfigurationException(key, "'" + key + "' is required (or " + env + "): expected " + expected);
    }

    private static <T> T wrap(String key, String expected, Supplier<T> make) {
        try {
            return make.get();
        } catch (IllegalArgumentException e) {
            throw invalid(key, "must be " + expected + ": " + e.getMessage());
        }
    }

    /** A bad {@code key}: the failure analyzer reports it with the key to change. */
    static ElbConfigurationException invalid(String key, String rule) {
        return new ElbConfigurationException(key, "'" + key + "' " + rule);
    }
}
