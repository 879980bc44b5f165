package org.elb.warmkeeper.k8s;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.elb.warmkeeper.core.cluster.Checks;
import org.elb.warmkeeper.core.cluster.ClusterRef;
import org.elb.warmkeeper.core.cluster.DatabaseName;
import org.elb.warmkeeper.core.warm.WarmStatus;
import org.elb.warmkeeper.core.warm.WarmStatusProbe;
import org.elb.warmkeeper.k8s.internal.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Warm status of all databases of a cluster from <b>one LIST</b> of the warmup Pods (or Jobs) in a
 * namespace, selected by one equality label ({@code app.kubernetes.io/component=elb-warmup} by
 * default), mapped by {@link WarmupStatusMapping}. With {@link WarmupSource#JOBS_AND_PODS} it makes
 * two LISTs. A failed LIST (HTTP error, timeout) throws
 * {@link org.elb.warmkeeper.core.BackendUnavailableException}: the reconciler marks only that cluster
 * ERROR. Thread-safe.
 */
public final class Fabric8WarmStatusProbe implements WarmStatusProbe {

    private static final Logger log = LoggerFactory.getLogger(Fabric8WarmStatusProbe.class);

    /** Default namespace of warmup objects. */
    public static final String DEFAULT_NAMESPACE = "default";
    /** Default source: pods. */
    public static final WarmupSource DEFAULT_SOURCE = WarmupSource.PODS;

    private final KubernetesClientProvider clients;
    private final String namespace;
    private final String selectorKey;
    private final String selectorValue;
    private final WarmupSource source;

    private Fabric8WarmStatusProbe(Builder b) {
        this.clients = b.clients;
        this.namespace = b.namespace;
        this.selectorKey = b.selectorKey;
        this.selectorValue = b.selectorValue;
        this.source = b.source;
    }

    public static Builder builder(KubernetesClientProvider clients) {
        return new Builder(clients);
    }

    @Override
    public Map<DatabaseName, WarmStatus> statuses(ClusterRef cluster, Set<DatabaseName> databases) {
        if (databases.isEmpty()) {
            return Map.of();
        }
        try {
            return clients.withClient(cluster, client -> {
                List<Pod> pods = source.readsPods()
                        ? client.pods()
                                .inNamespace(namespace)
                                .withLabel(selectorKey, selectorValue)
                                .list()
                                .getItems()
                        : List.of();
                List<Job> jobs = source.readsJobs()
                        ? client.batch()
                                .v1()
                                .jobs()
                                .inNamespace(namespace)
                                .withLabel(selectorKey, selectorValue)
                                .list()
                                .getItems()
                        : List.of();
                return WarmupStatusMapping.byDatabase(jobs, pods, databases);
            });
        } catch (RuntimeException e) {
            log.debug("warmup LIST failed for cluster {}: {}", cluster.display(), Errors.describe(e));
            throw Errors.unavailable(cluster, "listWarmups", e);
        }
    }

    @Override
    public String toString() {
        return "Fabric8WarmStatusProbe{namespace=" + namespace + ", selector=" + selectorKey + "=" + selectorValue
                + ", source=" + source + "}";
    }

    /** Configuration; {@link #namespace}, {@link #selector} and {@link #source} are optional. */
    public static final class Builder {
        private final KubernetesClientProvider clients;
        private String namespace = DEFAULT_NAMESPACE;
        private String selectorKey = WarmupNames.COMPONENT_LABEL;
        private String selectorValue = WarmupNames.DEFAULT_COMPONENT;
        private WarmupSource source = DEFAULT_SOURCE;

        private Builder(KubernetesClientProvider clients) {
            this.clients = Checks.required(clients, "clients");
        }

        /** Namespace of the warmup objects (default {@value #DEFAULT_NAMESPACE}). */
        public Builder namespace(String namespace) {
            this.namespace = Selectors.namespace(namespace);
            return this;
        }

        /** The equality label that selects warmup objects (default {@code app.kubernetes.io/component=elb-warmup}). */
        public Builder selector(String key, String value) {
            this.selectorKey = Selectors.labelKey(key);
            this.selectorValue = Selectors.labelValue(value);
            return this;
        }

        public Builder source(WarmupSource source) {
            this.source = Checks.required(source, "source");
            return this;
        }

        public Fabric8WarmStatusProbe build() {
            return new Fabric8WarmStatusProbe(this);
        }
    }
}
