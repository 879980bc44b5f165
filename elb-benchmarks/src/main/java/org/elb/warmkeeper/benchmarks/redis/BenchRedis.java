package org.elb.warmkeeper.benchmarks.redis;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.UUID;
import org.elb.warmkeeper.core.cluster.ClusterRef;
import org.elb.warmkeeper.core.cluster.DatabaseName;
import org.elb.warmkeeper.core.warm.InflightKey;

/** Where the benchmarks find Redis, and the keys they use (a random cluster, never a real one). */
final class BenchRedis {

    private BenchRedis() {}

    /** System property {@code elb.bench.redis} (set by {@link LockStepLimit} for its forks), then the variables. */
    static String url() {
        String property = System.getProperty("elb.bench.redis");
        if (property != null && !property.isBlank()) {
            return property.trim();
        }
        for (String var : new String[] {"ELB_BENCH_REDIS_URL", "ELB_TEST_REDIS_URL"}) {
            String v = System.getenv(var);
            if (v != null && !v.isBlank()) {
                return v.trim();
            }
        }
        return "redis://127.0.0.1:6379";
    }

    static Set<InflightKey> keys(int n) {
        ClusterRef cluster = ClusterRef.of(UUID.randomUUID().toString(), "elb-bench", "aks-bench");
        Set<InflightKey> keys = new LinkedHashSet<>();
        for (int i = 0; i < n; i++) {
            keys.add(new InflightKey(cluster, DatabaseName.of("db_" + i)));
        }
        return keys;
    }
}
