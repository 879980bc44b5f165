package org.elb.warmkeeper.azure;

import com.azure.core.credential.TokenCredential;
import com.azure.core.http.HttpClient;
import com.azure.core.http.HttpPipeline;
import com.azure.core.http.HttpPipelineBuilder;
import com.azure.core.http.HttpRequest;
import com.azure.core.http.HttpResponse;
import com.azure.core.management.AzureEnvironment;
import com.azure.core.management.profile.AzureProfile;
import com.azure.identity.DefaultAzureCredentialBuilder;
import com.azure.resourcemanager.containerservice.ContainerServiceManager;
import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.elb.warmkeeper.azure.internal.ErrorBodyGuard;
import org.elb.warmkeeper.core.cluster.Checks;
import org.jspecify.annotations.Nullable;

/**
 * How the Azure adapters reach Azure Resource Manager: one {@link ContainerServiceManager} per
 * subscription, made on first use and cached; at most {@value #MAX_MANAGERS} are kept (a Guava cache: the
 * least recently used is dropped and made again when needed).
 *
 * <ul>
 *   <li>{@link #defaultCredential()}: {@code DefaultAzureCredential} on the public cloud (production);
 *   <li>{@link #of(TokenCredential, AzureEnvironment, String)}: a credential of your choice, any cloud;
 *   <li>{@link #of(HttpPipeline, AzureEnvironment)} / {@link #of(HttpPipeline, String)}: a pipeline you
 *       built (proxies, tests: token credentials refuse plain {@code http}, a pipeline does not);
 *   <li>{@link #of(HttpPipeline, AzureProfile)}: a pipeline bound to the profile's subscription;
 *   <li>{@link #of(ContainerServiceManager)}: a manager you built, bound to its one subscription.
 * </ul>
 *
 * Every connection but {@link #of(ContainerServiceManager)} puts an {@link ErrorBodyGuard} in front of the
 * SDK: an ARM error body nested deeper than {@value ErrorBodyGuard#MAX_DEPTH} levels or larger than
 * {@value ErrorBodyGuard#MAX_BYTES} bytes reaches the SDK as a small body with its HTTP status's code.
 *
 * <p>Retries and timeouts: a connection from a credential uses {@link ArmRetry} (one quick retry, a
 * {@code Retry-After} over 2 s returned to the caller instead of slept, 5 s connect and 20 s response
 * timeouts); a pipeline you pass keeps its own ({@link ArmRetry#pipeline()} has these without
 * authentication).
 *
 * {@link #toString()} names the endpoint and the kind of authentication, never a token.
 */
public final class ArmConnection {

    /** The cloud of {@link #defaultCredential()}. */
    public static final AzureEnvironment DEFAULT_ENVIRONMENT = AzureEnvironment.AZURE;

    private final Function<String, ContainerServiceManager> factory;
    /** Most managers kept at once (one per subscription in use). */
    public static final int MAX_MANAGERS = 64;

    private final Cache<String, ContainerServiceManager> managers =
            CacheBuilder.newBuilder().maximumSize(MAX_MANAGERS).build();
    private final String resourceManagerEndpoint;
    private final String auth;
    private final @Nullable String onlySubscription;

    private ArmConnection(
            Function<String, ContainerServiceManager> factory,
            String resourceManagerEndpoint,
            String auth,
            @Nullable String onlySubscription) {
        this.factory = factory;
        this.resourceManagerEndpoint = resourceManagerEndpoint;
        this.auth = auth;
        this.onlySubscription = onlySubscription;
    }

    /** {@code DefaultAzureCredential} (environment, workload identity, managed identity, Azure CLI, ...) on the public cloud. */
    public static ArmConnection defaultCredential() {
        return of(new DefaultAzureCredentialBuilder().build(), DEFAULT_ENVIRONMENT, null);
    }

    /** A token credential on {@code environment}; {@code tenantId} may be null (the credential's own). */
    public static ArmConnection of(
            TokenCredential credential, AzureEnvironment environment, @Nullable String tenantId) {
        Checks.required(credential, "credential");
        Checks.required(environment, "environment");
        return new ArmConnection(
                sub -> ContainerServiceManager.configure()
                        .withHttpClient(ArmRetry.httpClient())
                        .withRetryPolicy(ArmRetry.defaults().policy())
                        .withPolicy(new ErrorBodyGuard())
                        .authenticate(credential, new AzureProfile(tenantId, sub, environment)),
                environment.getResourceManagerEndpoint(),
                "token-credential",
                null);
    }

    /** A ready pipeline (its policies do authentication, retries, logging) against {@code environment}. */
    public static ArmConnection of(HttpPipeline pipeline, AzureEnvironment environment) {
        Checks.required(pipeline, "pipeline");
        Checks.required(environment, "environment");
        HttpPipeline guarded = guarded(pipeline);
        return new ArmConnection(
                sub -> ContainerServiceManager.authenticate(guarded, new AzureProfile(null, sub, environment)),
                environment.getResourceManagerEndpoint(),
                "pipeline",
                null);
    }

    /** A ready pipeline against the public cloud's endpoints except Resource Manager at {@code resourceManagerEndpoint}. */
    public static ArmConnection of(HttpPipeline pipeline, String resourceManagerEndpoint) {
        return of(pipeline, environment(resourceManagerEndpoint));
    }

    /** A ready pipeline and a profile (environment and subscription): bound to the profile's subscription. */
    public static ArmConnection of(HttpPipeline pipeline, AzureProfile profile) {
        Checks.required(pipeline, "pipeline");
        Checks.required(profile, "profile");
        return of(ContainerServiceManager.authenticate(guarded(pipeline), profile));
    }

    /**
     * {@code pipeline} behind an {@link ErrorBodyGuard}: an error body too deep or too large for the SDK's
     * recursive parser is replaced by a small one with its HTTP status's code.
     */
    static HttpPipeline guarded(HttpPipeline pipeline) {
        HttpClient through = new HttpClient() {
            @Override
            public reactor.core.publisher.Mono<HttpResponse> send(HttpRequest request) {
                return pipeline.send(request);
            }

            @Override
            public reactor.core.publisher.Mono<HttpResponse> send(
                    HttpRequest request, com.azure.core.util.Context context) {
                return pipeline.send(request, context);
            }

            @Override
            public HttpResponse sendSync(HttpRequest request, com.azure.core.util.Context context) {
                return pipeline.sendSync(request, context);
            }
        };
        return new HttpPipelineBuilder()
                .httpClient(through)
                .policies(new ErrorBodyGuard())
                .build();
    }

    /** A manager you built; only its subscription can be used. */
    public static ArmConnection of(ContainerServiceManager manager) {
        Checks.required(manager, "manager");
        String sub = manager.subscriptionId();
        ArmConnection c =
                new ArmConnection(s -> manager, manager.environment().getResourceManagerEndpoint(), "manager", sub);
        c.managers.put(sub.toLowerCase(java.util.Locale.ROOT), manager);
        return c;
    }

    /** The public cloud's endpoints with Resource Manager at {@code resourceManagerEndpoint} (e.g. a local test server). */
    public static AzureEnvironment environment(String resourceManagerEndpoint) {
        Checks.required(resourceManagerEndpoint, "resourceManagerEndpoint");
        URI uri = URI.create(resourceManagerEndpoint);
        if (uri.getScheme() == null || uri.getHost() == null) {
            throw new IllegalArgumentException("'resourceManagerEndpoint' must be an absolute http(s) URL, but was '"
                    + resourceManagerEndpoint + "'");
        }
        Map<String, String> endpoints = new HashMap<>(AzureEnvironment.AZURE.getEndpoints());
        String base = resourceManagerEndpoint.endsWith("/") ? resourceManagerEndpoint : resourceManagerEndpoint + "/";
        endpoints.put("resourceManagerEndpointUrl", base);
        return new AzureEnvironment(endpoints);
    }

    /**
     * The manager for {@code subscriptionId}.
     *
     * @throws IllegalArgumentException when this connection is bound to another subscription
     */
    public ContainerServiceManager manager(String subscriptionId) {
        Checks.required(subscriptionId, "subscriptionId");
        if (onlySubscription != null && !onlySubscription.equalsIgnoreCase(subscriptionId)) {
            throw new IllegalArgumentException("'subscriptionId' must be " + onlySubscription
                    + " (this connection's manager is bound to it), but was " + subscriptionId);
        }
        return managers.asMap().computeIfAbsent(subscriptionId.toLowerCase(java.util.Locale.ROOT), factory);
    }

    /** Managers cached now (at most {@value #MAX_MANAGERS}). */
    public long managerCount() {
        managers.cleanUp();
        return managers.size();
    }

    /** Resource Manager's base URL, ending in {@code /}. */
    public String resourceManagerEndpoint() {
        return resourceManagerEndpoint.endsWith("/") ? resourceManagerEndpoint : resourceManagerEndpoint + "/";
    }

    /** Whether {@code url} points at this connection's Resource Manager host (a persisted URL is checked before a token is sent to it). */
    public boolean isResourceManagerUrl(String url) {
        try {
            URI u = URI.create(url);
            URI base = URI.create(resourceManagerEndpoint());
            return Objects.equals(u.getScheme(), base.getScheme())
                    && u.getHost() != null
                    && u.getHost().equalsIgnoreCase(base.getHost())
                    && u.getPort() == base.getPort();
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    @Override
    public String toString() {
        return "ArmConnection[endpoint=" + resourceManagerEndpoint() + ", auth=" + auth
                + (onlySubscription == null ? "" : ", subscription=" + onlySubscription) + "]";
    }
}
