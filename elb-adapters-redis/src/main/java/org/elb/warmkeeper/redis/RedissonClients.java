package org.elb.warmkeeper.redis;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.elb.warmkeeper.core.cluster.Checks;
import org.jspecify.annotations.Nullable;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.redisson.config.Config;
import org.redisson.config.ConstantDelay;
import org.redisson.config.EqualJitterDelay;
import org.redisson.config.SingleServerConfig;

/**
 * Builds a {@link RedissonClient} tuned for a lock step that must fail open fast, instead of Redisson's
 * defaults (3 s response timeout, 4 retries 1-2 s apart, 10 s connect timeout, connections
 * opened eagerly so that {@code Redisson.create} throws when Redis is down).
 *
 * <p>What the tuned client does differently, and why:
 * <ul>
 *   <li><b>lazy initialisation</b>: creating the client never touches the network, so a service starts
 *       while Redis is down and the lock fails open until Redis is there;
 *   <li><b>short timeouts, one quick retry</b> ({@link #DEFAULT_CONNECT_TIMEOUT},
 *       {@link #DEFAULT_RESPONSE_TIMEOUT}, {@link #DEFAULT_RETRY_ATTEMPTS}, {@link #DEFAULT_RETRY_DELAY}):
 *       a call that cannot be answered is given up in about a second, not 3-6 s (the lock bounds its
 *       own calls tighter still, see {@link RedissonInflightLock#DEFAULT_BUDGET});
 *   <li><b>ping every second</b> ({@link #DEFAULT_PING_INTERVAL}): a connection to a frozen server or
 *       through a dead network path is noticed and replaced;
 *   <li><b>fast reconnection</b> ({@link #DEFAULT_RECONNECT_BASE} doubling with jitter up to
 *       {@link #DEFAULT_RECONNECT_MAX}): once Redis is back the client works again within seconds,
 *       without restarting the service; pub/sub listeners are resubscribed by Redisson;
 *   <li><b>{@link StringCodec}</b> as the client codec: every value is plain text, readable by any
 *       client (the default codec is Kryo);
 *   <li><b>a small footprint</b>: few connections and threads, as befits an embedded library.
 * </ul>
 *
 * <p>The password is never logged and never part of {@link Builder#toString()}.
 */
public final class RedissonClients {

    /** Default TCP connect timeout: 1 s. Redisson's default is 10 s. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(1);
    /** Default response timeout of a command: 1 s. Redisson's default is 3 s. */
    public static final Duration DEFAULT_RESPONSE_TIMEOUT = Duration.ofSeconds(1);
    /** Default retries of a failed command: 1. Redisson's default is 4. */
    public static final int DEFAULT_RETRY_ATTEMPTS = 1;
    /** Default delay before a retry: 100 ms. Redisson's default is 1-2 s with jitter. */
    public static final Duration DEFAULT_RETRY_DELAY = Duration.ofMillis(100);
    /** Default interval of the connection health ping: 1 s. Redisson's default is 30 s. */
    public static final Duration DEFAULT_PING_INTERVAL = Duration.ofSeconds(1);
    /** Default first reconnection delay: 100 ms. */
    public static final Duration DEFAULT_RECONNECT_BASE = Duration.ofMillis(100);
    /** Default longest reconnection delay: 2 s. Redisson's default is 10 s. */
    public static final Duration DEFAULT_RECONNECT_MAX = Duration.ofSeconds(2);
    /** Default size of the command connection pool: 8. */
    public static final int DEFAULT_CONNECTION_POOL_SIZE = 8;
    /** Default idle command connections kept open: 1. */
    public static final int DEFAULT_MINIMUM_IDLE = 1;
    /** Default size of the pub/sub connection pool: 2. */
    public static final int DEFAULT_SUBSCRIPTION_POOL_SIZE = 2;
    /** Default Netty I/O threads: 4. Redisson's default is 32. */
    public static final int DEFAULT_NETTY_THREADS = 4;
    /** Default threads that run listeners and callbacks: 4. Redisson's default is 16. */
    public static final int DEFAULT_THREADS = 4;
    /** Default name in {@code CLIENT LIST}. */
    public static final String DEFAULT_CLIENT_NAME = "elb-warmkeeper";

    private RedissonClients() {}

    /**
     * Starts a builder for one Redis server. {@code redisUrl}: {@code redis://[[user]:password@]host[:port][/db]}
     * or {@code rediss://...} for TLS; the port defaults to 6379 and the database to 0 (the seed's
     * dashboard keeps its locks in database 2: {@code redis://host:6379/2}).
     */
    public static Builder builder(String redisUrl) {
        return new Builder(redisUrl);
    }

    /** A tuned client with every default. */
    public static RedissonClient create(String redisUrl) {
        return builder(redisUrl).build();
    }

    /** Builder of a tuned client; every setter validates eagerly. */
    public static final class Builder {
        private final String scheme;
        private final String host;
        private final int port;
        private int database;
        private @Nullable String username;
        private @Nullable String password;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private Duration responseTimeout = DEFAULT_RESPONSE_TIMEOUT;
        private int retryAttempts = DEFAULT_RETRY_ATTEMPTS;
        private Duration retryDelay = DEFAULT_RETRY_DELAY;
        private Duration pingInterval = DEFAULT_PING_INTERVAL;
        private Duration reconnectBase = DEFAULT_RECONNECT_BASE;
        private Duration reconnectMax = DEFAULT_RECONNECT_MAX;
        private int connectionPoolSize = DEFAULT_CONNECTION_POOL_SIZE;
        private int minimumIdle = DEFAULT_MINIMUM_IDLE;
        private int subscriptionPoolSize = DEFAULT_SUBSCRIPTION_POOL_SIZE;
        private int nettyThreads = DEFAULT_NETTY_THREADS;
        private int threads = DEFAULT_THREADS;
        private String clientName = DEFAULT_CLIENT_NAME;

        private Builder(String redisUrl) {
            Checks.required(redisUrl, "redisUrl");
            URI uri;
            try {
                uri = new URI(redisUrl.trim());
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException("'redisUrl' must be redis://host[:port][/db], but was not a URI", e);
            }
            String s = uri.getScheme();
            if (!"redis".equals(s) && !"rediss".equals(s)) {
                throw new IllegalArgumentException(
                        "'redisUrl' must start with redis:// or rediss://, but was '" + (s == null ? "" : s) + "://…'");
            }
            if (uri.getHost() == null || uri.getHost().isBlank()) {
                throw new IllegalArgumentException("'redisUrl' must name a host: redis://host[:port][/db]");
            }
            this.scheme = s;
            this.host = uri.getHost();
            this.port = uri.getPort() < 0 ? 6379 : uri.getPort();
            String path = uri.getPath();
            if (path != null && path.length() > 1) {
                try {
                    database(Integer.parseInt(path.substring(1)));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("'redisUrl' database must be a number (redis://host:port/2)", e);
                }
            }
            String info = uri.getRawUserInfo();
            if (info != null && !info.isEmpty()) {
                int colon = info.indexOf(':');
                String user = colon < 0 ? "" : decode(info.substring(0, colon));
                String pass = colon < 0 ? decode(info) : decode(info.substring(colon + 1));
                this.username = user.isEmpty() ? null : user;
                this.password = pass.isEmpty() ? null : pass;
            }
        }

        private static String decode(String s) {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        }

        /** Database index; default 0 or the one in the URL. */
        public Builder database(int database) {
            if (database < 0) {
                throw new IllegalArgumentException("'database' must not be negative, but was " + database);
            }
            this.database = database;
            return this;
        }

        /** ACL user (Redis 6+); default none, or the one in the URL. */
        public Builder username(String username) {
            this.username = Checks.required(username, "username");
            return this;
        }

        /** Password; default none, or the one in the URL. Never logged. */
        public Builder password(String password) {
            this.password = Checks.required(password, "password");
            return this;
        }

        /** Default {@link #DEFAULT_CONNECT_TIMEOUT}. */
        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = millis(connectTimeout, "connectTimeout");
            return this;
        }

        /** Default {@link #DEFAULT_RESPONSE_TIMEOUT}. */
        public Builder responseTimeout(Duration responseTimeout) {
            this.responseTimeout = millis(responseTimeout, "responseTimeout");
            return this;
        }

        /** Default {@link #DEFAULT_RETRY_ATTEMPTS}; 0 disables retries. */
        public Builder retryAttempts(int retryAttempts) {
            if (retryAttempts < 0) {
                throw new IllegalArgumentException("'retryAttempts' must not be negative, but was " + retryAttempts);
            }
            this.retryAttempts = retryAttempts;
            return this;
        }

        /** Default {@link #DEFAULT_RETRY_DELAY}. */
        public Builder retryDelay(Duration retryDelay) {
            this.retryDelay = millis(retryDelay, "retryDelay");
            return this;
        }

        /** Default {@link #DEFAULT_PING_INTERVAL}. */
        public Builder pingInterval(Duration pingInterval) {
            this.pingInterval = millis(pingInterval, "pingInterval");
            return this;
        }

        /** Reconnection delay: {@code base} doubling with jitter up to {@code max}. Defaults 100 ms and 2 s. */
        public Builder reconnectDelay(Duration base, Duration max) {
            Duration b = millis(base, "reconnectBase");
            Duration m = millis(max, "reconnectMax");
            if (m.compareTo(b) < 0) {
                throw new IllegalArgumentException(
                        "'reconnectMax' must be at least 'reconnectBase' (" + b + "), but was " + m);
            }
            this.reconnectBase = b;
            this.reconnectMax = m;
            return this;
        }

        /** Default {@link #DEFAULT_CONNECTION_POOL_SIZE}. */
        public Builder connectionPoolSize(int size) {
            this.connectionPoolSize = Checks.positive(size, "connectionPoolSize");
            if (minimumIdle > size) {
                minimumIdle = size;
            }
            return this;
        }

        /** Default {@link #DEFAULT_MINIMUM_IDLE}; at most the pool size. */
        public Builder minimumIdle(int minimumIdle) {
            if (minimumIdle < 0 || minimumIdle > connectionPoolSize) {
                throw new IllegalArgumentException("'minimumIdle' must be between 0 and connectionPoolSize ("
                        + connectionPoolSize + "), but was " + minimumIdle);
            }
            this.minimumIdle = minimumIdle;
            return this;
        }

        /** Default {@link #DEFAULT_SUBSCRIPTION_POOL_SIZE}. */
        public Builder subscriptionPoolSize(int size) {
            this.subscriptionPoolSize = Checks.positive(size, "subscriptionPoolSize");
            return this;
        }

        /** Default {@link #DEFAULT_NETTY_THREADS}. */
        public Builder nettyThreads(int nettyThreads) {
            this.nettyThreads = Checks.positive(nettyThreads, "nettyThreads");
            return this;
        }

        /** Default {@link #DEFAULT_THREADS}. */
        public Builder threads(int threads) {
            this.threads = Checks.positive(threads, "threads");
            return this;
        }

        /** Default {@link #DEFAULT_CLIENT_NAME}; shown by {@code CLIENT LIST}. */
        public Builder clientName(String clientName) {
            this.clientName = Checks.matches(
                    clientName,
                    "clientName",
                    java.util.regex.Pattern.compile("[\\x21-\\x7E]{1,64}"),
                    "1-64 printable ASCII characters without whitespace");
            return this;
        }

        /** The Redisson configuration these settings make, for further tuning. */
        public Config toConfig() {
            Config config = new Config();
            config.setCodec(StringCodec.INSTANCE);
            config.setLazyInitialization(true);
            config.setNettyThreads(nettyThreads);
            config.setThreads(threads);
            SingleServerConfig single = config.useSingleServer()
                    .setAddress(scheme + "://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port)
                    .setDatabase(database)
                    .setConnectTimeout(toInt(connectTimeout))
                    .setTimeout(toInt(responseTimeout))
                    .setRetryAttempts(retryAttempts)
                    .setRetryDelay(new ConstantDelay(retryDelay))
                    .setReconnectionDelay(new EqualJitterDelay(reconnectBase, reconnectMax))
                    .setPingConnectionInterval(toInt(pingInterval))
                    .setKeepAlive(true)
                    .setTcpNoDelay(true)
                    .setConnectionPoolSize(connectionPoolSize)
                    .setConnectionMinimumIdleSize(minimumIdle)
                    .setSubscriptionConnectionPoolSize(subscriptionPoolSize)
                    .setSubscriptionConnectionMinimumIdleSize(1)
                    .setClientName(clientName);
            if (username != null) {
                single.setUsername(username);
            }
            if (password != null) {
                single.setPassword(password);
            }
            return config;
        }

        /** Creates the client. It connects lazily: this never fails because Redis is down. */
        public RedissonClient build() {
            return Redisson.create(toConfig());
        }

        private static Duration millis(Duration d, String field) {
            Checks.positive(d, field);
            if (d.toMillis() < 1 || d.toMillis() > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(
                        "'" + field + "' must be between 1 ms and " + Integer.MAX_VALUE + " ms, but was " + d);
            }
            return d;
        }

        private static int toInt(Duration d) {
            return (int) d.toMillis();
        }

        @Override
        public String toString() {
            return "RedissonClients.Builder[" + scheme + "://" + host + ":" + port + "/" + database
                    + (password != null ? ", password=****" : "") + ", connectTimeout=" + connectTimeout
                    + ", responseTimeout=" + responseTimeout + ", retryAttempts=" + retryAttempts + "]";
        }
    }
}
