package org.elb.warmkeeper.spring.boot;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.elb.warmkeeper.core.Secrets;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code elb.*} keys, the same as the runner's. Durations take Boot's forms ({@code 30s},
 * {@code PT30S}); lists take {@code a,b} or indexed entries. Secrets ({@code elb.jdbc.password}, a
 * password in {@code elb.redis.url}) never appear in {@link #toString()}.
 */
@ConfigurationProperties(prefix = "elb")
public class ElbProperties {

    private final Jdbc jdbc = new Jdbc();
    private final Redis redis = new Redis();
    private final Kube kube = new Kube();
    private final Leader leader = new Leader();
    private final Azure azure = new Azure();
    private final Registry registry = new Registry();
    private final Autowarm autowarm = new Autowarm();
    private final Provision provision = new Provision();
    private final Http http = new Http();
    private final Web web = new Web();
    /** Names of the managed AKS clusters; each has its {@code elb.cluster.<name>.*} keys. */
    private List<String> clusters = new ArrayList<>();
    /** Per cluster: {@code subscription}, {@code resource-group}, {@code databases}, ... */
    private Map<String, Cluster> cluster = new LinkedHashMap<>();
    /** Pinned image tag per service, e.g. {@code elb.image.elb-openapi=v4.9}. */
    private Map<String, String> image = new LinkedHashMap<>();
    /** OpenAPI spec URL per service, whose {@code info.version} is the deployed version. */
    private Map<String, String> openapi = new LinkedHashMap<>();

    public Jdbc getJdbc() {
        return jdbc;
    }

    public Redis getRedis() {
        return redis;
    }

    public Kube getKube() {
        return kube;
    }

    public Leader getLeader() {
        return leader;
    }

    public Azure getAzure() {
        return azure;
    }

    public Registry getRegistry() {
        return registry;
    }

    public Autowarm getAutowarm() {
        return autowarm;
    }

    public Provision getProvision() {
        return provision;
    }

    public Http getHttp() {
        return http;
    }

    public Web getWeb() {
        return web;
    }

    public List<String> getClusters() {
        return clusters;
    }

    public void setClusters(List<String> clusters) {
        this.clusters = clusters;
    }

    public Map<String, Cluster> getCluster() {
        return cluster;
    }

    public void setCluster(Map<String, Cluster> cluster) {
        this.cluster = cluster;
    }

    public Map<String, String> getImage() {
        return image;
    }

    public void setImage(Map<String, String> image) {
        this.image = image;
    }

    public Map<String, String> getOpenapi() {
        return openapi;
    }

    public void setOpenapi(Map<String, String> openapi) {
        this.openapi = openapi;
    }

    @Override
    public String toString() {
        return "ElbProperties[jdbc="
                + (jdbc.url == null ? "(application DataSource or in-memory H2)" : Secrets.masked(jdbc.url))
                + ", redis=" + (redis.url == null ? "(none)" : Secrets.masked(redis.url))
                + ", clusters=" + clusters + ", autowarm.enabled=" + autowarm.enabled + "]";
    }

    /** {@code elb.jdbc.*}: the job-state and preferences store, when the application has no DataSource. */
    public static class Jdbc {
        /** JDBC URL (PostgreSQL or H2); unset: the application's DataSource, else an in-memory H2. */
        private @Nullable String url;
        /** User of {@code elb.jdbc.url} (a user in the URL works too). */
        private @Nullable String user;
        /** Never logged nor shown. */
        private @Nullable String password;
        /** Schema of the tables (PostgreSQL); unset: the connection's default. */
        private @Nullable String schema;
        /** Prefix of the table names. */
        private String tablePrefix = "elb_";
        /** Run the Flyway migrations at start. */
        private boolean migrate = true;

        public @Nullable String getUrl() {
            return url;
        }

        public void setUrl(@Nullable String url) {
            this.url = url;
        }

        public @Nullable String getUser() {
            return user;
        }

        public void setUser(@Nullable String user) {
            this.user = user;
        }

        public @Nullable String getPassword() {
            return password;
        }

        public void setPassword(@Nullable String password) {
            this.password = password;
        }

        public @Nullable String getSchema() {
            return schema;
        }

        public void setSchema(@Nullable String schema) {
            this.schema = schema;
        }

        public String getTablePrefix() {
            return tablePrefix;
        }

        public void setTablePrefix(String tablePrefix) {
            this.tablePrefix = tablePrefix;
        }

        public boolean isMigrate() {
            return migrate;
        }

        public void setMigrate(boolean migrate) {
            this.migrate = migrate;
        }

        @Override
        public String toString() {
            return "Jdbc[url=" + (url == null ? null : Secrets.masked(url)) + ", user=" + user + ", password="
                    + (password == null ? null : "****") + "]";
        }
    }

    /** {@code elb.redis.*}: the in-flight lock and job-state events, when the application has no RedissonClient. */
    public static class Redis {
        /** e.g. {@code redis://:password@host:6379/0}; unset: a single-replica in-memory lock. */
        private @Nullable String url;

        public @Nullable String getUrl() {
            return url;
        }

        public void setUrl(@Nullable String url) {
            this.url = url;
        }

        @Override
        public String toString() {
            return "Redis[url=" + (url == null ? null : Secrets.masked(url)) + "]";
        }

        // --- Tuning of the starter's Redisson client (also ElbRedissonCustomizer beans); the defaults are
        // RedissonClients' (literals here: the properties load without the Redis adapter) ---

        /** Bound on connecting to Redis; the lock fails open past it. */
        private Duration connectTimeout = Duration.ofSeconds(1);
        /** Bound on one Redis answer; the lock fails open past it. */
        private Duration responseTimeout = Duration.ofSeconds(1);

        public Duration getConnectTimeout() {
            return connectTimeout;
        }

        public void setConnectTimeout(Duration connectTimeout) {
            this.connectTimeout = connectTimeout;
        }

        public Duration getResponseTimeout() {
            return responseTimeout;
        }

        public void setResponseTimeout(Duration responseTimeout) {
            this.responseTimeout = responseTimeout;
        }
    }

    /** {@code elb.kube.*}: how the clusters' Kubernetes APIs are reached. */
    public static class Kube {
        /** A kubeconfig file with a context per cluster; unset: the default kubeconfig. */
        private @Nullable String config;
        /** Namespace of the warmup Jobs and pods. */
        private String namespace = "default";
        /** Image of the built-in warmup Job. */
        private String warmupImage = "ncbi/elb:1.4.0";
        /** A YAML file of a batch/v1 Job used as the warmup template instead of the built-in one. */
        private @Nullable String warmupTemplate;
        /**
         * Where warm status and node readiness come from: {@code informer} (a LIST once per cluster, then a
         * WATCH; no API request per tick) or {@code list} (a LIST of the warmup Pods/Jobs and the nodes every
         * tick).
         */
        private String statusSource = "informer";

        public String getStatusSource() {
            return statusSource;
        }

        public void setStatusSource(String statusSource) {
            this.statusSource = statusSource;
        }

        public @Nullable String getConfig() {
            return config;
        }

        public void setConfig(@Nullable String config) {
            this.config = config;
        }

        public String getNamespace() {
            return namespace;
        }

        public void setNamespace(String namespace) {
            this.namespace = namespace;
        }

        public String getWarmupImage() {
            return warmupImage;
        }

        public void setWarmupImage(String warmupImage) {
            this.warmupImage = warmupImage;
        }

        public @Nullable String getWarmupTemplate() {
            return warmupTemplate;
        }

        public void setWarmupTemplate(@Nullable String warmupTemplate) {
            this.warmupTemplate = warmupTemplate;
        }

        // --- Tuning of the Kubernetes clients (also ElbKubernetesCustomizer beans); the defaults are
        // KubernetesClientProvider's ---

        /** Bound on connecting to a cluster's Kubernetes API. */
        private Duration connectTimeout = Duration.ofSeconds(5);
        /** Bound on one Kubernetes API request. */
        private Duration requestTimeout = Duration.ofSeconds(10);

        public Duration getConnectTimeout() {
            return connectTimeout;
        }

        public void setConnectTimeout(Duration connectTimeout) {
            this.connectTimeout = connectTimeout;
        }

        public Duration getRequestTimeout() {
            return requestTimeout;
        }

        public void setRequestTimeout(Duration requestTimeout) {
            this.requestTimeout = requestTimeout;
        }
    }

    /** {@code elb.leader.*}: leader-only ticking on a Kubernetes Lease. */
    public static class Leader {
        /** Name of the Lease; unset: every replica ticks (use with the Redis lock). */
        private @Nullable String lease;
        /** Namespace of the Lease; unset: {@code elb.kube.namespace}. */
        private @Nullable String namespace;
        /** The cluster that holds the Lease; unset: the first of {@code elb.clusters}. */
        private @Nullable String cluster;

        public @Nullable String getLease() {
            return lease;
        }

        public void setLease(@Nullable String lease) {
            this.lease = lease;
        }

        public @Nullable String getNamespace() {
            return namespace;
        }

        public void setNamespace(@Nullable String namespace) {
            this.namespace = namespace;
        }

        public @Nullable String getCluster() {
            return cluster;
        }

        public void setCluster(@Nullable String cluster) {
            this.cluster = cluster;
        }
    }

    /** {@code elb.azure.*}: Azure Resource Manager. */
    public static class Azure {
        /** {@code default} (DefaultAzureCredential) or {@code none} (a local emulator or proxy at {@code endpoint}). */
        private String auth = "default";
        /** Resource Manager URL for {@code auth=none}. */
        private @Nullable String endpoint;
        /** Tenant of the portal links ({@code {portal}/#@{tenant}/resource...}). */
        private @Nullable String tenant;
        /** How often a running create is polled. */
        private Duration pollInterval = Duration.ofSeconds(30);
        /** Probe the cluster's ARM state before each tick's Kubernetes calls. */
        private boolean readiness = true;
        /** How long an ARM "ready" answer is reused (30 s for "not ready"); {@code 0s}: ARM is read every tick. */
        private Duration readinessCache = Duration.ofMinutes(5);

        public Duration getReadinessCache() {
            return readinessCache;
        }

        public void setReadinessCache(Duration readinessCache) {
            this.readinessCache = readinessCache;
        }

        public String getAuth() {
            return auth;
        }

        public void setAuth(String auth) {
            this.auth = auth;
        }

        public @Nullable String getEndpoint() {
            return endpoint;
        }

        public void setEndpoint(@Nullable String endpoint) {
            this.endpoint = endpoint;
        }

        public @Nullable String getTenant() {
            return tenant;
        }

        public void setTenant(@Nullable String tenant) {
            this.tenant = tenant;
        }

        public Duration getPollInterval() {
            return pollInterval;
        }

        public void setPollInterval(Duration pollInterval) {
            this.pollInterval = pollInterval;
        }

        public boolean isReadiness() {
            return readiness;
        }

        public void setReadiness(boolean readiness) {
            this.readiness = readiness;
        }
    }

    /** {@code elb.registry.*}: the container registry whose tags the version gate checks. */
    public static class Registry {
        /** e.g. {@code myregistry.azurecr.io}; unset: every pinned tag is taken to exist. */
        private @Nullable String loginServer;

        public @Nullable String getLoginServer() {
            return loginServer;
        }

        public void setLoginServer(@Nullable String loginServer) {
            this.loginServer = loginServer;
        }
    }

    /** {@code elb.autowarm.*}: the reconcile schedule. */
    public static class Autowarm {
        /** Tick on a schedule; {@code false} leaves ticking to the application ({@code reconciler.tick(..)}). */
        private boolean enabled = true;
        /** Delay between ticks. */
        private Duration interval = Duration.ofMinutes(1);
        /** TTL of an in-flight key. */
        private Duration lockTtl = Duration.ofMinutes(15);

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public Duration getInterval() {
            return interval;
        }

        public void setInterval(Duration interval) {
            this.interval = interval;
        }

        public Duration getLockTtl() {
            return lockTtl;
        }

        public void setLockTtl(Duration lockTtl) {
            this.lockTtl = lockTtl;
        }

        // --- Tuning of the reconciler and the schedule (also ElbReconcilerCustomizer and
        // ElbSchedulerCustomizer beans), and seeding. Literal defaults (the metadata shows them), equal to
        // the builders' DEFAULT_* constants (ElbPropertiesTest checks it) ---

        /** At most this many clusters are worked on at once in a tick (1: one after the other). */
        private int concurrency = 64;
        /** Deadline of one cluster's work in a tick. */
        private Duration clusterDeadline = Duration.ofSeconds(30);
        /** Deadline of a whole tick. */
        private Duration tickDeadline = Duration.ofMinutes(5);
        /** Longest wait between warmups of a database that keeps failing; unset: the larger of 6 h and lock-ttl. */
        private @Nullable Duration backoffCap;
        /** A database loading for longer than this is reported as stuck (a warning, a metric). */
        private Duration stuckLoadingAfter = Duration.ofHours(2);
        /** How long a shutdown waits for a running tick before it interrupts it. */
        private Duration shutdownTimeout = Duration.ofSeconds(10);
        /**
         * Write the configured clusters' databases into the store again at this start, replacing what users
         * changed through the API (unset: a cluster's preferences are seeded once, when it has none).
         */
        private boolean reseed = false;

        public int getConcurrency() {
            return concurrency;
        }

        public void setConcurrency(int concurrency) {
            this.concurrency = concurrency;
        }

        public Duration getClusterDeadline() {
            return clusterDeadline;
        }

        public void setClusterDeadline(Duration clusterDeadline) {
            this.clusterDeadline = clusterDeadline;
        }

        public Duration getTickDeadline() {
            return tickDeadline;
        }

        public void setTickDeadline(Duration tickDeadline) {
            this.tickDeadline = tickDeadline;
        }

        public @Nullable Duration getBackoffCap() {
            return backoffCap;
        }

        public void setBackoffCap(@Nullable Duration backoffCap) {
            this.backoffCap = backoffCap;
        }

        public Duration getStuckLoadingAfter() {
            return stuckLoadingAfter;
        }

        public void setStuckLoadingAfter(Duration stuckLoadingAfter) {
            this.stuckLoadingAfter = stuckLoadingAfter;
        }

        public Duration getShutdownTimeout() {
            return shutdownTimeout;
        }

        public void setShutdownTimeout(Duration shutdownTimeout) {
            this.shutdownTimeout = shutdownTimeout;
        }

        public boolean isReseed() {
            return reseed;
        }

        public void setReseed(boolean reseed) {
            this.reseed = reseed;
        }
    }

    /** {@code elb.provision.*}. */
    public static class Provision {
        /** A provision without a heartbeat for this long has lost its poller: the leader's sweep resumes it. */
        private Duration resumeWindow = Duration.ofMinutes(15);
        /** Run the provisioning sweep (dead jobs, maximum age, retention) on the leader. */
        private boolean sweep = true;
        /**
         * Subscription/resource-group pairs ({@code <subscription-id>/<resource-group>}) clusters may be created
         * in, or {@code *} for any; default the pairs of {@code elb.clusters}.
         */
        private @Nullable List<String> allowedScopes;
        /** Regions a cluster may be created in; empty: any. */
        private List<String> allowedRegions = new ArrayList<>();
        /** VM sizes a cluster may use; empty: any. */
        private List<String> allowedVmSizes = new ArrayList<>();
        /** Most nodes of one create (403 beyond). */
        private int maxNodes = 100;
        /** One owner's provisions under way at once (429 beyond). */
        private int maxActivePerOwner = 10;
        /** One owner's provision requests accepted per minute (429 beyond). */
        private int ownerRate = 60;
        /** Accepted creates Resource Manager has not taken yet (503 beyond). */
        private int maxQueued = 100;

        public @Nullable List<String> getAllowedScopes() {
            return allowedScopes;
        }

        public void setAllowedScopes(@Nullable List<String> allowedScopes) {
            this.allowedScopes = allowedScopes;
        }

        public List<String> getAllowedRegions() {
            return allowedRegions;
        }

        public void setAllowedRegions(List<String> allowedRegions) {
            this.allowedRegions = allowedRegions;
        }

        public List<String> getAllowedVmSizes() {
            return allowedVmSizes;
        }

        public void setAllowedVmSizes(List<String> allowedVmSizes) {
            this.allowedVmSizes = allowedVmSizes;
        }

        public int getMaxNodes() {
            return maxNodes;
        }

        public void setMaxNodes(int maxNodes) {
            this.maxNodes = maxNodes;
        }

        public int getMaxActivePerOwner() {
            return maxActivePerOwner;
        }

        public void setMaxActivePerOwner(int maxActivePerOwner) {
            this.maxActivePerOwner = maxActivePerOwner;
        }

        public int getOwnerRate() {
            return ownerRate;
        }

        public void setOwnerRate(int ownerRate) {
            this.ownerRate = ownerRate;
        }

        public int getMaxQueued() {
            return maxQueued;
        }

        public void setMaxQueued(int maxQueued) {
            this.maxQueued = maxQueued;
        }

        public boolean isSweep() {
            return sweep;
        }

        public void setSweep(boolean sweep) {
            this.sweep = sweep;
        }

        public Duration getResumeWindow() {
            return resumeWindow;
        }

        public void setResumeWindow(Duration resumeWindow) {
            this.resumeWindow = resumeWindow;
        }

        // --- Tuning of the sweep (also ElbSweepCustomizer beans) ---

        /** Finished provisions older than this are purged by the sweep. */
        private Duration retention = Duration.ofDays(30);
        /** A provision still running after this long is failed; unset: the larger of 6 h and resume-window. */
        private @Nullable Duration maxAge;

        public Duration getRetention() {
            return retention;
        }

        public void setRetention(Duration retention) {
            this.retention = retention;
        }

        public @Nullable Duration getMaxAge() {
            return maxAge;
        }

        public void setMaxAge(@Nullable Duration maxAge) {
            this.maxAge = maxAge;
        }
    }

    /** {@code elb.http.*}: who the caller of the web layer's endpoints is (the runner's keys). */
    public static class Http {
        /** The header an authenticating gateway sets to the caller's owner id ({@code elb.http.identity=header}). */
        private String ownerHeader = "X-Elb-Owner";
        /** Owner ids allowed {@code force=true} on {@code POST /api/autowarm/reconcile}. */
        private List<String> admins = new ArrayList<>();

        private final Jwt jwt = new Jwt();

        public String getOwnerHeader() {
            return ownerHeader;
        }

        public void setOwnerHeader(String ownerHeader) {
            this.ownerHeader = ownerHeader;
        }

        public List<String> getAdmins() {
            return admins;
        }

        public void setAdmins(List<String> admins) {
            this.admins = admins;
        }

        public Jwt getJwt() {
            return jwt;
        }

        // ---- the web layer (elb.web.enabled): identity mode, status page, event streams ----

        /**
         * How the web layer identifies its caller: {@code jwt}, Spring Security's authenticated principal
         * (the {@code elb.http.jwt.owner-claim} claim, or the principal's name), or {@code header}, the
         * {@code elb.http.owner-header} a gateway sets (trusted as sent: choose it only behind one).
         */
        private Identity identity = Identity.JWT;
        /** Serve the status page at {@code /} (and its files) with the web layer. */
        private boolean page = true;

        private final Events events = new Events();

        public Identity getIdentity() {
            return identity;
        }

        public void setIdentity(Identity identity) {
            this.identity = identity;
        }

        public boolean isPage() {
            return page;
        }

        public void setPage(boolean page) {
            this.page = page;
        }

        public Events getEvents() {
            return events;
        }

        /** {@code elb.http.identity}. */
        public enum Identity {
            JWT,
            HEADER
        }

        /** {@code elb.http.events.*}: the {@code GET /api/events} streams (the runner's keys and bounds). */
        public static class Events {
            /** Open streams at most (the next gets a 503). */
            private int maxStreams = 64;
            /** Open streams of one owner at most (the next gets a 429). */
            private int maxStreamsPerOwner = 8;
            /** The interval of the comment line that keeps a stream open. */
            private Duration heartbeat = Duration.ofSeconds(15);
            /** Events a stream buffers for a slow client before it is dropped. */
            private int buffer = 256;
            /** How far back {@code Last-Event-ID} replay reaches; older resumes get a {@code reset}. */
            private Duration resumeWindow = Duration.ofMinutes(15);

            public int getMaxStreams() {
                return maxStreams;
            }

            public void setMaxStreams(int maxStreams) {
                this.maxStreams = maxStreams;
            }

            public int getMaxStreamsPerOwner() {
                return maxStreamsPerOwner;
            }

            public void setMaxStreamsPerOwner(int maxStreamsPerOwner) {
                this.maxStreamsPerOwner = maxStreamsPerOwner;
            }

            public Duration getHeartbeat() {
                return heartbeat;
            }

            public void setHeartbeat(Duration heartbeat) {
                this.heartbeat = heartbeat;
            }

            public int getBuffer() {
                return buffer;
            }

            public void setBuffer(int buffer) {
                this.buffer = buffer;
            }

            public Duration getResumeWindow() {
                return resumeWindow;
            }

            public void setResumeWindow(Duration resumeWindow) {
                this.resumeWindow = resumeWindow;
            }
        }
        // ---- end of the web layer's keys ----

        /** {@code elb.http.jwt.*}. */
        public static class Jwt {
            /** The claim of the caller's token (Spring Security's principal) that holds the owner id. */
            private String ownerClaim = "oid";

            public String getOwnerClaim() {
                return ownerClaim;
            }

            public void setOwnerClaim(String ownerClaim) {
                this.ownerClaim = ownerClaim;
            }
        }
    }

    /** {@code elb.web.*}: the dashboard's endpoints as Spring MVC controllers. */
    public static class Web {
        /** Serve the runner's {@code /api/...} endpoints from this application (needs spring-webmvc). */
        private boolean enabled = false;

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }
    }

    /** {@code elb.cluster.<name>.*}. */
    public static class Cluster {
        /** The cluster's Azure subscription id (a GUID). */
        private @Nullable String subscription;
        /** The cluster's resource group. */
        private @Nullable String resourceGroup;
        /** Databases with auto-warm on. */
        private List<String> databases = new ArrayList<>();
        /** Databases downloaded on the cluster; unset: {@code databases}. */
        private @Nullable List<String> downloaded;
        /** The kubeconfig context of the cluster; unset: the cluster's name. */
        private @Nullable String kubeContext;

        public @Nullable String getSubscription() {
            return subscription;
        }

        public void setSubscription(@Nullable String subscription) {
            this.subscription = subscription;
        }

        public @Nullable String getResourceGroup() {
            return resourceGroup;
        }

        public void setResourceGroup(@Nullable String resourceGroup) {
            this.resourceGroup = resourceGroup;
        }

        public List<String> getDatabases() {
            return databases;
        }

        public void setDatabases(List<String> databases) {
            this.databases = databases;
        }

        public @Nullable List<String> getDownloaded() {
            return downloaded;
        }

        public void setDownloaded(@Nullable List<String> downloaded) {
            this.downloaded = downloaded;
        }

        public @Nullable String getKubeContext() {
            return kubeContext;
        }

        public void setKubeContext(@Nullable String kubeContext) {
            this.kubeContext = kubeContext;
        }
    }
}
