package org.elb.warmkeeper.azure;

import com.azure.core.http.HttpClient;
import com.azure.core.http.HttpPipeline;
import com.azure.core.http.HttpPipelineBuilder;
import com.azure.core.http.HttpResponse;
import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.azure.core.http.policy.RetryPolicy;
import com.azure.core.http.policy.RetryStrategy;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Set;
import org.elb.warmkeeper.core.cluster.Checks;
import org.jspecify.annotations.Nullable;

/**
 * How the Azure adapters retry and time out their calls to Resource Manager, in place of the SDK's
 * defaults (3 retries at 0.8, 1.6, 3.2 s: about 5.6 s per call against an unreachable ARM, and a
 * {@code 429 Retry-After: 120} slept for 120 s inside one call).
 *
 * <ul>
 *   <li>at most {@value #DEFAULT_MAX_RETRIES} retry of a failed connection or a 408/429/500/502/503/504,
 *       after {@link #DEFAULT_DELAY} (doubling per retry, never past {@link #DEFAULT_MAX_RETRY_AFTER});
 *   <li>a 429 or 503 whose {@code Retry-After} (or {@code retry-after-ms}, {@code x-ms-retry-after-ms})
 *       asks for more than {@link #DEFAULT_MAX_RETRY_AFTER} is <b>not</b> retried: the caller gets it at
 *       once ({@link AksReadinessProbe} throws a {@code BackendThrottledException} with the wait, which
 *       a {@code CachedReadinessProbe} honours by not calling ARM again before it; the provisioner's
 *       polling waits it out between polls);
 *   <li>connections time out after {@link #DEFAULT_CONNECT_TIMEOUT}, answers after
 *       {@link #DEFAULT_RESPONSE_TIMEOUT}.
 * </ul>
 *
 * So a call against an ARM that refuses connections costs two connection attempts and
 * {@link #DEFAULT_DELAY} (well under the reconciler's per-cluster deadline). Every {@link ArmConnection}
 * made from a credential uses it; a pipeline you pass keeps your own policies ({@link #pipeline()} builds
 * one with these, without authentication, for emulators and authenticating proxies).
 */
public final class ArmRetry implements RetryStrategy {

    /** Retries after the first attempt. */
    public static final int DEFAULT_MAX_RETRIES = 1;
    /** Wait before the first retry (doubled for each further one). */
    public static final Duration DEFAULT_DELAY = Duration.ofMillis(250);
    /** The longest wait a retry may take; a {@code Retry-After} above it is returned to the caller. */
    public static final Duration DEFAULT_MAX_RETRY_AFTER = Duration.ofSeconds(2);
    /** TCP connection timeout of {@link #httpClient()}. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** Time for an answer's headers in {@link #httpClient()}. */
    public static final Duration DEFAULT_RESPONSE_TIMEOUT = Duration.ofSeconds(20);

    private static final Set<Integer> RETRIED = Set.of(408, 429, 500, 502, 503, 504);
    private static final ArmRetry DEFAULTS = new ArmRetry(DEFAULT_MAX_RETRIES, DEFAULT_DELAY, DEFAULT_MAX_RETRY_AFTER);

    private final int maxRetries;
    private final Duration delay;
    private final Duration maxRetryAfter;

    private ArmRetry(int maxRetries, Duration delay, Duration maxRetryAfter) {
        this.maxRetries = maxRetries;
        this.delay = delay;
        this.maxRetryAfter = maxRetryAfter;
    }

    /** The defaults above. */
    public static ArmRetry defaults() {
        return DEFAULTS;
    }

    /**
     * Your own numbers.
     *
     * @param maxRetries retries after the first attempt, 0 to 5
     * @param delay wait before the first retry, positive
     * @param maxRetryAfter the longest wait a retry may take, at least {@code delay}
     */
    public static ArmRetry of(int maxRetries, Duration delay, Duration maxRetryAfter) {
        if (maxRetries < 0 || maxRetries > 5) {
            throw new IllegalArgumentException("'maxRetries' must be between 0 and 5, but was " + maxRetries);
        }
        Checks.positive(delay, "delay");
        Checks.positive(maxRetryAfter, "maxRetryAfter");
        if (maxRetryAfter.compareTo(delay) < 0) {
            throw new IllegalArgumentException(
                    "'maxRetryAfter' must be at least 'delay' (" + delay + "), but was " + maxRetryAfter);
        }
        return new ArmRetry(maxRetries, delay, maxRetryAfter);
    }

    /** This strategy as the SDK's retry policy. */
    public RetryPolicy policy() {
        return new RetryPolicy(this);
    }

    /** The JDK HTTP client with {@link #DEFAULT_CONNECT_TIMEOUT} and {@link #DEFAULT_RESPONSE_TIMEOUT}. */
    public static HttpClient httpClient() {
        return new JdkHttpClientBuilder()
                .connectionTimeout(DEFAULT_CONNECT_TIMEOUT)
                .responseTimeout(DEFAULT_RESPONSE_TIMEOUT)
                .build();
    }

    /** A pipeline without authentication (an emulator, an authenticating proxy): {@link #httpClient()}, these retries. */
    public static HttpPipeline pipeline() {
        return pipeline(httpClient());
    }

    /** A pipeline without authentication on {@code client}, with the default retries. */
    public static HttpPipeline pipeline(HttpClient client) {
        return new HttpPipelineBuilder()
                .httpClient(Checks.required(client, "client"))
                .policies(DEFAULTS.policy())
                .build();
    }

    @Override
    public int getMaxRetries() {
        return maxRetries;
    }

    @Override
    public Duration calculateRetryDelay(int retryAttempts) {
        Duration d = delay.multipliedBy(1L << Math.min(retryAttempts, 10));
        return d.compareTo(maxRetryAfter) > 0 ? maxRetryAfter : d;
    }

    @Override
    public boolean shouldRetry(HttpResponse response) {
        if (!RETRIED.contains(response.getStatusCode())) {
            return false;
        }
        Duration asked = retryAfter(response);
        return asked == null || asked.compareTo(maxRetryAfter) <= 0;
    }

    @Override
    public boolean shouldRetryException(Throwable throwable) {
        return true; // connection refused or reset, timeouts: one quick retry
    }

    /** The wait an answer asks for ({@code retry-after-ms}, {@code x-ms-retry-after-ms}, {@code Retry-After}); null: none. */
    static @Nullable Duration retryAfter(HttpResponse response) {
        for (String header : new String[] {"retry-after-ms", "x-ms-retry-after-ms"}) {
            String ms = response.getHeaderValue(header);
            if (ms != null && !ms.isBlank()) {
                try {
                    return Duration.ofMillis(Math.max(0, Long.parseLong(ms.trim())));
                } catch (NumberFormatException e) {
                    // not a number: look further
                }
            }
        }
        String value = response.getHeaderValue("Retry-After");
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(value.trim())));
        } catch (NumberFormatException e) {
            try {
                Duration d = Duration.between(
                        OffsetDateTime.now(), OffsetDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME));
                return d.isNegative() ? Duration.ZERO : d;
            } catch (DateTimeParseException notADate) {
                return null;
            }
        }
    }

    @Override
    public String toString() {
        return "ArmRetry[maxRetries=" + maxRetries + ", delay=" + delay + ", maxRetryAfter=" + maxRetryAfter + "]";
    }
}
