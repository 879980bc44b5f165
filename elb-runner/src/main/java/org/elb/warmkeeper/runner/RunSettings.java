package org.elb.warmkeeper.runner;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.elb.warmkeeper.core.Secrets;
import org.elb.warmkeeper.core.cluster.ClusterRef;
import org.elb.warmkeeper.core.cluster.DatabaseName;
import org.elb.warmkeeper.core.cluster.OwnerId;
import org.elb.warmkeeper.core.provision.ProvisionPolicy;
import org.elb.warmkeeper.core.provision.ProvisionScope;
import org.elb.warmkeeper.core.version.ImageTag;
import org.elb.warmkeeper.core.version.ServiceName;
import org.elb.warmkeeper.core.warm.CachedReadinessProbe;
import org.elb.warmkeeper.http.EventHub;
import org.elb.warmkeeper.k8s.InCluster;
import org.elb.warmkeeper.redis.RedissonClients;
import org.elb.warmkeeper.runner.RunConfig.ConfigException;
import org.jspecify.annotations.Nullable;

/**
 * The runner's settings, read from a {@link RunConfig} and validated eagerly: every error is a
 * {@link ConfigException} naming the key and the expected form. The keys, their defaults and their
 * environment names are listed in {@code elb-runner/README.md}.
 */
final class RunSettings {

    static final String DEFAULT_JDBC_URL = "jdbc:h2:file:./elb-data/warmkeeper";
    static final int DEFAULT_HTTP_PORT = 8080;
    static final String DEFAULT_HTTP_HOST = "127.0.0.1";
    static final Duration DEFAULT_INTERVAL = Duration.ofMinutes(1);
    static final Duration DEFAULT_LOCK_TTL = Duration.ofMinutes(15);
    static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(30);
    static final Duration DEFAULT_CHECK_TIMEOUT = Duration.ofSeconds(10);
    static final Duration DEFAULT_RESUME_WINDOW = Duration.ofMinutes(15);
    static final String DEFAULT_NAMESPACE = "default";
    static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofSeconds(10);

    /** How the runner reaches each cluster's Kubernetes API. */
    enum KubeSource {
        NONE,
        KUBECONFIG,
        AKS
    }

    /**
     * Where warm status and node readiness come from: informer caches (a LIST once, then a WATCH per
     * cluster: no API call per tick once synced) or a LIST of each per cluster per tick.
     */
    enum StatusSource {
        INFORMER,
        LIST
    }

    /** How the HTTP API identifies its callers. */
    enum IdentityMode {
        HEADER,
        JWT
    }

    /** {@code elb.log.format}: SLF4J simple's text lines, or one JSON object per line with the MDC. */
    enum LogFormat {
        TEXT,
        JSON
    }

    /** How the runner authenticates to Azure Resource Manager. */
    enum AzureAuth {
        DEFAULT,
        NONE
    }

    /** One configured cluster: its reference, its auto-warm databases, what is downloaded, its kubeconfig context. */
    record Cluster(
            String name,
            ClusterRef ref,
            List<DatabaseName> databases,
            List<DatabaseName> downloaded,
            String kubeContext) {}

    final String jdbcUrl;
    final @Nullable String jdbcUser;
    final @Nullable String jdbcPassword;
    final @Nullable String jdbcSchema;
    final @Nullable String redisUrl;
    final String httpHost;
    final int httpPort;
    final String ownerHeader;
    final Set<OwnerId> admins;
    /** {@code elb.http.identity}: no default; {@code run} refuses to start without one. */
    final @Nullable IdentityMode identity;
    /** {@code elb.http.gateway-secret}: what the gateway proves itself with in header mode. */
    final @Nullable String gatewaySecret;

    final LogFormat logFormat;
    final @Nullable String jwtIssuer;
    final @Nullable String jwtAudience;
    final @Nullable String jwtJwksUrl;
    final @Nullable Path jwtJwksFile;
    final String jwtOwnerClaim;
    final Duration jwtClockSkew;
    final Duration drainTimeout;
    /** Whether {@code /} serves the status page. */
    final boolean page;
    /** {@code /api/events}: heartbeat, open streams, events buffered per stream, resume window. */
    final EventHub.Options events;

    final Duration interval;
    final Duration lockTtl;
    /** {@code elb.autowarm.reseed}: write the configured databases into the store again at this start. */
    final boolean reseed;

    final Duration checkTimeout;
    final Duration resumeWindow;
    final KubeSource kubeSource;
    final @Nullable Path kubeconfig;
    final String namespace;
    final StatusSource statusSource;
    final @Nullable Path warmupTemplate;
    final String warmupImage;
    final @Nullable String leaderLease;
    /** {@code elb.leader.namespace}, or null: then the Pod's namespace in-cluster, else {@link #namespace}. */
    final @Nullable String leaderNamespaceSet;

    final @Nullable String leaderCluster;
    /** The Pod the runner runs in, when it does (decides where the Lease is by default). */
    final Optional<InCluster> inCluster;

    final AzureAuth azureAuth;
    final @Nullable String azureEndpoint;
    final @Nullable String azureTenant;
    final Duration pollInterval;
    final boolean armReadiness;
    /** How long an ARM "ready" answer is reused; zero: ARM is read on every tick. */
    final Duration armReadinessCache;

    final @Nullable String registry;
    final Map<ServiceName, ImageTag> imageTags;
    final Map<ServiceName, String> openApiUrls;
    final List<Cluster> clusters;
    final @Nullable String owner;
    /** {@code elb.provision.*}: what a provision request may ask for. */
    final ProvisionPolicy provisionPolicy;

    /**
     * {@code elb.provision.allowed-scopes} ({@code <subscription>/<resource-group>} pairs, comma-separated,
     * or {@code *} for any; default the pairs of {@code elb.clusters}), {@code allowed-regions} and
     * {@code allowed-vm-sizes} (comma-separated; default any), {@code max-nodes},
     * {@code max-active-per-owner}, {@code owner-rate} (per minute) and {@code max-queued}.
     */
    static ProvisionPolicy provisionPolicy(RunConfig c, List<Cluster> clusters) {
        ProvisionPolicy.Builder p = ProvisionPolicy.builder();
        Optional<String> scopes = c.optional("elb.provision.allowed-scopes");
        if (scopes.isPresent() && scopes.get().strip().equals("*")) {
            p.anyScope();
        } else if (scopes.isPresent()) {
            policyList(
                    "elb.provision.allowed-scopes",
                    "a comma-separated list of <subscription-id>/<resource-group> pairs, or *",
                    () -> p.allowedScopes(csv(scopes.get()).stream()
                            .map(ProvisionScope::parse)
                            .toList()));
        } else {
            p.allowedScopes(
                    clusters.stream().map(k -> ProvisionScope.of(k.ref())).toList());
        }
        c.optional("elb.provision.allowed-regions")
                .ifPresent(v -> policyList(
                        "elb.provision.allowed-regions",
                        "a comma-separated list of Azure location names",
                        () -> p.allowedRegions(csv(v))));
        c.optional("elb.provision.allowed-vm-sizes")
                .ifPresent(v -> policyList(
                        "elb.provision.allowed-vm-sizes",
                        "a comma-separated list of VM sizes",
                        () -> p.allowedVmSizes(csv(v))));
        return p.maxNodes(c.integer(
                        "elb.provision.max-nodes",
                        ProvisionPolicy.DEFAULT_MAX_NODES,
                        1,
                        ProvisionPolicy.NODE_COUNT_CEILING))
                .maxActivePerOwner(c.integer(
                        "elb.provision.max-active-per-owner", ProvisionPolicy.DEFAULT_MAX_ACTIVE_PER_OWNER, 1, 100_000))
                .ownerRatePerMinute(c.integer(
                        "elb.provision.owner-rate", ProvisionPolicy.DEFAULT_OWNER_RATE_PER_MINUTE, 1, 100_000))
                .maxQueued(c.integer("elb.provision.max-queued", ProvisionPolicy.DEFAULT_MAX_QUEUED, 1, 100_000))
                .build();
    }

    private static void policyList(String key, String expected, Runnable set) {
        try {
            set.run();
        } catch (IllegalArgumentException e) {
            throw new ConfigException("'" + key + "' must be " + expected + ": " + e.getMessage());
        }
    }

    private static List<String> csv(String value) {
        return java.util.Arrays.stream(value.split(","))
                .map(String::strip)
                .filter(v -> !v.isEmpty())
                .toList();
    }

    private RunSettings(RunConfig c, Optional<InCluster> inCluster) {
        this.inCluster = inCluster;
        jdbcUrl = c.string("elb.jdbc.url", DEFAULT_JDBC_URL);
        if (!jdbcUrl.startsWith("jdbc:h2:") && !jdbcUrl.startsWith("jdbc:postgresql:")) {
            throw new ConfigException(
                    "'elb.jdbc.url' must be a jdbc:h2: or jdbc:postgresql: URL, but was '" + shown(jdbcUrl) + "'");
        }
        jdbcUser = c.optional("elb.jdbc.user").orElse(null);
        jdbcPassword = c.optional("elb.jdbc.password").orElse(null);
        jdbcSchema = c.optional("elb.jdbc.schema").orElse(null);
        redisUrl = c.optional("elb.redis.url").orElse(null);
        if (redisUrl != null) {
            try {
                RedissonClients.builder(redisUrl); // parses only: a URL Redisson would refuse stops the start here
            } catch (IllegalArgumentException e) {
                throw new ConfigException(
                        "'elb.redis.url' must be redis://[[user]:password@]host[:port][/db] (or rediss://),"
                                + " with '/', '@', ':' and '%' in the password written %2F, %40, %3A and %25 ("
                                + e.getMessage()
                                + "), but was '" + shown(redisUrl) + "'");
            }
        }
        httpHost = c.string("elb.http.host", DEFAULT_HTTP_HOST);
        httpPort = c.integer("elb.http.port", DEFAULT_HTTP_PORT, 0, 65535);
        ownerHeader = c.string("elb.http.owner-header", "X-Elb-Owner");
        if (!ownerHeader.matches("[A-Za-z0-9-]{1,64}")) {
            throw new ConfigException(
                    "'elb.http.owner-header' must be an HTTP header name (letters, digits and -), but was '"
                            + shown(ownerHeader) + "'");
        }
        Set<OwnerId> adminSet = new LinkedHashSet<>();
        for (String raw : c.string("elb.http.admins", "").split(",")) {
            if (!raw.isBlank()) {
                adminSet.add(
                        wrap("elb.http.admins", "a comma-separated list of owner ids", () -> OwnerId.of(raw.strip())));
            }
        }
        admins = Set.copyOf(adminSet);
        drainTimeout = c.duration("elb.http.drain-timeout", DEFAULT_DRAIN_TIMEOUT);
        page = bool(c, "elb.http.page", true);
        events = EventHub.Options.defaults()
                .withHeartbeat(c.duration("elb.http.events.heartbeat", EventHub.Options.DEFAULT_HEARTBEAT))
                .withMaxStreams(c.integer("elb.http.events.max-streams", EventHub.Options.DEFAULT_MAX_STREAMS, 1, 4096))
                .withBufferEvents(
                        c.integer("elb.http.events.buffer", EventHub.Options.DEFAULT_BUFFER_EVENTS, 4, 100_000))
                .withResumeWindow(c.duration("elb.http.events.resume-window", EventHub.Options.DEFAULT_RESUME_WINDOW));
        identity = c.optional("elb.http.identity").isEmpty()
                ? null
                : choice(c, "elb.http.identity", IdentityMode.class, IdentityMode.JWT);
        gatewaySecret = c.optional("elb.http.gateway-secret")
                .map(v -> {
                    if (v.length() < 16) {
                        throw new ConfigException("'elb.http.gateway-secret' must be at least 16 characters long");
                    }
                    return v;
                })
                .orElse(null);
        logFormat = choice(c, "elb.log.format", LogFormat.class, LogFormat.TEXT);
        jwtIssuer = c.optional("elb.http.jwt.issuer").orElse(null);
        jwtAudience = c.optional("elb.http.jwt.audience").orElse(null);
        jwtJwksUrl = c.optional("elb.http.jwt.jwks-url").orElse(null);
        jwtJwksFile = c.optional("elb.http.jwt.jwks-file").map(Path::of).orElse(null);
        jwtOwnerClaim = c.string("elb.http.jwt.owner-claim", "oid");
        jwtClockSkew = c.duration("elb.http.jwt.clock-skew", Duration.ofSeconds(60));
        if (identity == IdentityMode.JWT) {
            if (jwtIssuer == null || jwtAudience == null) {
                throw new ConfigException(
                        "'elb.http.identity' jwt needs 'elb.http.jwt.issuer' and 'elb.http.jwt.audience'");
            }
            if ((jwtJwksUrl == null) == (jwtJwksFile == null)) {
                throw new ConfigException(
                        "'elb.http.identity' jwt needs exactly one of 'elb.http.jwt.jwks-url' and 'elb.http.jwt.jwks-file'");
            }
            if (jwtJwksUrl != null) {
                httpUrl("elb.http.jwt.jwks-url", jwtJwksUrl, "the http(s) URL of the issuer's JWKS");
            }
        }
        interval = c.duration("elb.autowarm.interval", DEFAULT_INTERVAL);
        lockTtl = c.duration("elb.autowarm.lock-ttl", DEFAULT_LOCK_TTL);
        reseed = bool(c, "elb.autowarm.reseed", false);
        checkTimeout = c.duration("elb.check.timeout", DEFAULT_CHECK_TIMEOUT);
        resumeWindow = c.duration("elb.provision.resume-window", DEFAULT_RESUME_WINDOW);
        kubeconfig = c.optional("elb.kube.config").map(Path::of).orElse(null);
        kubeSource = choice(
                c, "elb.kube.source", KubeSource.class, kubeconfig != null ? KubeSource.KUBECONFIG : KubeSource.NONE);
        namespace = dnsLabel(c, "elb.kube.namespace", DEFAULT_NAMESPACE);
        statusSource = choice(c, "elb.kube.status-source", StatusSource.class, StatusSource.INFORMER);
        warmupTemplate = c.optional("elb.kube.warmup-template").map(Path::of).orElse(null);
        warmupImage = c.string("elb.kube.warmup-image", "ncbi/elb:1.4.0");
        leaderLease = c.optional("elb.leader.lease").orElse(null);
        if (leaderLease != null) {
            dnsLabel(c, "elb.leader.lease", "");
        }
        leaderNamespaceSet =
                c.optional("elb.leader.namespace").isPresent() ? dnsLabel(c, "elb.leader.namespace", namespace) : null;
        leaderCluster = c.optional("elb.leader.cluster").orElse(null);
        azureAuth = choice(c, "elb.azure.auth", AzureAuth.class, AzureAuth.DEFAULT);
        azureEndpoint = c.optional("elb.azure.endpoint").orElse(null);
        if (azureEndpoint != null) {
            httpUrl("elb.azure.endpoint", azureEndpoint, "an http(s) URL of Resource Manager");
        }
        azureTenant = c.optional("elb.azure.tenant").orElse(null);
        pollInterval = c.duration("elb.azure.poll-interval", DEFAULT_POLL_INTERVAL);
        armReadiness = bool(c, "elb.azure.readiness", true);
        armReadinessCache = c.durationOrZero("elb.azure.readiness-cache", CachedReadinessProbe.DEFAULT_READY_TTL);
        registry = c.optional("elb.registry.login-server").orElse(null);
        imageTags = new LinkedHashMap<>();
        c.section("elb.image")
                .forEach((service, tag) -> imageTags.put(
                        wrap(
                                "elb.image." + service,
                                "a service name (lower case, digits, - and _)",
                                () -> ServiceName.of(service)),
                        wrap("elb.image." + service, "an image tag such as v4.9", () -> ImageTag.of(tag))));
        openApiUrls = new LinkedHashMap<>();
        c.section("elb.openapi").forEach((service, url) -> {
            httpUrl("elb.openapi." + service, url, "the http(s) URL of the service's OpenAPI spec");
            openApiUrls.put(wrap("elb.openapi." + service, "a service name", () -> ServiceName.of(service)), url);
        });
        clusters = clusters(c);
        provisionPolicy = provisionPolicy(c, clusters);
        if (leaderCluster != null && clusters.stream().noneMatch(k -> k.name().equals(leaderCluster))) {
            throw new ConfigException("'elb.leader.cluster' must name one of 'elb.clusters' ("
                    + (clusters.isEmpty()
                            ? "none configured"
                            : String.join(
                                    ", ", clusters.stream().map(Cluster::name).toList()))
                    + "), but was '" + leaderCluster + "'");
        }
        if (leaderLease != null && kubeSource == KubeSource.NONE) {
            throw new ConfigException(
                    "'elb.leader.lease' needs Kubernetes: set 'elb.kube.source' to kubeconfig or aks");
        }
        if (leaderLease != null && clusters.isEmpty() && inCluster.isEmpty()) {
            // in a Pod the Lease would be in the runner's own cluster (see "Where the Lease is")
            throw new ConfigException("'elb.leader.lease' needs a cluster to hold the Lease: set 'elb.clusters'");
        }
        owner = c.optional("elb.owner").orElse(null);
    }

    /** Settings of a runner that does not run in a Kubernetes Pod. */
    static RunSettings from(RunConfig config) {
        return new RunSettings(config, Optional.empty());
    }

    /** Settings of a runner in {@code inCluster} (empty: not in a Pod). */
    static RunSettings from(RunConfig config, Optional<InCluster> inCluster) {
        return new RunSettings(config, inCluster);
    }

    /**
     * Where the Lease is, with {@code elb.leader.lease} set.
     *
     * @param cluster the managed cluster that holds it, or null: the runner's own cluster (in-cluster
     *     configuration, the Pod's service account)
     * @param namespace its namespace
     */
    record LeasePlacement(@Nullable Cluster cluster, String namespace) {
        /** Where, for the start-up check: {@code on <cluster>} or {@code in the runner's own cluster (in-cluster)}. */
        String where() {
            Cluster c = cluster;
            return c == null ? "in the runner's own cluster (in-cluster)" : "on " + c.name();
        }
    }

    /**
     * {@code elb.leader.cluster} when set; else the runner's own cluster when it runs in a Pod; else the
     * first of {@code elb.clusters} (then that cluster being down stops ticking everywhere). The namespace is
     * {@code elb.leader.namespace}, else the Pod's namespace for the own cluster, else {@code elb.kube.namespace}.
     */
    Optional<LeasePlacement> leasePlacement() {
        if (leaderLease == null) {
            return Optional.empty();
        }
        if (leaderCluster == null && inCluster.isPresent()) {
            String ns = leaderNamespaceSet != null
                    ? leaderNamespaceSet
                    : inCluster.get().namespace();
            return Optional.of(new LeasePlacement(null, ns));
        }
        if (clusters.isEmpty()) {
            return Optional.empty();
        }
        String name = leaderCluster != null ? leaderCluster : clusters.get(0).name();
        String ns = leaderNamespaceSet != null ? leaderNamespaceSet : namespace;
        return clusters.stream().filter(k -> k.name().equals(name)).findFirst().map(k -> new LeasePlacement(k, ns));
    }

    /** The managed cluster that holds the Lease; empty without a Lease or when it is in the runner's own cluster. */
    Optional<Cluster> leaseCluster() {
        return leasePlacement().map(LeasePlacement::cluster);
    }

    private static List<Cluster> clusters(RunConfig c) {
        List<Cluster> out = new ArrayList<>();
        Optional<String> names = c.optional("elb.clusters");
        if (names.isEmpty()) {
            return out;
        }
        for (String raw : names.get().split(",")) {
            String name = raw.strip();
            if (name.isEmpty()) {
                continue;
            }
            String p = "elb.cluster." + name + ".";
            String sub = c.required(p + "subscription", "the cluster's Azure subscription id (a GUID)");
            String rg = c.required(p + "resource-group", "the cluster's Azure resource group");
            ClusterRef ref = wrap(
                    p + "*",
                    "a valid subscription id, resource group and AKS cluster name",
                    () -> ClusterRef.of(sub, rg, name));
            List<DatabaseName> dbs = dbList(c, p + "databases", List.of());
            List<DatabaseName> downloaded = dbList(c, p + "downloaded", dbs);
            out.add(new Cluster(name, ref, dbs, downloaded, c.string(p + "kube-context", name)));
        }
        return List.copyOf(out);
    }

    private static List<DatabaseName> dbList(RunConfig c, String key, List<DatabaseName> dflt) {
        Optional<String> v = c.optional(key);
        if (v.isEmpty()) {
            return dflt;
        }
        List<DatabaseName> dbs = new ArrayList<>();
        for (String raw : v.get().split(",")) {
            if (!raw.isBlank()) {
                dbs.add(wrap(
                        key,
                        "a comma-separated list of BLAST database names such as core_nt,swissprot",
                        () -> DatabaseName.of(raw.strip())));
            }
        }
        return List.copyOf(dbs);
    }

    private static <E extends Enum<E>> E choice(RunConfig c, String key, Class<E> type, E dflt) {
        Optional<String> v = c.optional(key);
        if (v.isEmpty()) {
            return dflt;
        }
        try {
            return Enum.valueOf(type, v.get().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            List<String> allowed = new ArrayList<>();
            for (E k : type.getEnumConstants()) {
                allowed.add(k.name().toLowerCase(Locale.ROOT));
            }
            throw new ConfigException(
                    "'" + key + "' must be one of " + String.join(", ", allowed) + ", but was '" + v.get() + "'");
        }
    }

    private static boolean bool(RunConfig c, String key, boolean dflt) {
        Optional<String> v = c.optional(key);
        if (v.isEmpty()) {
            return dflt;
        }
        return switch (v.get().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new ConfigException("'" + key + "' must be true or false, but was '" + v.get() + "'");
        };
    }

    private static String dnsLabel(RunConfig c, String key, String dflt) {
        String v = c.string(key, dflt);
        if (!v.matches("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?")) {
            throw new ConfigException("'" + key
                    + "' must be a DNS label (lower-case letters, digits and -, at most 63), but was '" + v + "'");
        }
        return v;
    }

    /**
     * A setting's value as an error message may show it: {@linkplain Secrets#mask masked} and cut at
     * {@value #SHOWN_MAX} characters.
     */
    static String shown(String value) {
        String m = Secrets.masked(value);
        return m.length() > SHOWN_MAX ? m.substring(0, SHOWN_MAX) + "…" : m;
    }

    private static final int SHOWN_MAX = 120;

    /** An absolute http(s) URL with a host, else a {@link ConfigException} naming the key (the value masked). */
    private static void httpUrl(String key, String value, String expected) {
        String problem;
        try {
            URI uri = new URI(value);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            problem = !scheme.equals("http") && !scheme.equals("https")
                    ? "not http(s)"
                    : uri.getHost() == null ? "no host (a '/' or '@' in a password must be written %2F or %40)" : null;
        } catch (URISyntaxException e) {
            problem = "not a URL: " + e.getReason();
        }
        if (problem != null) {
            throw new ConfigException(
                    "'" + key + "' must be " + expected + " (" + problem + "), but was '" + shown(value) + "'");
        }
    }

    private static <T> T wrap(String key, String expected, java.util.function.Supplier<T> make) {
        try {
            return make.get();
        } catch (IllegalArgumentException e) {
            throw new ConfigException("'" + key + "' must be " + expected + ": " + e.getMessage());
        }
    }
}
