/**
 * AKS provisioning as durable job state: the row is written before the create is enqueued, status moves
 * only forward ({@link JobStatus}), updates are compare-and-set ({@link JobStateRepository}), recent
 * failed provisions are an owner-scoped indexed query that degrades instead of failing, cancel is
 * owner-scoped and links to a partially created cluster, and ARM errors are classified into actions
 * ({@link ErrorClassifier}). The service is {@link ProvisioningService}.
 */
@NullMarked
package org.elb.warmkeeper.core.provision;

import org.jspecify.annotations.NullMarked;
