package org.elb.warmkeeper.core.warm;

/**
 * Optional capability of a {@link ClusterReadinessProbe}: it watches its backend (an informer on the
 * nodes) and tells listeners when a cluster may have become ready. A reconciler built on such a probe
 * runs that cluster within seconds instead of at the next tick ({@link AutoWarmScheduler}).
 * {@link ClusterReadinessProbe#allOf} keeps the capability of the probes it composes.
 *
 * <p>A notification is a hint, not a verdict: the run asks {@link #probe} as any tick does.
 */
public interface WatchingReadinessProbe extends ClusterReadinessProbe, ClusterChangeSource {}
