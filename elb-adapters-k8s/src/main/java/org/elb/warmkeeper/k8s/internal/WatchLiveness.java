package org.elb.warmkeeper.k8s.internal;

import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.elb.warmkeeper.core.cluster.Checks;
import org.elb.warmkeeper.core.cluster.ClusterRef;
import org.jspecify.annotations.Nullable;

/**
 * Bounded trust in a watch, per cluster, for the informer-backed probes. A watch is trusted while it shows
 * a sign of life at least every {@code maxSilence}: an event (add, update, delete) or a bookmark (Fabric8
 * asks for bookmarks; both move the informer's last resource version, which {@link #check} compares), or
 * a fresh sync. A watch silent for longer may be dead without having been told (a path that stopped
 * forwarding without FIN or RST keeps {@code isWatching()} true for ever): the probe then relists it from
 * scratch, and answers "unknown" until the relist has synced. The decision uses the injected
 * {@link Clock}. Thread-safe; it starts no thread.
 */
public final class WatchLiveness {

    /** What {@link #check} found. */
    public enum Verdict {
        /** Not synced, and not being relisted after a silence: the probe's usual not-synced path. */
        NOT_SYNCED,
        /** Being relisted after a silence and not synced again yet: statuses are unknown. */
        RELISTING,
        /** Synced, with a sign of life within {@code maxSilence}. */
        LIVE,
        /** Synced, but silent for longer than {@code maxSilence}: relist it. */
        SILENT
    }

    private static final class Mark {
        @Nullable Instant lastSign;

        @Nullable String resourceVersions;

        boolean relisting;
    }

    private final Clock clock;
    private final Duration maxSilence;
    private final Map<ClusterRef, Mark> marks = new ConcurrentHashMap<>();

    public WatchLiveness(Clock clock, Duration maxSilence) {
        this.clock = Checks.required(clock, "clock");
        this.maxSilence = Checks.positive(maxSilence, "maxSilence");
    }

    public Duration maxSilence() {
        return maxSilence;
    }

    /**
     * A (re)start of the cluster's informers: its age counts from its first sync. A relist after a silence
     * keeps its age (still growing) until the relist has synced.
     */
    public void started(ClusterRef cluster) {
        Mark m = marks.computeIfAbsent(cluster, k -> new Mark());
        synchronized (m) {
            if (!m.relisting) {
                m.lastSign = null;
            }
            m.resourceVersions = null;
        }
    }

    /** The cluster's informers are being replaced after a silence: unknown until they have synced again. */
    public void relisting(ClusterRef cluster) {
        Mark m = marks.computeIfAbsent(cluster, k -> new Mark());
        synchronized (m) {
            m.resourceVersions = null;
            m.relisting = true;
        }
    }

    /** Whether the cluster's informers are being relisted after a silence (and have not synced again). */
    public boolean isRelisting(ClusterRef cluster) {
        Mark m = marks.get(cluster);
        if (m == null) {
            return false;
        }
        synchronized (m) {
            return m.relisting;
        }
    }

    /** Every event of {@code informer} is a sign of life of {@code cluster}'s watch. */
    public <T> void stampOnEvents(ClusterRef cluster, SharedIndexInformer<T> informer) {
        informer.addEventHandler(new ResourceEventHandler<T>() {
            @Override
            public void onAdd(T obj) {
                signOfLife(cluster);
            }

            @Override
            public void onUpdate(T oldObj, T newObj) {
                signOfLife(cluster);
            }

            @Override
            public void onDelete(T obj, boolean deletedFinalStateUnknown) {
                signOfLife(cluster);
            }
        });
    }

    private void signOfLife(ClusterRef cluster) {
        Mark m = marks.get(cluster);
        if (m == null) {
            return;
        }
        synchronized (m) {
            if (m.lastSign != null && !m.relisting) {
                m.lastSign = clock.instant();
            }
        }
    }

    /**
     * Judges the cluster's watch now: {@code synced} whether its informers have synced (and watch),
     * {@code resourceVersions} their last resource versions (a change since the last check is a sign of
     * life: an event or a bookmark arrived in between).
     */
    public Verdict check(ClusterRef cluster, boolean synced, @Nullable String resourceVersions) {
        Mark m = marks.computeIfAbsent(cluster, k -> new Mark());
        synchronized (m) {
            if (!synced) {
                return m.relisting ? Verdict.RELISTING : Verdict.NOT_SYNCED;
            }
            Instant now = clock.instant();
            if (m.lastSign == null || m.relisting || !Objects.equals(m.resourceVersions, resourceVersions)) {
                // first sight of a synced cache (after a start or a relist), or an event/bookmark since
                m.lastSign = now;
                m.resourceVersions = resourceVersions;
                m.relisting = false;
                return Verdict.LIVE;
            }
            return Duration.between(m.lastSign, now).compareTo(maxSilence) > 0 ? Verdict.SILENT : Verdict.LIVE;
        }
    }

    /**
     * Time since the last sign of life of the cluster's watch (still growing while it is relisted after a
     * silence); empty before its first sync.
     */
    public Optional<Duration> age(ClusterRef cluster) {
        Mark m = marks.get(cluster);
        if (m == null) {
            return Optional.empty();
        }
        synchronized (m) {
            Instant last = m.lastSign;
            return last == null ? Optional.empty() : Optional.of(Duration.between(last, clock.instant()));
        }
    }

    /** The cluster is no longer watched. */
    public void forget(ClusterRef cluster) {
        marks.remove(cluster);
    }

    /** Forgets every cluster. */
    public void clear() {
        marks.clear();
    }
}
