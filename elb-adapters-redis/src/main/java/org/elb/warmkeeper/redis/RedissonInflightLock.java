package org.elb.warmkeeper.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.elb.warmkeeper.core.cluster.Checks;
import org.elb.warmkeeper.core.warm.Acquisition;
import org.elb.warmkeeper.core.warm.InflightKey;
import org.elb.warmkeeper.core.warm.InflightLock;
import org.elb.warmkeeper.core.warm.LockToken;
import org.elb.warmkeeper.core.warm.ReleaseResult;
import org.elb.warmkeeper.redis.internal.Failures;
import org.elb.warmkeeper.redis.internal.OffThread;
import org.redisson.api.BatchOptions;
import org.redisson.api.BatchResult;
import org.redisson.api.RBatch;
import org.redisson.api.RScript;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link InflightLock} on Redis through Redisson, interoperable with the seed's dashboard.
 *
 * <ul>
 *   <li>Acquire: {@code SET <key> <token> PX <ttl> NX} per key, with {@link StringCodec}, so key and
 *       value are plain text to any client; the key is core's
 *       {@link org.elb.warmkeeper.core.warm.InflightKeyCodec} form
 *       {@code autowarmup:inflight:<sub>:<rg>:<cluster>:<db>}. All keys of a call go in <b>one
 *       command, one round trip</b>: a short Lua script ({@link #ACQUIRE_SCRIPT}) that runs the same
 *       {@code SET ... PX ... NX} for each key and answers 1 (set) or 0 (held) per key. Each SET is
 *       atomic on its own, which is all a per-key lock needs. One command instead of one per key keeps
 *       the client's cost per call flat (a pipelined batch of N commands costs N futures, encodings
 *       and decodings in the client, which made 1 000 keys take about 5x Redis's own pipelined time);
 *       the script holds Redis for about a microsecond per key. On a Redis Cluster, where keys of
 *       different hash slots cannot share a script, the keys go as one pipelined batch of SETs
 *       instead (one round trip per node).
 *   <li>Release: an atomic compare-and-delete by token (Redisson's {@code compareAndSet(token, null)}, a
 *       Lua {@code GET}/{@code DEL}); a non-owner's release never deletes.
 *   <li>Fail open in bounded time: every call waits at most {@link Builder#budget} (default
 *       {@link #DEFAULT_BUDGET}) and then answers {@link Acquisition#UNAVAILABLE} for each of its keys
 *       ({@link ReleaseResult#UNAVAILABLE} for a release); it never throws for Redis being unreachable,
 *       stopped or frozen. The batch itself is sent with no retries and a response timeout of the same
 *       budget, so nothing keeps retrying behind the caller's back. Calls are started on a small private
 *       pool, never on the caller's thread, because Redisson's lazy first connect runs (and sleeps) on
 *       the thread that sends the first command. A {@code SET NX} that timed out may still be applied
 *       late: its TTL bounds that.
 * </ul>
 *
 * <p>Reconnection is Redisson's: build the client with {@link RedissonClients} so that it starts
 * lazily and reconnects within seconds. The lock does not own the client: close it yourself.
 * Thread-safe.
 */
public final class RedissonInflightLock implements InflightLock, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RedissonInflightLock.class);

    /** Default time budget of one call: 250 ms. */
    public static final Duration DEFAULT_BUDGET = Duration.ofMillis(250);

    /**
     * The acquire step for every key of a call: {@code SET key ARGV[1] PX ARGV[2] NX} per key, in the
     * order of {@code KEYS}; 1 where it set the key, 0 where the key was held.
     */
    public static final String ACQUIRE_SCRIPT = "local r = {}\n"
            + "for i = 1, #KEYS do\n"
            + "  if redis.call('SET', KEYS[i], ARGV[1], 'PX', ARGV[2], 'NX') then r[i] = 1 else r[i] = 0 end\n"
            + "end\n"
            + "return r\n";

    /** Read (EXISTS) to probe a Redis that was down; never written. */
    static final String PROBE_KEY = "autowarmup:inflight-probe";

    private final RedissonClient client;
    private final Duration budget;
    private final BatchOptions batchOptions;
    private final AtomicBoolean available = new AtomicBoolean(true);
    private final OffThread calls = new OffThread("redis-lock");
    /** Keys of different hash slots cannot share a script on a Redis Cluster: pipelined SETs there. */
    private final boolean oneScript;

    private RedissonInflightLock(Builder b) {
        this.client = b.client;
        this.budget = b.budget;
        this.batchOptions = BatchOptions.defaults()
                .responseTimeout(budget.toMillis(), TimeUnit.MILLISECONDS)
                .retryAttempts(0);
        this.oneScript = !client.getConfig().isClusterConfig();
    }

    /** Starts a builder on a client, ideally one from {@link RedissonClients}. */
    public static Builder builder(RedissonClient client) {
        return new Builder(client);
    }

    /** A lock with every default. */
    public static RedissonInflightLock of(RedissonClient client) {
        return builder(client).build();
    }

    /** The budget of one call. */
    public Duration budget() {
        return budget;
    }

    @Override
    public Map<InflightKey, Acquisition> tryAcquireAll(Set<InflightKey> keys, LockToken token, Duration ttl) {
        Checks.positive(ttl, "ttl");
        if (ttl.toMillis() < 1) {
            throw new IllegalArgumentException("'ttl' must be at least 1 ms, but was " + ttl);
        }
        Map<InflightKey, Acquisition> result = new LinkedHashMap<>();
        if (keys.isEmpty()) {
            return result;
        }
        long deadline = System.nanoTime() + budget.toNanos();
        List<InflightKey> ordered = new ArrayList<>(keys);
        List<?> responses;
        try {
            probeIfDown(deadline);
            responses = oneScript
                    ? acquireByScript(ordered, token, ttl, deadline)
                    : acquireBySets(ordered, token, ttl, deadline);
        } catch (Unavailable e) {
            ordered.forEach(k -> result.put(k, Acquisition.UNAVAILABLE));
            unavailable("tryAcquireAll", ordered.size(), e.failure);
            return result;
        }
        if (responses.size() != ordered.size()) {
            log.warn(
                    "redis answered {} results for {} lock keys; treating all as unavailable",
                    responses.size(),
                    ordered.size());
            ordered.forEach(k -> result.put(k, Acquisition.UNAVAILABLE));
            return result;
        }
        for (int i = 0; i < ordered.size(); i++) {
            Object r = responses.get(i);
            result.put(
                    ordered.get(i),
                    Boolean.TRUE.equals(r) || Long.valueOf(1).equals(r)
                            ? Acquisition.ACQUIRED
                            : Boolean.FALSE.equals(r) || Long.valueOf(0).equals(r)
                                    ? Acquisition.HELD
                                    : Acquisition.UNAVAILABLE);
        }
        back();
        return result;
    }

    @Override
    public ReleaseResult release(InflightKey key, LockToken token) {
        long deadline = System.nanoTime() + budget.toNanos();
        try {
            probeIfDown(deadline);
            List<?> responses = execute(
                    batch ->
                            batch.getBucket(key.encode(), StringCodec.INSTANCE).compareAndSetAsync(token.value(), null),
                    deadline);
            back();
            return responses.size() == 1 && Boolean.TRUE.equals(responses.get(0))
                    ? ReleaseResult.RELEASED
                    : ReleaseResult.NOT_OWNER;
        } catch (Unavailable e) {
            unavailable("release", 1, e.failure);
            return ReleaseResult.UNAVAILABLE;
        }
    }

    /** One EVAL of {@link #ACQUIRE_SCRIPT} for every key: one answer per key, 1 or 0, in key order. */
    private List<?> acquireByScript(List<InflightKey> ordered, LockToken token, Duration ttl, long deadline)
            throws Unavailable {
        List<Object> names = new ArrayList<>(ordered.size());
        for (InflightKey key : ordered) {
            names.add(key.encode());
        }
        String ttlMillis = Long.toString(ttl.toMillis());
        List<?> responses = execute(
                batch -> batch.getScript(StringCodec.INSTANCE)
                        .evalAsync(
                                RScript.Mode.READ_WRITE,
                                ACQUIRE_SCRIPT,
                                RScript.ReturnType.MULTI,
                                names,
                                token.value(),
                                ttlMillis),
                deadline);
        return responses.size() == 1 && responses.get(0) instanceof List<?> perKey ? perKey : responses;
    }

    /** One pipelined {@code SET NX PX} per key (a Redis Cluster): one answer per key, true or false. */
    private List<?> acquireBySets(List<InflightKey> ordered, LockToken token, Duration ttl, long deadline)
            throws Unavailable {
        return execute(
                batch -> {
                    for (InflightKey key : ordered) {
                        batch.getBucket(key.encode(), StringCodec.INSTANCE).setIfAbsentAsync(token.value(), ttl);
                    }
                },
                deadline);
    }

    /**
     * While Redis is known to be down, a value-less probe goes first, so that nothing is encoded for a
     * batch that cannot be sent: Redisson 3.52 does not release the encoded values of a batch that fails
     * for want of a connection (Netty reports a ByteBuf leak), which would otherwise leak a little
     * memory on every tick of a long outage.
     */
    private void probeIfDown(long deadline) throws Unavailable {
        if (!available.get()) {
            execute(batch -> batch.getBucket(PROBE_KEY, StringCodec.INSTANCE).isExistsAsync(), deadline);
        }
    }

    /** Sends one batch and waits for it until the deadline; every failure becomes {@link Unavailable}. */
    private List<?> execute(Consumer<RBatch> commands, long deadline) throws Unavailable {
        CompletableFuture<BatchResult<?>> future = calls.start(() -> {
            RBatch batch = client.createBatch(batchOptions);
            commands.accept(batch);
            return batch.executeAsync();
        });
        return await(future, deadline).getResponses();
    }

    private static BatchResult<?> await(CompletableFuture<BatchResult<?>> future, long deadline) throws Unavailable {
        try {
            return future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            future.cancel(false);
            throw new Unavailable(e);
        } catch (ExecutionException e) {
            throw new Unavailable(e.getCause() == null ? e : e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            future.cancel(false);
            throw new Unavailable(e);
        }
    }

    private void unavailable(String operation, int keys, Throwable cause) {
        // One warning per outage, not one per tick; the detail is at debug.
        if (available.compareAndSet(true, false)) {
            log.warn(
                    "redis unavailable for in-flight lock {} ({} key(s)) within {} ms; failing open until it is back: {}",
                    operation,
                    keys,
                    budget.toMillis(),
                    Failures.describe(cause));
        } else {
            log.debug(
                    "redis still unavailable for in-flight lock {} ({} key(s)): {}",
                    operation,
                    keys,
                    Failures.describe(cause));
        }
    }

    private void back() {
        if (available.compareAndSet(false, true)) {
            log.info("redis available again for the in-flight lock");
        }
    }

    /** Internal: any reason the store did not answer. */
    private static final class Unavailable extends Exception {
        private static final long serialVersionUID = 1L;

        /** The cause; never null, where {@link #getCause()} may be. */
        private final Throwable failure;

        Unavailable(Throwable failure) {
            super(failure);
            this.failure = failure;
        }
    }

    @Override
    public String toString() {
        return "RedissonInflightLock[budget=" + budget + "]";
    }

    /** Builder of {@link RedissonInflightLock}; every setter validates eagerly. */
    public static final class Builder {
        private final RedissonClient client;
        private Duration budget = DEFAULT_BUDGET;

        private Builder(RedissonClient client) {
            this.client = Checks.required(client, "client");
        }

        /**
         * The longest one call waits for Redis before answering UNAVAILABLE. Default
         * {@link #DEFAULT_BUDGET} (250 ms); from 1 ms to 1 min.
         */
        public Builder budget(Duration budget) {
            Checks.positive(budget, "budget");
            if (budget.toMillis() < 1 || budget.compareTo(Duration.ofMinutes(1)) > 0) {
                throw new IllegalArgumentException("'budget' must be between 1 ms and 1 min, but was " + budget);
            }
            this.budget = budget;
            return this;
        }

        public RedissonInflightLock build() {
            return new RedissonInflightLock(this);
        }
    }

    /** Ends the threads this lock starts its calls on (the Redisson client is the caller's to shut down). */
    @Override
    public void close() {
        calls.shutdown();
    }
}
