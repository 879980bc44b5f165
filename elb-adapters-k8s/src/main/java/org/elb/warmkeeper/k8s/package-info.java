/**
 * Kubernetes adapters on Fabric8 kubernetes-client: a client per cluster
 * ({@link KubernetesClientProvider}), batched warm status from one LIST of the warmup pods
 * ({@link Fabric8WarmStatusProbe}, or {@link Fabric8InformerWarmStatusProbe} from an informer
 * cache), idempotent warmup Jobs with deterministic DNS-safe names ({@link Fabric8WarmupDispatcher}),
 * node readiness ({@link Fabric8NodeReadinessProbe}), the deployed version from a service's OpenAPI
 * spec ({@link OpenApiDeployedVersionProbe}) and leader election on a Lease
 * ({@link Fabric8LeaderElection}). Naming and the status mapping are pure functions
 * ({@link WarmupNames}, {@link WarmupStatusMapping}). Only equality label selectors are used.
 */
@NullMarked
package org.elb.warmkeeper.k8s;

import org.jspecify.annotations.NullMarked;
