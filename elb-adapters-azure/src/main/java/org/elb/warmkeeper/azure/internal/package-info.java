/**
 * Helpers of the Azure adapters, not API: ARM error conversion and classification, the JSON of ARM
 * operation bodies, and the per-task polling state of the AKS provisioner.
 */
@NullMarked
package org.elb.warmkeeper.azure.internal;

import org.jspecify.annotations.NullMarked;
