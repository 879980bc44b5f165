/**
 * Implementation helpers of the Kubernetes adapters: the client cache behind
 * {@link org.elb.warmkeeper.k8s.KubernetesClientProvider}, the bounded OpenAPI spec reader, and
 * error translation from Fabric8 exceptions to core exception types. Not public API.
 */
@NullMarked
package org.elb.warmkeeper.k8s.internal;

import org.jspecify.annotations.NullMarked;
