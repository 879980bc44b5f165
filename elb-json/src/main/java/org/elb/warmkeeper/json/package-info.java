/**
 * The library's one JSON wire format, on Jackson: tick reports ({@link TickReportJson}), provisioning
 * results and job rows ({@link ProvisioningJson}), version-gate results ({@link VersionGateJson}),
 * warm attempt history ({@link WarmAttemptJson}) and the job-state change event
 * ({@link JobStateChangeJson}). Field names are snake case, as the dashboard's API has them. Every
 * encoder gives a Jackson tree (to embed or to hand to a framework's message converter) and, through
 * {@link WireJson#write}, a compact string. Free text that may carry a credential (details, reasons,
 * action errors) is masked with {@link org.elb.warmkeeper.core.Secrets}.
 */
@NullMarked
package org.elb.warmkeeper.json;

import org.jspecify.annotations.NullMarked;
