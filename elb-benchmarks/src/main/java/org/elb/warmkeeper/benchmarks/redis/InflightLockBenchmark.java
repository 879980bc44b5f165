package org.elb.warmkeeper.benchmarks.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.elb.warmkeeper.core.warm.Acquisition;
import org.elb.warmkeeper.core.warm.InflightKey;
import org.elb.warmkeeper.core.warm.LockToken;
import org.elb.warmkeeper.redis.RedissonClients;
import org.elb.warmkeeper.redis.RedissonInflightLock;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

/**
 * Acquiring 1, 100 and 1000 in-flight keys against a real Redis: {@code batched} is one
 * {@code tryAcquireAll} call (one round trip), {@code oneByOne} is one call of the adapter per key (the
 * seed's approach), {@code setNxPerKey} is one {@code SET key value NX PX ttl} per key sent straight
 * through the Redis client, the single command a lock-per-key Redis provider (as ShedLock's) issues for
 * each lock it takes. Every key is free before each invocation (the keys are deleted outside the measured
 * time), so every SET NX writes, as on a tick after the TTL ran out. {@code pipelinedLimit} is the floor:
 * the same SETs written at once on a plain socket. Sample-time mode gives p50/p99; {@link LockStepLimit}
 * runs {@code batched} and {@code pipelinedLimit} in average-time mode and prints their ratio.
 *
 * <p>Run: {@code java -jar elb-benchmarks/target/benchmarks.jar InflightLockBenchmark}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class InflightLockBenchmark {

    @Param({"1", "100", "1000"})
    public int keys;

    private RedissonClient client;
    private RedissonInflightLock lock;
    private Set<InflightKey> keySet;
    private List<Set<InflightKey>> singles;
    private final LockToken token = LockToken.of("bench-token");
    private final Duration ttl = Duration.ofMinutes(1);
    private RawPipeline raw;
    private byte[] rawSets;

    @Setup(Level.Trial)
    public void setUp() throws java.io.IOException {
        client = RedissonClients.builder(BenchRedis.url())
                .clientName("elb-bench")
                .build();
        lock = RedissonInflightLock.builder(client)
                .budget(Duration.ofSeconds(10))
                .build();
        keySet = BenchRedis.keys(keys);
        raw = new RawPipeline(BenchRedis.url());
        rawSets = RawPipeline.setNxPx(keySet.stream().map(InflightKey::encode).toList(), token.value(), ttl.toMillis());
        singles = new ArrayList<>();
        keySet.forEach(k -> singles.add(Set.of(k)));
        Map<InflightKey, Acquisition> first = lock.tryAcquireAll(keySet, token, ttl);
        if (first.values().stream().anyMatch(a -> a != Acquisition.ACQUIRED)) {
            throw new IllegalStateException(
                    "redis at " + BenchRedis.url() + " did not grant fresh keys: " + first.values());
        }
        free(); // every invocation starts with free keys, the first one too
    }

    /**
     * Frees every key again, outside the measured time, with one {@code DEL} of all keys (a batch of one
     * DEL per key left garbage and client work that spilled into the next measured call).
     */
    @TearDown(Level.Invocation)
    public void free() {
        client.getKeys().delete(keySet.stream().map(InflightKey::encode).toArray(String[]::new));
    }

    @TearDown(Level.Trial)
    public void tearDown() throws java.io.IOException {
        free();
        raw.close();
        lock.close();
        client.shutdown();
    }

    @Benchmark
    public void batched(Blackhole bh) {
        Map<InflightKey, Acquisition> r = lock.tryAcquireAll(keySet, token, ttl);
        bh.consume(r);
    }

    /**
     * Redis's own pipelined limit for the same step: the same {@code SET NX PX} commands as prebuilt RESP
     * written at once on a plain socket and the replies read back, no client library (what
     * {@code redis-benchmark -P <keys> -c 1} measures). The batched call's floor.
     */
    @Benchmark
    public int pipelinedLimit() throws java.io.IOException {
        int set = raw.send(rawSets, keys);
        if (set != keys) {
            throw new IllegalStateException("the raw pipeline set " + set + " of " + keys + " free keys");
        }
        return set;
    }

    /** One {@code SET NX PX} per key, each waiting for its answer (no pipelining), as a per-lock provider does. */
    @Benchmark
    public void setNxPerKey(Blackhole bh) {
        for (InflightKey k : keySet) {
            bh.consume(client.getBucket(k.encode(), StringCodec.INSTANCE).setIfAbsent(token.value(), ttl));
        }
    }

    @Benchmark
    public void oneByOne(Blackhole bh) {
        for (Set<InflightKey> single : singles) {
            bh.consume(lock.tryAcquireAll(single, token, ttl));
        }
    }
}
