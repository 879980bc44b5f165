/**
 * Benchmarks of the Redis adapter against a real Redis ({@code ELB_BENCH_REDIS_URL}, else
 * {@code ELB_TEST_REDIS_URL}, else {@code redis://127.0.0.1:6379}): {@link InflightLockBenchmark}
 * (JMH: 1, 100 and 1000 keys batched in one call versus one call per key) and
 * {@link FailOpenLatency} (a plain runner: how long the lock step takes to fail open when Redis is gone).
 */
@NullMarked
package org.elb.warmkeeper.benchmarks.redis;

import org.jspecify.annotations.NullMarked;
