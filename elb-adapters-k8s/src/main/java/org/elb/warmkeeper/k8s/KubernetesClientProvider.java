package org.elb.warmkeeper.k8s;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.util.function.Function;
import java.util.function.Supplier;
import org.elb.warmkeeper.core.cluster.Checks;
import org.elb.warmkeeper.core.cluster.ClusterRef;
import org.elb.warmkeeper.k8s.internal.CachingClientProvider;

/**
 * A Kubernetes client per cluster. Clients are created on first use from a
 * {@link KubernetesConfigSource}, cached, and closed by {@link #close()}; {@link #invalidate} drops
 * one (e.g. after its credentials rotated). The adapters never close a client they got from here.
 */
public interface KubernetesClientProvider extends AutoCloseable {

    /**
     * The client of {@code cluster}, created on first use.
     *
     * @throws org.elb.warmkeeper.core.BackendUnavailableException when no client can be built
     */
    KubernetesClient client(ClusterRef cluster);

    /** Closes and forgets the cached client of {@code cluster}; the next call builds a new one. */
    void invalidate(ClusterRef cluster);

    /**
     * Runs {@code call} with the cluster's client; when the API server answers 401 or 403 (credentials
     * rotated, cluster re-created) the cached client is invalidated, rebuilt from the config source and
     * the call is made once more. A second 401/403, or any other failure, is thrown as is. Each attempt
     * runs through {@link #bounded}.
     */
    default <T> T withClient(ClusterRef cluster, Function<KubernetesClient, T> call) {
        try {
            KubernetesClient client = client(cluster);
            return bounded(() -> call.apply(client));
        } catch (KubernetesClientException e) {
            if (e.getCode() != 401 && e.getCode() != 403) {
                throw e;
            }
            invalidate(cluster);
            KubernetesClient rebuilt = client(cluster);
            return bounded(() -> call.apply(rebuilt));
        }
    }

    /**
     * Runs one attempt of {@link #withClient}. The built provider ({@link #builder}) bounds it by
     * {@link #callTimeout()} on threads of its own, ended by {@link #close()}: a response whose body
     * stalls is abandoned then (Fabric8's request timeout covers only the wait for its headers). This
     * default runs it on the caller's thread, as it is.
     */
    default <T> T bounded(Supplier<T> attempt) {
        return attempt.get();
    }

    /**
     * The bound {@link #bounded} applies: the built provider's connect timeout plus its request timeout
     * for each try, plus 5 s; this default (no bound applied) answers 30 s.
     */
    default Duration callTimeout() {
        return Duration.ofSeconds(30);
    }

    /** Closes every cached client. */
    @Override
    void close();

    /** Clients from the local kubeconfig contexts (context name = cluster name), with default tuning. */
    static KubernetesClientProvider fromKubeconfigContexts() {
        return builder(KubernetesConfigSource.kubeconfigContexts()).build();
    }

    static Builder builder(KubernetesConfigSource source) {
        return new Builder(source);
    }

    /**
     * Tuning applied to every client. A tick must not stall on one cluster, so the defaults are
     * tighter than Fabric8's (10 s connect, 10 retries with back-off): a failed call is retried on the
     * next tick instead.
     */
    final class Builder {
        /** Default connect timeout: 5 s. */
        public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
        /** Default request timeout: 10 s. */
        public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);
        /** Default retries of a failed request: 0 (the next tick retries). */
        public static final int DEFAULT_RETRIES = 0;

        private final KubernetesConfigSource source;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
        private int retries = DEFAULT_RETRIES;

        private Builder(KubernetesConfigSource source) {
            this.source = Checks.required(source, "source");
        }

        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = Checks.positive(timeout, "connectTimeout");
            return this;
        }

        public Builder requestTimeout(Duration timeout) {
            this.requestTimeout = Checks.positive(timeout, "requestTimeout");
            return this;
        }

        /** Retries of a failed request (Fabric8's back-off); 0 or more. */
        public Builder retries(int retries) {
            if (retries < 0) {
                throw new IllegalArgumentException("'retries' must be 0 or more, but was " + retries);
            }
            this.retries = retries;
            return this;
        }

        public KubernetesClientProvider build() {
            return new CachingClientProvider(source, connectTimeout, requestTimeout, retries);
        }
    }
}
