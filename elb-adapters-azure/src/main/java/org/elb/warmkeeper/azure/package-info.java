/**
 * Azure adapters: {@link org.elb.warmkeeper.azure.AksClusterProvisioner} creates AKS clusters through ARM
 * and reports each {@code provisioningState} to the job row (resumable after a restart from the
 * persisted operation URL), {@link org.elb.warmkeeper.azure.AksReadinessProbe} says whether a cluster is
 * Succeeded and Running, {@link org.elb.warmkeeper.azure.AksKubeconfigSource} fetches a cluster's user
 * kubeconfig, and {@link org.elb.warmkeeper.azure.AcrImageRegistry} answers whether an image tag exists.
 * All reach Azure through an {@link org.elb.warmkeeper.azure.ArmConnection} (DefaultAzureCredential by
 * default, or a supplied HttpPipeline). No SDK exception escapes: they are wrapped in core exceptions.
 */
@NullMarked
package org.elb.warmkeeper.azure;

import org.jspecify.annotations.NullMarked;
