package org.elb.warmkeeper.core.warm;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.FutureTask;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.elb.warmkeeper.core.cluster.ClusterRef;
import org.elb.warmkeeper.core.cluster.DatabaseName;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * One tick's fan-out. The thread that calls {@link #run} is the coordinator: it alone touches the
 * state below and calls the observer. Port calls run on the executor and report back through
 * {@link #events}; a cluster's work is three tasks (readiness, warm status, dispatch) with the
 * shared inventory read and the batched lock calls in between.
 *
 * <p>The operator loop ({@link OperatorLoop}: attempt history, backoff, early release, stuck loading)
 * runs inside a cluster's tasks: observed right after the warm-status probe, before the plan; each
 * dispatch or failed enqueue recorded in the dispatch task. What it reports is collected as notes and
 * given to the observer by the coordinator, like every other observer call.
 *
 * <ul>
 *   <li>At most {@code concurrency} clusters are in flight (started, not finished, not abandoned).
 *   <li>The inventory is read once, for every enabled cluster, concurrently with the readiness probes.
 *   <li>Clusters whose plans have candidates join a lock batch. The batch is sent (one lock call) as soon
 *       as no cluster in flight is still before the lock stage, or when its first member has waited
 *       the gather window: a slow cluster never holds back the others' lock call.
 *   <li>A cluster that passes its deadline ends {@code error} with its stage and "deadline exceeded";
 *       its task is interrupted, nothing more is dispatched for it, its results are discarded and the
 *       locks this tick took for it and did not use are released.
 *   <li>At the tick deadline every unfinished cluster is abandoned the same way.
 * </ul>
 */
final class TickRun {

    private static final Logger log = LoggerFactory.getLogger(AutoWarmReconciler.class);

    enum Stage {
        QUEUED,
        READINESS,
        INVENTORY,
        WARM_STATUS,
        LOCK,
        ENQUEUE;

        String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** A cluster of this tick. Fields without volatile are the coordinator's. */
    private static final class Run {
        final int index;
        final AutoWarmPreference pref;
        volatile Stage stage = Stage.QUEUED;
        volatile boolean abandoned;
        /** Claimed by whoever disposes of this cluster's acquired locks: the dispatch task or the coordinator. */
        final AtomicBoolean dispatchClaimed = new AtomicBoolean();

        long deadlineNanos;
        boolean early;
        long batchedAt;

        @Nullable FutureTask<?> task;

        @Nullable WarmPlan plan;

        @Nullable Map<InflightKey, Acquisition> acquired;
        /** The operator loop's stuck-loading warnings of this tick, set with the plan. */
        Map<DatabaseName, Instant> stuckLoading = Map.of();

        Run(int index, AutoWarmPreference pref) {
            this.index = index;
            this.pref = pref;
        }

        ClusterRef cluster() {
            return pref.cluster();
        }
    }

    private final AutoWarmReconciler r;
    private final boolean force;
    private final LockToken token;
    private final long tickDeadlineNanos;
    private final LinkedBlockingQueue<Runnable> events = new LinkedBlockingQueue<>();
    private final Object overLock = new Object();
    private boolean over;

    private final List<Run> all = new ArrayList<>();
    private final ClusterOutcome[] outcomes;
    private final ArrayDeque<Run> queued = new ArrayDeque<>();
    private final Set<Run> running = new LinkedHashSet<>();
    private final List<Run> awaitingInventory = new ArrayList<>();
    private final List<Run> batch = new ArrayList<>();

    private boolean inventoryDone;
    private @Nullable Map<ClusterRef, Set<DatabaseName>> downloaded;
    private @Nullable RuntimeException inventoryError;
    private boolean tickDeadlineExceeded;

    TickRun(
            AutoWarmReconciler r,
            boolean force,
            LockToken token,
            long tickDeadlineNanos,
            List<AutoWarmPreference> prefs) {
        this.r = r;
        this.force = force;
        this.token = token;
        this.tickDeadlineNanos = tickDeadlineNanos;
        for (int i = 0; i < prefs.size(); i++) {
            Run run = new Run(i, prefs.get(i));
            all.add(run);
            queued.add(run);
        }
        this.outcomes = new ClusterOutcome[prefs.size()];
    }

    /** Whether the tick deadline cut clusters off. Valid after {@link #run}. */
    boolean tickDeadlineExceeded() {
        return tickDeadlineExceeded;
    }

    /** Runs the tick to its end and returns the outcomes in configuration order. */
    List<ClusterOutcome> run() {
        if (!all.isEmpty()) {
            startInventory();
        }
        try {
            loop();
        } catch (InterruptedException e) {
            log.warn("auto-warm tick interrupted; {} cluster(s) abandoned", running.size() + queued.size());
            abandonAll("tick interrupted", Duration.ZERO);
            Thread.currentThread().interrupt();
        } finally {
            synchronized (overLock) {
                over = true;
            }
            // Late answers of the lock already queued: their clusters are abandoned, so this releases.
            for (Runnable ev = events.poll(); ev != null; ev = events.poll()) {
                ev.run();
            }
        }
        List<ClusterOutcome> list = new ArrayList<>(outcomes.length);
        for (ClusterOutcome o : outcomes) {
            list.add(o);
        }
        return list;
    }

    private void loop() throws InterruptedException {
        fill();
        while (!running.isEmpty() || !queued.isEmpty()) {
            long now = System.nanoTime();
            if (now - tickDeadlineNanos >= 0) {
                tickDeadlineExceeded = true;
                abandonAll("tick deadline", r.tickDeadline);
                return;
            }
            expire(now);
            maybeFlush(now);
            fill();
            if (running.isEmpty() && queued.isEmpty()) {
                return;
            }
            long wake = tickDeadlineNanos;
            for (Run c : running) {
                wake = earlier(wake, c.deadlineNanos);
            }
            if (!batch.isEmpty()) {
                wake = earlier(wake, batch.get(0).batchedAt + r.lockGatherWindow.toNanos());
            }
            long wait = Math.max(0, wake - now);
            Runnable ev = wait == 0 ? events.poll() : events.poll(wait, TimeUnit.NANOSECONDS);
            while (ev != null) {
                ev.run();
                ev = events.poll();
            }
        }
    }

    private static long earlier(long a, long b) {
        return b - a < 0 ? b : a;
    }

    // ---- coordinator: scheduling ------------------------------------------------------------------

    private void fill() {
        while (running.size() < r.concurrency && !queued.isEmpty()) {
            Run c = queued.poll();
            c.deadlineNanos = System.nanoTime() + r.clusterDeadline.toNanos();
            c.early = true;
            c.stage = Stage.READINESS;
            running.add(c);
            submit(c, () -> readinessPhase(c));
        }
    }

    private void expire(long now) {
        for (Run c : new ArrayList<>(running)) {
            if (now - c.deadlineNanos >= 0) {
                abandon(c, "deadline", r.clusterDeadline);
            }
        }
    }

    private void abandonAll(String what, Duration deadline) {
        for (Run c : new ArrayList<>(running)) {
            abandon(c, what, deadline);
        }
        while (!queued.isEmpty()) {
            Run c = queued.poll();
            c.abandoned = true;
            finishFailed(
                    c, Stage.QUEUED.wireName(), new DeadlineExceededException(Stage.QUEUED.wireName(), what, deadline));
        }
    }

    /** Ends a cluster in flight with {@code error}; its late results are dropped. */
    private void abandon(Run c, String what, Duration deadline) {
        Stage stage = c.stage;
        c.abandoned = true;
        FutureTask<?> task = c.task;
        if (task != null) {
            task.cancel(true);
        }
        batch.remove(c);
        awaitingInventory.remove(c);
        if (stage == Stage.ENQUEUE && c.dispatchClaimed.compareAndSet(false, true)) {
            // The dispatch task never started: nothing of this cluster was dispatched; free its locks.
            releaseLater(c.acquired);
        }
        finishFailed(c, stage.wireName(), new DeadlineExceededException(stage.wireName(), what, deadline));
    }

    private void finish(Run c, ClusterOutcome outcome, List<Consumer<AutoWarmObserver>> notes) {
        outcomes[c.index] = outcome;
        running.remove(c);
        c.early = false;
        for (Consumer<AutoWarmObserver> note : notes) {
            note.accept(r.observer);
        }
    }

    private void finishFailed(Run c, String stage, Throwable e) {
        ClusterRef cluster = c.cluster();
        log.warn("cluster {}: {} failed: {}", cluster.display(), stage, e.toString());
        String message = e instanceof DeadlineExceededException && e.getMessage() != null
                ? e.getMessage()
                : stage + ": " + e.getMessage();
        finish(
                c,
                ClusterOutcome.error(cluster, c.pref.databases(), message),
                List.of(o -> o.probeFailed(cluster, stage, e)));
    }

    /** Runs {@code body} on the executor as this cluster's current task; events it posts are dropped once abandoned. */
    private void submit(Run c, Runnable body) {
        FutureTask<Void> task = new FutureTask<>(
                () -> {
                    MDC.put(AutoWarmReconciler.MDC_CLUSTER, c.cluster().display());
                    try {
                        body.run();
                    } catch (RuntimeException | Error e) {
                        Stage stage = c.stage;
                        post(c, () -> finishFailed(c, stage.wireName(), e));
                    } finally {
                        MDC.remove(AutoWarmReconciler.MDC_CLUSTER);
                        MDC.remove(AutoWarmReconciler.MDC_DB);
                    }
                },
                null);
        c.task = task;
        try {
            r.executor.execute(task);
        } catch (RejectedExecutionException e) {
            if (c.stage == Stage.ENQUEUE && c.dispatchClaimed.compareAndSet(false, true)) {
                releaseLater(c.acquired);
            }
            finishFailed(c, c.stage.wireName(), e);
        }
    }

    /** Runs a call shared by many clusters (inventory, lock) on the executor, outside any cluster's slot. */
    private void submitShared(String what, Runnable body) {
        try {
            r.executor.execute(body);
        } catch (RejectedExecutionException e) {
            log.warn("auto-warm executor rejected the {} call: {}", what, e.toString());
            throw e;
        }
    }

    private void post(Run c, Runnable action) {
        events.add(() -> {
            if (!c.abandoned) {
                action.run();
            }
        });
    }

    // ---- readiness ---------------------------------------------------------------------------------

    /** On the executor. */
    private void readinessPhase(Run c) {
        ClusterRef cluster = c.cluster();
        Readiness readiness;
        try {
            readiness = r.readiness.probe(cluster);
        } catch (RuntimeException e) {
            post(c, () -> finishFailed(c, "readiness", e));
            return;
        }
        List<Consumer<AutoWarmObserver>> notes = new ArrayList<>();
        if (readiness.isReady() != c.pref.lastReady()) {
            try {
                r.preferences.recordReadiness(cluster, readiness.isReady());
                if (readiness.isReady()) {
                    log.debug("cluster {} became ready", cluster.display());
                }
            } catch (RuntimeException e) {
                // Remembering the edge is informational: the plan never depends on it.
                notes.add(o -> o.probeFailed(cluster, "record_readiness", e));
                log.warn("could not record readiness of cluster {}: {}", cluster.display(), e.toString());
            }
        }
        if (!readiness.isReady()) {
            ClusterOutcome notReady = ClusterOutcome.notReady(cluster, c.pref.databases(), readiness.reason());
            post(c, () -> finish(c, notReady, notes));
            return;
        }
        post(c, () -> {
            notes.forEach(n -> n.accept(r.observer));
            c.stage = Stage.INVENTORY;
            if (inventoryDone) {
                startStatus(c);
            } else {
                awaitingInventory.add(c);
            }
        });
    }

    // ---- inventory ---------------------------------------------------------------------------------

    private void startInventory() {
        List<ClusterRef> refs = new ArrayList<>(
                new LinkedHashSet<>(all.stream().map(Run::cluster).toList()));
        try {
            submitShared("inventory", () -> {
                try {
                    Map<ClusterRef, Set<DatabaseName>> answer = r.inventory.downloaded(refs);
                    events.add(() -> inventoryAnswered(answer, null));
                } catch (RuntimeException e) {
                    events.add(() -> inventoryAnswered(null, e));
                }
            });
        } catch (RejectedExecutionException e) {
            inventoryAnswered(null, e);
        }
    }

    private void inventoryAnswered(@Nullable Map<ClusterRef, Set<DatabaseName>> answer, @Nullable RuntimeException e) {
        inventoryDone = true;
        downloaded = answer;
        inventoryError = e;
        List<Run> waiting = new ArrayList<>(awaitingInventory);
        awaitingInventory.clear();
        waiting.forEach(this::startStatus);
    }

    // ---- warm status and plan ----------------------------------------------------------------------

    private void startStatus(Run c) {
        RuntimeException error = inventoryError;
        if (error != null || downloaded == null) {
            finishFailed(c, "inventory", error != null ? error : new IllegalStateException("no inventory"));
            return;
        }
        Set<DatabaseName> dbs = downloaded.getOrDefault(c.cluster(), Set.of());
        c.stage = Stage.WARM_STATUS;
        submit(c, () -> statusPhase(c, dbs));
    }

    /** On the executor. */
    private void statusPhase(Run c, Set<DatabaseName> downloadedDbs) {
        Map<DatabaseName, WarmStatus> statuses;
        try {
            statuses = r.statusProbe.statuses(c.cluster(), new LinkedHashSet<>(c.pref.databases()));
        } catch (RuntimeException e) {
            post(c, () -> finishFailed(c, "warm_status", e));
            return;
        }
        // The operator loop: history read, early releases, stuck loading (it fails open on its own errors).
        List<Consumer<AutoWarmObserver>> notes = new ArrayList<>();
        WarmLoopView view = r.loop.observe(c.pref, statuses, force, deferringTo(notes));
        WarmPlan plan;
        try {
            plan = WarmPlanner.plan(c.pref.databases(), downloadedDbs, statuses, c.pref.pausedOrAll(), view.backoff());
        } catch (RuntimeException e) {
            post(c, () -> {
                notes.forEach(n -> n.accept(r.observer));
                finishFailed(c, "warm_status", e);
            });
            return;
        }
        Map<DatabaseName, Instant> stuck = view.stuckLoading();
        post(c, () -> planned(c, plan, stuck, notes));
    }

    private void planned(
            Run c, WarmPlan plan, Map<DatabaseName, Instant> stuck, List<Consumer<AutoWarmObserver>> notes) {
        notes.forEach(n -> n.accept(r.observer));
        c.plan = plan;
        c.stuckLoading = stuck;
        if (plan.candidates().isEmpty()) {
            finish(
                    c,
                    ClusterOutcome.evaluated(
                                    c.cluster(), c.pref.databases(), plan.warm().size(), List.of(), plan.skipped(), 0)
                            .withStuckLoading(stuck),
                    skipNotes(c.cluster(), plan.skipped()));
            return;
        }
        c.stage = Stage.LOCK;
        c.early = false;
        c.batchedAt = System.nanoTime();
        batch.add(c);
        maybeFlush(c.batchedAt);
    }

    // ---- lock --------------------------------------------------------------------------------------

    private void maybeFlush(long now) {
        if (batch.isEmpty()) {
            return;
        }
        boolean othersStillPlanning = false;
        for (Run c : running) {
            if (c.early) {
                othersStillPlanning = true;
                break;
            }
        }
        if (othersStillPlanning && now - batch.get(0).batchedAt < r.lockGatherWindow.toNanos()) {
            return;
        }
        List<Run> members = new ArrayList<>(batch);
        batch.clear();
        Set<InflightKey> keys = new LinkedHashSet<>();
        for (Run c : members) {
            for (DatabaseName db : planOf(c).candidates()) {
                keys.add(new InflightKey(c.cluster(), db));
            }
        }
        try {
            submitShared("lock", () -> {
                Map<InflightKey, Acquisition> answer = acquire(keys);
                synchronized (overLock) {
                    if (!over) {
                        events.add(() -> lockAnswered(members, answer));
                        return;
                    }
                }
                // The tick is over: every member was abandoned; give back what was taken.
                releaseAll(answer);
            });
        } catch (RejectedExecutionException e) {
            Map<InflightKey, Acquisition> open = new HashMap<>();
            keys.forEach(k -> open.put(k, Acquisition.UNAVAILABLE));
            lockAnswered(members, open);
        }
    }

    private static WarmPlan planOf(Run c) {
        WarmPlan plan = c.plan;
        if (plan == null) {
            throw new IllegalStateException("no plan for " + c.cluster().display());
        }
        return plan;
    }

    /** On the executor: one lock call. */
    private Map<InflightKey, Acquisition> acquire(Set<InflightKey> keys) {
        try {
            return r.lock.tryAcquireAll(keys, token, r.lockTtl);
        } catch (RuntimeException e) {
            // The port promises not to throw for an unreachable store; an adapter bug still fails open.
            log.warn("in-flight lock threw; failing open for {} key(s): {}", keys.size(), e.toString());
            Map<InflightKey, Acquisition> open = new HashMap<>();
            keys.forEach(k -> open.put(k, Acquisition.UNAVAILABLE));
            return open;
        }
    }

    private void lockAnswered(List<Run> members, Map<InflightKey, Acquisition> answer) {
        for (Run c : members) {
            Map<InflightKey, Acquisition> mine = new HashMap<>();
            for (DatabaseName db : planOf(c).candidates()) {
                InflightKey key = new InflightKey(c.cluster(), db);
                mine.put(key, answer.getOrDefault(key, Acquisition.UNAVAILABLE));
            }
            c.acquired = mine;
            if (c.abandoned) {
                releaseLater(mine);
                continue;
            }
            c.stage = Stage.ENQUEUE;
            Map<DatabaseName, Instant> stuck = c.stuckLoading;
            submit(c, () -> dispatchPhase(c, planOf(c), mine, stuck));
        }
    }

    private void releaseLater(@Nullable Map<InflightKey, Acquisition> acquired) {
        if (acquired == null || !acquired.containsValue(Acquisition.ACQUIRED)) {
            return;
        }
        try {
            submitShared("release", () -> releaseAll(acquired));
        } catch (RejectedExecutionException e) {
            log.debug("release of abandoned locks rejected; the TTL will free them");
        }
    }

    private void releaseAll(Map<InflightKey, Acquisition> acquired) {
        acquired.forEach((key, acq) -> {
            if (acq == Acquisition.ACQUIRED) {
                release(key);
            }
        });
    }

    /** Compare-and-delete by this tick's token; a failure is left to the TTL. Returns whether it threw. */
    private @Nullable RuntimeException release(InflightKey key) {
        try {
            ReleaseResult result = r.lock.release(key, token);
            if (result != ReleaseResult.RELEASED) {
                log.debug("release of {} answered {}", key.database(), result);
            }
            return null;
        } catch (RuntimeException e) {
            log.warn(
                    "release of {} on {} failed; the TTL will free it: {}",
                    key.database(),
                    key.cluster().display(),
                    e.toString());
            return e;
        }
    }

    // ---- dispatch ----------------------------------------------------------------------------------

    /** On the executor: this cluster's dispatches, one after the other. */
    private void dispatchPhase(
            Run c, WarmPlan plan, Map<InflightKey, Acquisition> acquired, Map<DatabaseName, Instant> stuck) {
        if (!c.dispatchClaimed.compareAndSet(false, true)) {
            return; // abandoned before it started; the coordinator released the locks
        }
        ClusterRef cluster = c.cluster();
        List<DatabaseName> enqueued = new ArrayList<>();
        List<Skip> skipped = new ArrayList<>(plan.skipped());
        List<Consumer<AutoWarmObserver>> notes = new ArrayList<>();
        AutoWarmObserver loopNotes = deferringTo(notes);
        int failOpen = 0;
        boolean failed = false;
        for (DatabaseName db : plan.candidates()) {
            InflightKey key = new InflightKey(cluster, db);
            Acquisition acq = acquired.getOrDefault(key, Acquisition.UNAVAILABLE);
            if (acq == Acquisition.HELD && !force) {
                skipped.add(new Skip(db, SkipReason.INFLIGHT));
                continue;
            }
            if (c.abandoned || failed) {
                // Past the deadline nothing more is dispatched; after a failure the rest would only
                // wait for the same timeout: skipped at once, locks given back for the next tick.
                if (c.abandoned) {
                    Thread.interrupted(); // the release must not fail on the cancel's interrupt
                }
                if (acq == Acquisition.ACQUIRED) {
                    noteRelease(cluster, release(key), notes);
                }
                skipped.add(new Skip(db, SkipReason.ENQUEUE_FAILED));
                continue;
            }
            DispatchResult outcome;
            MDC.put(AutoWarmReconciler.MDC_DB, db.value());
            try {
                outcome = r.dispatcher.dispatch(new WarmupRequest(cluster, db, force));
            } catch (RuntimeException e) {
                log.warn("enqueue of {} on {} failed: {}", db, cluster.display(), e.toString());
                if (c.abandoned) {
                    Thread.interrupted();
                }
                r.loop.dispatched(cluster, db, force, null, null, e, loopNotes);
                if (acq == Acquisition.ACQUIRED) {
                    noteRelease(cluster, release(key), notes);
                }
                skipped.add(new Skip(db, SkipReason.ENQUEUE_FAILED));
                failed = true;
                continue;
            } finally {
                MDC.remove(AutoWarmReconciler.MDC_DB);
            }
            if (outcome.outcome() == DispatchOutcome.ALREADY_RUNNING) {
                skipped.add(new Skip(db, SkipReason.INFLIGHT));
                continue;
            }
            enqueued.add(db);
            // Recorded with the token when this tick took the key: the loop releases it early once LOADING.
            r.loop.dispatched(
                    cluster, db, force, acq == Acquisition.ACQUIRED ? token : null, outcome.jobName(), null, loopNotes);
            if (acq == Acquisition.UNAVAILABLE) {
                failOpen++; // under force too: the lock store was down either way
                notes.add(o -> o.lockFailedOpen(cluster, db));
            }
            log.debug("enqueued warmup of {} on {}", db, cluster.display());
        }
        for (DatabaseName db : enqueued) {
            notes.add(o -> o.enqueued(cluster, db));
        }
        notes.addAll(skipNotes(cluster, skipped));
        ClusterOutcome outcome = ClusterOutcome.evaluated(
                        cluster, c.pref.databases(), plan.warm().size(), enqueued, skipped, failOpen)
                .withStuckLoading(stuck);
        post(c, () -> finish(c, outcome, notes));
    }

    /**
     * An observer for a worker thread: it only collects the calls as notes, which the coordinator gives
     * to the (guarded) observer when the task's result arrives.
     */
    private static AutoWarmObserver deferringTo(List<Consumer<AutoWarmObserver>> notes) {
        return new AutoWarmObserver() {
            @Override
            public void enqueued(ClusterRef cluster, DatabaseName db) {
                notes.add(o -> o.enqueued(cluster, db));
            }

            @Override
            public void skipped(ClusterRef cluster, DatabaseName db, SkipReason reason) {
                notes.add(o -> o.skipped(cluster, db, reason));
            }

            @Override
            public void lockFailedOpen(ClusterRef cluster, DatabaseName db) {
                notes.add(o -> o.lockFailedOpen(cluster, db));
            }

            @Override
            public void stuckLoading(ClusterRef cluster, DatabaseName db, Instant loadingSince) {
                notes.add(o -> o.stuckLoading(cluster, db, loadingSince));
            }

            @Override
            public void probeFailed(ClusterRef cluster, String stage, Throwable error) {
                notes.add(o -> o.probeFailed(cluster, stage, error));
            }
        };
    }

    private static void noteRelease(
            ClusterRef cluster, @Nullable RuntimeException e, List<Consumer<AutoWarmObserver>> notes) {
        if (e != null) {
            notes.add(o -> o.probeFailed(cluster, "release", e));
        }
    }

    private static List<Consumer<AutoWarmObserver>> skipNotes(ClusterRef cluster, List<Skip> skipped) {
        List<Consumer<AutoWarmObserver>> notes = new ArrayList<>(skipped.size());
        for (Skip s : skipped) {
            notes.add(o -> o.skipped(cluster, s.db(), s.reason()));
        }
        return notes;
    }
}
