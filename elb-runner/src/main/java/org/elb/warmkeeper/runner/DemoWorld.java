package org.elb.warmkeeper.runner;

import java.time.Duration;
import java.util.List;
import org.elb.warmkeeper.core.cluster.ClusterRef;
import org.elb.warmkeeper.core.cluster.DatabaseName;
import org.elb.warmkeeper.core.warm.AutoWarmPreference;
import org.elb.warmkeeper.core.warm.InflightKey;
import org.elb.warmkeeper.core.warm.WarmStatus;
import org.elb.warmkeeper.testkit.InMemoryAutoWarmPreferences;
import org.elb.warmkeeper.testkit.InMemoryInflightLock;
import org.elb.warmkeeper.testkit.MutableClock;
import org.elb.warmkeeper.testkit.SimulatedWorld;

/**
 * The demo's simulated world, replaying the seed:
 * <ul>
 *   <li>{@code elb-cluster}: ready and already seen ready ({@code lastReady=true}), {@code core_nt}
 *       downloaded but cold, {@code swissprot} READY: core_nt is enqueued without force (the seed's bug
 *       left it cold forever), the cluster goes triggered, waiting (own lock in flight), then ready_noop;
 *   <li>{@code elb-east}: {@code pdbaa} locked by another replica (skipped {@code inflight}),
 *       {@code 16S_ribosomal_RNA} not downloaded (skipped {@code not_downloaded}), {@code nt} READY;
 *   <li>{@code elb-staging}: not ready for the first two ticks, then {@code nr} is warmed.
 *   <li>{@code elb-east}'s {@code env_nt}: its first warmup fails after loading; it is skipped {@code backoff}
 *       until its {@code retry_at} ({@link #BACKOFF_BASE} after the failure), dispatched again, and READY
 *       (which resets the backoff).
 * </ul>
 * A warmup reads ABSENT for the tick that enqueued it and the next (download/shard/plan), LOADING for two more, then READY.
 */
final class DemoWorld {

    static final String SUBSCRIPTION = "00000000-0000-4000-8000-000000000001";
    static final ClusterRef MAIN = ClusterRef.of(SUBSCRIPTION, "rg-elb", "elb-cluster");
    static final ClusterRef EAST = ClusterRef.of(SUBSCRIPTION, "rg-elb-east", "elb-east");
    static final ClusterRef STAGING = ClusterRef.of(SUBSCRIPTION, "rg-elb", "elb-staging");

    /** The demo's backoff base: two simulated minutes (two ticks), so the demo stays short. */
    static final Duration BACKOFF_BASE = Duration.ofMinutes(2);

    final MutableClock clock = MutableClock.start();
    final SimulatedWorld world = new SimulatedWorld(2, 2);
    final InMemoryAutoWarmPreferences preferences = new InMemoryAutoWarmPreferences();
    final InMemoryInflightLock lock = new InMemoryInflightLock(clock);

    DemoWorld() {
        DatabaseName coreNt = DatabaseName.of("core_nt");
        DatabaseName swissprot = DatabaseName.of("swissprot");
        DatabaseName pdbaa = DatabaseName.of("pdbaa");
        DatabaseName s16 = DatabaseName.of("16S_ribosomal_RNA");
        DatabaseName nt = DatabaseName.of("nt");
        DatabaseName nr = DatabaseName.of("nr");
        DatabaseName envNt = DatabaseName.of("env_nt");

        world.cluster(MAIN, 0)
                .database(MAIN, coreNt, true, WarmStatus.ABSENT)
                .database(MAIN, swissprot, true, WarmStatus.READY);
        world.cluster(EAST, 0)
                .database(EAST, pdbaa, true, WarmStatus.ABSENT)
                .database(EAST, s16, false, WarmStatus.ABSENT)
                .database(EAST, nt, true, WarmStatus.READY)
                .database(EAST, envNt, true, WarmStatus.ABSENT)
                .failNextWarmups(EAST, envNt, 1);
        world.cluster(STAGING, 2).database(STAGING, nr, true, WarmStatus.ABSENT);

        preferences.put(new AutoWarmPreference(MAIN, List.of(coreNt, swissprot), true));
        preferences.put(new AutoWarmPreference(EAST, List.of(pdbaa, s16, nt, envNt), false));
        preferences.put(new AutoWarmPreference(STAGING, List.of(nr), false));

        lock.holdForOther(new InflightKey(EAST, pdbaa), Duration.ofMinutes(15));
    }

    /** The demo's clusters with their configured databases, for seeding a durable store. */
    List<AutoWarmPreference> preferenceSeed() {
        return preferences.enabledClusters();
    }

    /** One simulated minute: the world moves one step. */
    void advance() {
        world.advance();
        clock.advance(Duration.ofMinutes(1));
    }
}
