package org.elb.warmkeeper.benchmarks.jdbi;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.elb.warmkeeper.core.cluster.OwnerId;
import org.elb.warmkeeper.core.provision.JobId;
import org.elb.warmkeeper.core.provision.JobState;

/**
 * Plain runner: loads 1M rows (see {@link RecentFailedFixture}), times recent-failed through the
 * repository and the seed's way (p50, p99 over {@code calls} calls after a warm-up, random owners), and
 * counts, over every owner, the failures in the window the seed's way does not return. Prints a table and
 * the repository query's EXPLAIN ANALYZE. Args: {@code [calls=5000]}.
 */
public final class RecentFailedMain {

    /** Where timed calls leave their result, so that the JIT cannot drop them. */
    private static volatile int sink;

    private RecentFailedMain() {}

    public static void main(String[] args) {
        int calls = args.length > 0 ? Integer.parseInt(args[0]) : 5_000;
        long t0 = System.nanoTime();
        try (RecentFailedFixture f = new RecentFailedFixture()) {
            System.out.printf(
                    "loaded %,d rows in %.1f s (schema %s)%n",
                    RecentFailedFixture.ROWS, (System.nanoTime() - t0) / 1e9, f.schema);

            long[] repo = time(f::repository, calls);
            long[] seed = time(f::seed, calls);

            int expected = 0;
            int missed = 0;
            int ownersMissing = 0;
            for (int o = 0; o < RecentFailedFixture.OWNERS; o++) {
                OwnerId owner = RecentFailedFixture.owner(o);
                List<JobState> right = f.repository(owner);
                Set<JobId> seen = new HashSet<>();
                f.seed(owner).forEach(j -> seen.add(j.id()));
                int m = (int) right.stream().filter(j -> !seen.contains(j.id())).count();
                expected += right.size();
                missed += m;
                ownersMissing += m > 0 ? 1 : 0;
            }
            System.out.println();
            System.out.printf(
                    "| approach | p50 (ms) | p99 (ms) | failures returned (all %,d owners) | missed |%n",
                    RecentFailedFixture.OWNERS);
            System.out.println("|---|---|---|---|---|");
            System.out.printf(
                    "| repository (one indexed query) | %.3f | %.3f | %,d | 0 |%n",
                    ms(repo, 50), ms(repo, 99), expected);
            System.out.printf(
                    "| seed: newest 200, filter in memory | %.3f | %.3f | %,d | %,d (%,d owners) |%n",
                    ms(seed, 50), ms(seed, 99), expected - missed, missed, ownersMissing);
            System.out.println();
            System.out.println(f.explainAnalyze(RecentFailedFixture.owner(42)));
        }
    }

    private static long[] time(Function<OwnerId, List<JobState>> query, int calls) {
        java.util.Random random = new java.util.Random(7);
        for (int i = 0; i < Math.max(1_000, calls / 5); i++) {
            sink = query.apply(RecentFailedFixture.owner(random.nextInt(RecentFailedFixture.OWNERS)))
                    .size();
        }
        long[] nanos = new long[calls];
        for (int i = 0; i < calls; i++) {
            OwnerId owner = RecentFailedFixture.owner(random.nextInt(RecentFailedFixture.OWNERS));
            long start = System.nanoTime();
            sink = query.apply(owner).size();
            nanos[i] = System.nanoTime() - start;
        }
        Arrays.sort(nanos);
        return nanos;
    }

    private static double ms(long[] sorted, int percentile) {
        int index = Math.min(sorted.length - 1, (int) Math.ceil(percentile / 100.0 * sorted.length) - 1);
        return sorted[Math.max(0, index)] / 1e6;
    }
}
