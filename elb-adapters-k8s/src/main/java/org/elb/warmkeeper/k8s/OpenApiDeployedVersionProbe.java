package org.elb.warmkeeper.k8s;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.elb.warmkeeper.core.cluster.Checks;
import org.elb.warmkeeper.core.version.DeployedVersion;
import org.elb.warmkeeper.core.version.DeployedVersionProbe;
import org.elb.warmkeeper.core.version.ServiceName;
import org.elb.warmkeeper.k8s.internal.Errors;
import org.elb.warmkeeper.k8s.internal.SpecReader;
import org.elb.warmkeeper.k8s.internal.SpecReader.Fetched;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The deployed version of a service: {@code info.version} of its OpenAPI spec (JSON), read either
 * through the Kubernetes API server's service proxy
 * ({@code /api/v1/namespaces/<ns>/services/<service>:<port>/proxy<specPath>}) or from a plain URL
 * (java.net.http). Never throws: a 2xx spec without a non-blank string {@code info.version}, malformed
 * JSON, a spec over the size bound, or a 4xx (e.g. 404) is {@link DeployedVersion.Unknown}; a 5xx
 * (e.g. the proxy's 503 when no pod serves the service), a connection failure or a timeout is
 * {@link DeployedVersion.Unreachable}. The whole call (connect, headers and body) is bounded by
 * {@link Builder#timeout} and the body by {@link Builder#maxBytes}.
 */
public final class OpenApiDeployedVersionProbe implements DeployedVersionProbe, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(OpenApiDeployedVersionProbe.class);

    /** Default spec path: {@code /openapi.json}. */
    public static final String DEFAULT_SPEC_PATH = "/openapi.json";
    /** Default service port (name or number) for the proxy: {@code 80}. */
    public static final String DEFAULT_PORT = "80";
    /** Default bound on the whole call: 5 s. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
    /** Default bound on the spec size: 1 MiB. */
    public static final int DEFAULT_MAX_BYTES = 1 << 20;

    @FunctionalInterface
    private interface Transport {
        Fetched fetch(ServiceName service, Duration timeout, int maxBytes) throws Exception;
    }

    private final Transport transport;
    private final Duration timeout;
    private final int maxBytes;
    private final String description;
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "elb-openapi-probe");
        t.setDaemon(true);
        return t;
    });

    private OpenApiDeployedVersionProbe(Transport transport, Builder b, String description) {
        this.transport = transport;
        this.timeout = b.timeout;
        this.maxBytes = b.maxBytes;
        this.description = description;
    }

    /**
     * Reads the spec through the API server's service proxy of {@code client}'s cluster, Service
     * named as the {@link ServiceName} in {@code namespace}. The client is not closed by this probe.
     */
    public static Builder viaServiceProxy(KubernetesClient client, String namespace) {
        Checks.required(client, "client");
        return new Builder(Selectors.namespace(namespace), client, null);
    }

    /** Reads the spec from a plain URL per service (e.g. {@code http://elb-openapi.elb:80/openapi.json}). */
    public static Builder viaUrl(Function<ServiceName, URI> url) {
        return new Builder(null, null, Checks.required(url, "url"));
    }

    @Override
    public DeployedVersion deployedVersion(ServiceName service) {
        Future<Fetched> f = executor.submit(() -> transport.fetch(service, timeout, maxBytes));
        try {
            return SpecReader.judge(f.get(timeout.toMillis(), TimeUnit.MILLISECONDS), maxBytes);
        } catch (TimeoutException e) {
            f.cancel(true);
            return DeployedVersion.unreachable("timed out after " + timeout);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            log.debug("OpenAPI spec of {} unreachable: {}", service, Errors.describe(cause));
            return DeployedVersion.unreachable(Errors.describe(cause));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            f.cancel(true);
            return DeployedVersion.unreachable("interrupted");
        } catch (RuntimeException e) {
            return DeployedVersion.unknown("unexpected: " + Errors.describe(e));
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }

    @Override
    public String toString() {
        return "OpenApiDeployedVersionProbe{" + description + ", timeout=" + timeout + ", maxBytes=" + maxBytes + "}";
    }

    /** Configuration; spec path, port, timeout and size bound are optional. */
    public static final class Builder {
        // Either namespace and client (service proxy) or url is set.
        private final @Nullable String namespace;
        private final @Nullable KubernetesClient client;
        private final @Nullable Function<ServiceName, URI> url;
        private String specPath = DEFAULT_SPEC_PATH;
        private String port = DEFAULT_PORT;
        private Duration timeout = DEFAULT_TIMEOUT;
        private int maxBytes = DEFAULT_MAX_BYTES;

        private Builder(
                @Nullable String namespace,
                @Nullable KubernetesClient client,
                @Nullable Function<ServiceName, URI> url) {
            this.namespace = namespace;
            this.client = client;
            this.url = url;
        }

        /** Path of the spec on the service, starting with {@code /} (proxy only; default {@value #DEFAULT_SPEC_PATH}). */
        public Builder specPath(String path) {
            Checks.required(path, "specPath");
            if (!path.startsWith("/") || path.contains("..") || path.chars().anyMatch(Character::isWhitespace)) {
                throw new IllegalArgumentException(
                        "'specPath' must start with '/' and hold no '..' or spaces, but was '" + path + "'");
            }
            this.specPath = path;
            return this;
        }

        /** The Service port, by name or number (proxy only; default {@value #DEFAULT_PORT}). */
        public Builder port(String port) {
            this.port = Selectors.dnsLabel(port, "port");
            return this;
        }

        public Builder timeout(Duration timeout) {
            this.timeout = Checks.positive(timeout, "timeout");
            return this;
        }

        public Builder maxBytes(int maxBytes) {
            this.maxBytes = Checks.positive(maxBytes, "maxBytes");
            return this;
        }

        public OpenApiDeployedVersionProbe build() {
            if (client != null) {
                KubernetesClient c = client;
                String ns = namespace;
                String p = port;
                String path = specPath;
                Transport t = (service, timeout, max) -> {
                    String base = c.getMasterUrl().toString();
                    String uri = (base.endsWith("/") ? base : base + "/") + "api/v1/namespaces/" + ns + "/services/"
                            + service.value() + ":" + p + "/proxy" + path;
                    HttpRequest request = c.getHttpClient()
                            .newHttpRequestBuilder()
                            .uri(uri)
                            .timeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                            .build();
                    HttpResponse<InputStream> response = c.getHttpClient()
                            .sendAsync(request, InputStream.class)
                            .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                    return SpecReader.read(response.code(), response.body(), max);
                };
                return new OpenApiDeployedVersionProbe(
                        t, this, "serviceProxy namespace=" + ns + " port=" + p + " path=" + path);
            }
            Function<ServiceName, URI> u = Objects.requireNonNull(url, "url");
            HttpClient http = HttpClient.newBuilder()
                    .connectTimeout(timeout)
                    .followRedirects(HttpClient.Redirect.NORMAL)
                    .build();
            Transport t = (service, timeout, max) -> {
                java.net.http.HttpRequest request = java.net.http.HttpRequest.newBuilder(u.apply(service))
                        .timeout(timeout)
                        .header("Accept", "application/json")
                        .GET()
                        .build();
                java.net.http.HttpResponse<InputStream> response =
                        http.send(request, java.net.http.HttpResponse.BodyHandlers.ofInputStream());
                return SpecReader.read(response.statusCode(), response.body(), max);
            };
            return new OpenApiDeployedVersionProbe(t, this, "url");
        }
    }
}
