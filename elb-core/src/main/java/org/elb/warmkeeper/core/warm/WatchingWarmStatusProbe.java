package org.elb.warmkeeper.core.warm;

/**
 * Optional capability of a {@link WarmStatusProbe}: it watches its backend (an informer) and tells
 * listeners when a database of a cluster may have left {@link WarmStatus#READY}/{@link WarmStatus#LOADING}
 * (its warmup pod or job deleted, failed, evicted). A reconciler built on such a probe runs that cluster
 * within seconds instead of at the next tick ({@link AutoWarmScheduler}); nothing else to wire.
 *
 * <p>A notification is a hint, not a verdict: the run asks {@link #statuses} as any tick does, so a
 * spurious notification costs one cluster's run and no warmup. A probe may notify more than once for
 * one change; the scheduler coalesces.
 */
public interface WatchingWarmStatusProbe extends WarmStatusProbe, ClusterChangeSource {}
