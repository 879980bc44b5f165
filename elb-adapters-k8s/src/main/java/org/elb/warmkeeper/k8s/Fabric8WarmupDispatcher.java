package org.elb.warmkeeper.k8s;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.ScalableResource;
import java.net.HttpURLConnection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.elb.warmkeeper.core.cluster.Checks;
import org.elb.warmkeeper.core.warm.DispatchException;
import org.elb.warmkeeper.core.warm.DispatchOutcome;
import org.elb.warmkeeper.core.warm.DispatchResult;
import org.elb.warmkeeper.core.warm.WarmStatus;
import org.elb.warmkeeper.core.warm.WarmupDispatcher;
import org.elb.warmkeeper.core.warm.WarmupRequest;
import org.elb.warmkeeper.k8s.internal.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Enqueues a warmup as a Kubernetes Job made from a user-supplied template. The Job's name is
 * deterministic per database ({@link WarmupNames#jobName}), so creating it is idempotent across
 * replicas: a create that answers 409 AlreadyExists means another replica (or an earlier tick)
 * already started it, and the answer is {@link DispatchOutcome#ALREADY_RUNNING} — a second guard
 * behind the in-flight lock. An existing Job that has finished (Complete or Failed), or whose pods
 * have all failed ({@link WarmupStatusMapping}), is deleted (background propagation) and created
 * again: ENQUEUED. Only a Job that carries our labels ({@code managed-by} and the selector label) is
 * ever deleted: a Job of the same name without them is someone else's, left alone, and the dispatch
 * fails with a {@link DispatchException} saying so.
 *
 * <p>The Job and its pod template get the selector label (default
 * {@code app.kubernetes.io/component=elb-warmup}), {@code app.kubernetes.io/managed-by=elb-warmkeeper},
 * the database key label and the original database name as an annotation; every container gets the
 * environment variables {@value #ENV_DATABASE} and {@value #ENV_CLUSTER}. The template is never
 * modified. Any Fabric8 failure is wrapped in a {@link DispatchException}.
 */
public final class Fabric8WarmupDispatcher implements WarmupDispatcher {

    private static final Logger log = LoggerFactory.getLogger(Fabric8WarmupDispatcher.class);

    /** Environment variable holding the original database name. */
    public static final String ENV_DATABASE = "ELB_WARMUP_DATABASE";
    /** Environment variable holding the cluster name. */
    public static final String ENV_CLUSTER = "ELB_WARMUP_CLUSTER";

    private final KubernetesClientProvider clients;
    private final Job template;
    private final String namespace;
    private final String jobNamePrefix;
    private final String selectorKey;
    private final String selectorValue;

    private Fabric8WarmupDispatcher(Builder b) {
        this.clients = b.clients;
        this.template = new JobBuilder(b.template).build();
        this.namespace = b.namespace;
        this.jobNamePrefix = b.jobNamePrefix;
        this.selectorKey = b.selectorKey;
        this.selectorValue = b.selectorValue;
    }

    /**
     * @param template a Job whose {@code spec.template.spec.containers} is not empty; its name and
     *     namespace are replaced (load one from YAML with {@code Serialization.unmarshal} or a client's
     *     {@code jobs().load(..)})
     */
    public static Builder builder(KubernetesClientProvider clients, Job template) {
        return new Builder(clients, template);
    }

    @Override
    public DispatchOutcome enqueue(WarmupRequest request) {
        return dispatch(request).outcome();
    }

    /** As {@link #enqueue}, naming the Job ({@code elb-warmup-<key>}), which the attempt history keeps. */
    @Override
    public DispatchResult dispatch(WarmupRequest request) {
        String name = WarmupNames.jobName(jobNamePrefix, request.database());
        try {
            // A 401/403 (rotated credentials) rebuilds the cluster's client once and tries again.
            DispatchOutcome outcome = clients.withClient(request.cluster(), client -> dispatch(client, request, name));
            return new DispatchResult(outcome, name);
        } catch (DispatchException e) {
            throw e;
        } catch (RuntimeException e) {
            throw failure(request, e);
        }
    }

    private DispatchOutcome dispatch(KubernetesClient client, WarmupRequest request, String name) {
        MixedOperation<Job, JobList, ScalableResource<Job>> jobs =
                client.batch().v1().jobs();
        try {
            if (create(jobs, request, name)) {
                return DispatchOutcome.ENQUEUED;
            }
            Job existing = jobs.inNamespace(namespace).withName(name).get();
            if (existing == null) {
                // Deleted between our create and get: one more try, then leave it to the next tick.
                return create(jobs, request, name) ? DispatchOutcome.ENQUEUED : DispatchOutcome.ALREADY_RUNNING;
            }
            if (!ours(existing)) {
                // Same name, someone else's Job: never deleted. Nothing we could enqueue would run.
                throw new DispatchException("a Job named " + name + " exists in " + namespace + " on "
                        + request.cluster().display()
                        + " without the labels " + WarmupNames.MANAGED_BY_LABEL + "=" + WarmupNames.MANAGED_BY
                        + " and " + selectorKey + "=" + selectorValue
                        + ": it is not a warmup of ours and is left alone (rename it, or set another job prefix)");
            }
            if (!replaceable(client, existing)) {
                log.debug(
                        "warmup job {} for {} on {} is already running",
                        name,
                        request.database(),
                        request.cluster().display());
                return DispatchOutcome.ALREADY_RUNNING;
            }
            log.debug(
                    "replacing finished or failed warmup job {} for {} on {}",
                    name,
                    request.database(),
                    request.cluster().display());
            jobs.inNamespace(namespace)
                    .withName(name)
                    .lockResourceVersion(existing.getMetadata().getResourceVersion())
                    .delete(); // Fabric8 deletes with background propagation: the pods are collected after

            return create(jobs, request, name) ? DispatchOutcome.ENQUEUED : DispatchOutcome.ALREADY_RUNNING;
        } catch (KubernetesClientException e) {
            if (e.getCode() == HttpURLConnection.HTTP_CONFLICT) {
                // The delete's precondition failed: another replica replaced the job first.
                return DispatchOutcome.ALREADY_RUNNING;
            }
            throw e; // a 401/403 goes to withClient's rebuild, anything else becomes a DispatchException
        }
    }

    private DispatchException failure(WarmupRequest request, RuntimeException e) {
        return new DispatchException(
                "warmup job for " + request.database() + " on "
                        + request.cluster().display() + " could not be created: " + Errors.describe(e),
                e);
    }

    /** Creates the job; false when it already exists. */
    private boolean create(
            MixedOperation<Job, JobList, ScalableResource<Job>> jobs, WarmupRequest request, String name) {
        try {
            jobs.inNamespace(namespace).resource(render(request, name)).create();
            log.debug(
                    "warmup job {} created for {} on {}",
                    name,
                    request.database(),
                    request.cluster().display());
            return true;
        } catch (KubernetesClientException e) {
            if (e.getCode() == HttpURLConnection.HTTP_CONFLICT) {
                return false;
            }
            throw e;
        }
    }

    /**
     * Carries the labels every Job of ours gets ({@code managed-by} and the selector label): the only Jobs
     * the dispatcher ever deletes.
     */
    private boolean ours(Job existing) {
        Map<String, String> labels = existing.getMetadata().getLabels();
        return labels != null
                && WarmupNames.MANAGED_BY.equals(labels.get(WarmupNames.MANAGED_BY_LABEL))
                && selectorValue.equals(labels.get(selectorKey));
    }

    /** Finished (Complete or Failed), or active with every pod failed. */
    private boolean replaceable(KubernetesClient client, Job existing) {
        Optional<WarmStatus> finished = WarmupStatusMapping.ofJob(existing);
        if (finished.isPresent()) {
            return true;
        }
        if (!WarmupStatusMapping.isActive(existing)) {
            return false; // being deleted: let it go, the next tick creates the new one
        }
        String uid = existing.getMetadata().getUid();
        if (uid == null) {
            return false;
        }
        List<Pod> pods = client.pods()
                .inNamespace(namespace)
                .withLabel(WarmupNames.CONTROLLER_UID_LABEL, uid)
                .list()
                .getItems();
        return !pods.isEmpty() && WarmupStatusMapping.of(List.of(), pods) == WarmStatus.FAILED;
    }

    /** The Job for {@code request}: the template with name, namespace, labels, annotation and env. */
    Job render(WarmupRequest request, String name) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(selectorKey, selectorValue);
        labels.put(WarmupNames.MANAGED_BY_LABEL, WarmupNames.MANAGED_BY);
        labels.put(WarmupNames.DATABASE_KEY_LABEL, WarmupNames.key(request.database()));
        Map<String, String> annotations =
                Map.of(WarmupNames.DATABASE_ANNOTATION, request.database().value());
        List<EnvVar> env = List.of(
                new EnvVar(ENV_DATABASE, request.database().value(), null),
                new EnvVar(ENV_CLUSTER, request.cluster().clusterName(), null));

        Job copy = new JobBuilder(template).build();
        List<Container> containers = new ArrayList<>();
        for (Container c : copy.getSpec().getTemplate().getSpec().getContainers()) {
            ContainerBuilder cb = new ContainerBuilder(c);
            cb.removeMatchingFromEnv(e -> ENV_DATABASE.equals(e.getName()) || ENV_CLUSTER.equals(e.getName()));
            containers.add(cb.addAllToEnv(env).build());
        }
        return new JobBuilder(copy)
                .editOrNewMetadata()
                .withName(name)
                .withNamespace(namespace)
                .withGenerateName(null)
                .withResourceVersion(null)
                .withUid(null)
                .addToLabels(labels)
                .addToAnnotations(annotations)
                .endMetadata()
                .editSpec()
                .editTemplate()
                .editOrNewMetadata()
                .addToLabels(labels)
                .addToAnnotations(annotations)
                .endMetadata()
                .editSpec()
                .withContainers(containers)
                .endSpec()
                .endTemplate()
                .endSpec()
                .withStatus(null)
                .build();
    }

    @Override
    public String toString() {
        return "Fabric8WarmupDispatcher{namespace=" + namespace + ", jobNamePrefix=" + jobNamePrefix + "}";
    }

    /** Configuration; namespace, job name prefix and selector are optional. */
    public static final class Builder {
        private final KubernetesClientProvider clients;
        private final Job template;
        private String namespace = Fabric8WarmStatusProbe.DEFAULT_NAMESPACE;
        private String jobNamePrefix = WarmupNames.DEFAULT_JOB_PREFIX;
        private String selectorKey = WarmupNames.COMPONENT_LABEL;
        private String selectorValue = WarmupNames.DEFAULT_COMPONENT;

        private Builder(KubernetesClientProvider clients, Job template) {
            this.clients = Checks.required(clients, "clients");
            Checks.required(template, "template");
            if (template.getSpec() == null
                    || template.getSpec().getTemplate() == null
                    || template.getSpec().getTemplate().getSpec() == null
                    || template.getSpec().getTemplate().getSpec().getContainers() == null
                    || template.getSpec()
                            .getTemplate()
                            .getSpec()
                            .getContainers()
                            .isEmpty()) {
                throw new IllegalArgumentException(
                        "'template' must have at least one container in spec.template.spec.containers");
            }
            this.template = template;
        }

        /** Namespace of the Jobs (default {@value Fabric8WarmStatusProbe#DEFAULT_NAMESPACE}); match the probe's. */
        public Builder namespace(String namespace) {
            this.namespace = Selectors.namespace(namespace);
            return this;
        }

        /** Prefix of Job names (default {@value WarmupNames#DEFAULT_JOB_PREFIX}, at most 12 characters). */
        public Builder jobNamePrefix(String prefix) {
            this.jobNamePrefix = WarmupNames.checkPrefix(prefix);
            return this;
        }

        /** The selector label put on Jobs and pods; match the probe's. */
        public Builder selector(String key, String value) {
            this.selectorKey = Selectors.labelKey(key);
            this.selectorValue = Selectors.labelValue(value);
            return this;
        }

        public Fabric8WarmupDispatcher build() {
            return new Fabric8WarmupDispatcher(this);
        }
    }
}
