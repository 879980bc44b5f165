package org.elb.warmkeeper.benchmarks.jdbi;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.elb.warmkeeper.core.provision.JobState;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Recent failed at 1M rows on PostgreSQL: the repository's indexed query against the seed's
 * newest-200-then-filter, for a random owner per call. Sample time gives p50/p99. Run:
 * {@code java -cp elb-benchmarks/target/classes:$(cat cp.txt) org.openjdk.jmh.Main RecentFailedBenchmark}
 * (README), or {@link RecentFailedMain} for the figures plus the failures the seed misses.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 5)
@Fork(1)
public class RecentFailedBenchmark {

    private RecentFailedFixture fixture;

    @Setup(Level.Trial)
    public void setUp() {
        fixture = new RecentFailedFixture();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        fixture.close();
    }

    @Benchmark
    public List<JobState> repository() {
        return fixture.repository(
                RecentFailedFixture.owner(ThreadLocalRandom.current().nextInt(RecentFailedFixture.OWNERS)));
    }

    @Benchmark
    public List<JobState> seedNewest200ThenFilter() {
        return fixture.seed(
                RecentFailedFixture.owner(ThreadLocalRandom.current().nextInt(RecentFailedFixture.OWNERS)));
    }
}
