/**
 * Auto-warm reconcile: every tick re-evaluates every configured database of every cluster with
 * auto-warm on, and enqueues a warmup for each downloaded database that is not READY or LOADING,
 * behind an in-flight lock that fails open. Ports ({@link AutoWarmPreferences},
 * {@link ClusterReadinessProbe}, {@link DatabaseInventory}, {@link WarmStatusProbe},
 * {@link InflightLock}, {@link WarmupDispatcher}, {@link LeaderElection}, {@link AutoWarmObserver}),
 * the pure {@link WarmPlanner} and {@link InflightKeyCodec}, and the services
 * {@link AutoWarmReconciler} and {@link AutoWarmScheduler}.
 */
@NullMarked
package org.elb.warmkeeper.core.warm;

import org.jspecify.annotations.NullMarked;
