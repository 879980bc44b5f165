package org.elb.warmkeeper.k8s.internal;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.elb.warmkeeper.core.BackendUnavailableException;
import org.elb.warmkeeper.core.ElbException;
import org.elb.warmkeeper.core.cluster.ClusterRef;
import org.elb.warmkeeper.k8s.KubernetesClientProvider;
import org.elb.warmkeeper.k8s.KubernetesConfigSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Builds one client per cluster on first use, caches it, closes them all on close. Thread-safe. */
public final class CachingClientProvider implements KubernetesClientProvider {

    private static final Logger log = LoggerFactory.getLogger(CachingClientProvider.class);

    private final KubernetesConfigSource source;
    private final Duration connectTimeout;
    private final Duration requestTimeout;
    private final int retries;
    private final BoundedCall calls = new BoundedCall();
    private final Map<ClusterRef, KubernetesClient> clients = new ConcurrentHashMap<>();
    private volatile boolean closed;

    public CachingClientProvider(
            KubernetesConfigSource source, Duration connectTimeout, Duration requestTimeout, int retries) {
        this.source = source;
        this.connectTimeout = connectTimeout;
        this.requestTimeout = requestTimeout;
        this.retries = retries;
    }

    @Override
    public KubernetesClient client(ClusterRef cluster) {
        if (closed) {
            throw new IllegalStateException("the Kubernetes client provider is closed");
        }
        return clients.computeIfAbsent(cluster, this::create);
    }

    private KubernetesClient create(ClusterRef cluster) {
        Config base;
        try {
            base = source.configFor(cluster);
        } catch (ElbException | IllegalArgumentException e) {
            throw e;
        } catch (RuntimeException e) {
            // The message of a kubeconfig parse error may quote the document: keep it out of logs.
            throw new BackendUnavailableException(
                    "kubernetes:" + cluster.display(),
                    "configure",
                    "no usable Kubernetes configuration (" + e.getClass().getSimpleName() + ")",
                    e);
        }
        Config tuned = new ConfigBuilder(base)
                .withConnectionTimeout(Math.toIntExact(connectTimeout.toMillis()))
                .withRequestTimeout(Math.toIntExact(requestTimeout.toMillis()))
                .withRequestRetryBackoffLimit(retries)
                .build();
        log.debug("kubernetes client created for cluster {}", cluster.display());
        return new KubernetesClientBuilder().withConfig(tuned).build();
    }

    @Override
    public <T> T bounded(Supplier<T> attempt) {
        return calls.within(callTimeout(), attempt);
    }

    @Override
    public Duration callTimeout() {
        return connectTimeout.plus(requestTimeout.multipliedBy(retries + 1L)).plusSeconds(5);
    }

    @Override
    public void invalidate(ClusterRef cluster) {
        KubernetesClient client = clients.remove(cluster);
        if (client != null) {
            client.close();
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            clients.keySet().forEach(this::invalidate);
        } finally {
            calls.close();
        }
    }

    @Override
    public String toString() {
        return "CachingClientProvider{clients=" + clients.size() + ", requestTimeout=" + requestTimeout + "}";
    }
}
