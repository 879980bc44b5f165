package org.elb.warmkeeper.spring.boot;

import java.time.Duration;
import org.elb.warmkeeper.core.warm.AutoWarmObserver;
import org.elb.warmkeeper.core.warm.AutoWarmPreferences;
import org.elb.warmkeeper.core.warm.AutoWarmReconciler;
import org.elb.warmkeeper.core.warm.ClusterReadinessProbe;
import org.elb.warmkeeper.core.warm.DatabaseInventory;
import org.elb.warmkeeper.core.warm.InflightLock;
import org.elb.warmkeeper.core.warm.LeaderElection;
import org.elb.warmkeeper.core.warm.WarmAttemptHistory;
import org.elb.warmkeeper.core.warm.WarmBackoff;
import org.elb.warmkeeper.core.warm.WarmStatusProbe;
import org.elb.warmkeeper.core.warm.WarmupDispatcher;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Lazy;

/**
 * The auto-warm reconciler and its scheduler, on whatever ports there are: the store's preferences and
 * inventory, Kubernetes' status probe and dispatcher (or the application's own). Ticks unless
 * {@code elb.autowarm.enabled=false}.
 */
@AutoConfiguration(
        before = ElbAutoConfiguration.class,
        after = {ElbStoreAutoConfiguration.class, ElbKubernetesAutoConfiguration.class, ElbRedisConfiguration.class})
@ConditionalOnElbEnabled
@ConditionalOnBean({AutoWarmPreferences.class, DatabaseInventory.class, WarmStatusProbe.class, WarmupDispatcher.class})
public class ElbAutoWarmAutoConfiguration {

    @Bean
    @Lazy
    @ConditionalOnMissingBean
    public AutoWarmReconciler elbAutoWarmReconciler(
            AutoWarmPreferences preferences,
            DatabaseInventory inventory,
            WarmStatusProbe statusProbe,
            InflightLock lock,
            WarmupDispatcher dispatcher,
            ObjectProvider<ClusterReadinessProbe> readiness,
            ObjectProvider<AutoWarmObserver> observer,
            ElbClock clock,
            ElbSettings settings,
            ObjectProvider<WarmAttemptHistory> history,
            ObjectProvider<ElbReconcilerCustomizer> customizers) {
        ElbProperties.Autowarm a = settings.properties().getAutowarm();
        Duration lockTtl = a.getLockTtl();
        Duration cap = a.getBackoffCap();
        AutoWarmReconciler.Builder b = AutoWarmReconciler.builder(preferences, inventory, statusProbe, lock, dispatcher)
                .history(history.getIfAvailable(() -> WarmAttemptHistory.NONE))
                .backoff(
                        cap == null
                                ? WarmBackoff.forLockTtl(lockTtl)
                                : WarmBackoff.builder().base(lockTtl).cap(cap).build())
                .readiness(readiness.getIfAvailable(() -> ClusterReadinessProbe.ALWAYS_READY))
                .clock(clock.clock())
                .lockTtl(lockTtl)
                .concurrency(a.getConcurrency())
                .clusterDeadline(a.getClusterDeadline())
                .tickDeadline(a.getTickDeadline())
                .stuckLoadingAfter(a.getStuckLoadingAfter())
                .observer(observer.getIfAvailable(() -> AutoWarmObserver.NOOP));
        customizers.orderedStream().forEach(c -> c.customize(b));
        return b.build();
    }

    /** Ticks from application-ready until the context closes; off with {@code elb.autowarm.enabled=false}. */
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnProperty(prefix = "elb.autowarm", name = "enabled", havingValue = "true", matchIfMissing = true)
    public ElbScheduling elbScheduling(
            ObjectProvider<AutoWarmReconciler> reconciler,
            LeaderElection leader,
            ElbSettings settings,
            ObjectProvider<AutoWarmObserver> observer,
            ElbClock clock,
            ObjectProvider<ElbSchedulerCustomizer> customizers) {
        ElbProperties.Autowarm a = settings.properties().getAutowarm();
        return new ElbScheduling(
                reconciler::getObject,
                leader,
                a.getInterval(),
                a.getShutdownTimeout(),
                observer.getIfAvailable(() -> AutoWarmObserver.NOOP),
                clock.clock(),
                b -> customizers.orderedStream().forEach(c -> c.customize(b)));
    }
}
