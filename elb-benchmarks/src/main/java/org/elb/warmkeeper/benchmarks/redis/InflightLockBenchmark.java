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
import org.redisson.api.RBatch;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

/**
 * Acquiring 1, 100 and 1000 in-flight keys against a real Redis: {@code batched} is one
 * {@code tryAcquireAll} call (one round trip), {@code oneByOne} is one call of the adapter per key (the
 * seed's approach), {@code setNxPerKey} is one {@code SET key value NX PX ttl} per key sent straight
 * through the Redis client, the single command a lock-per-key Redis provider (as ShedLock's) issues for
 * each lock it takes. Every key is free before each invocation (the keys are deleted outside the measured
 * time), so every SET NX writes, as on a tick after the TTL ran out. Sample-time mode gives p50/p99.
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

    @Setup(Level.Trial)
    public void setUp() {
        client = RedissonClients.builder(BenchRedis.url())
                .clientName("elb-bench")
                .build();
        lock = RedissonInflightLock.builder(client)
                .budget(Duration.ofSeconds(10))
                .build();
        keySet = BenchRedis.keys(keys);
        singles = new ArrayList<>();
        keySet.forEach(k -> singles.add(Set.of(k)));
        Map<InflightKey, Acquisition> first = lock.tryAcquireAll(keySet, token, ttl);
        if (first.values().stream().anyMatch(a -> a != Acquisition.ACQUIRED)) {
            throw new IllegalStateException(
                    "redis at " + BenchRedis.url() + " did not grant fresh keys: " + first.values());
        }
    }

    /** Frees every key again, outside the measured time. */
    @TearDown(Level.Invocation)
    public void free() {
        RBatch batch = client.createBatch();
        keySet.forEach(k -> batch.getBucket(k.encode()).deleteAsync());
        batch.execute();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        free();
        client.shutdown();
    }

    @Benchmark
    public void batched(Blackhole bh) {
        Map<InflightKey, Acquisition> r = lock.tryAcquireAll(keySet, token, ttl);
        bh.consume(r);
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
