/**
 * Version gate: offer "Update &lt;service&gt; to &lt;pinned&gt;" only when the pinned image tag differs
 * from the version the running service reports in its OpenAPI spec ({@code info.version}). The latest
 * tag in the registry is never taken for the deployed version. Pure {@link Version} and
 * {@link VersionGate}, ports {@link ImageTagSource}, {@link DeployedVersionProbe},
 * {@link ImageRegistry}, and the {@link VersionGateService}.
 */
@NullMarked
package org.elb.warmkeeper.core.version;

import org.jspecify.annotations.NullMarked;
