/**
 * Call-count benchmark of the Kubernetes warm-status probes: API requests per auto-warm tick and tick
 * wall time for the batched LIST probe, the informer probe and a naive per-database request, over
 * clusters simulated by Fabric8's mock server.
 */
@NullMarked
package org.elb.warmkeeper.benchmarks.k8s;

import org.jspecify.annotations.NullMarked;
