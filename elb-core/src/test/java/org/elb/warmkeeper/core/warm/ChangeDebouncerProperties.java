package org.elb.warmkeeper.core.warm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import org.elb.warmkeeper.core.cluster.ClusterRef;

/**
 * The debounce of cluster changes, on a made-up nanosecond clock: a burst whose gaps are shorter than the
 * quiet time makes one run, a quiet time after its last change; a run is never later than the max delay
 * after the first change it covers, never earlier than the quiet time after the last one unless that cap
 * came first; each change is run once.
 */
class ChangeDebouncerProperties {

    static final ClusterRef A = ClusterRef.of("0f1e2d3c-4b5a-6978-8695-a4b3c2d1e0f9", "rg", "a");
    static final ClusterRef B = ClusterRef.of("0f1e2d3c-4b5a-6978-8695-a4b3c2d1e0f9", "rg", "b");
    static final long QUIET = 500;
    static final long MAX = 5_000;

    /** A run of the simulation: when each run happened and what it held. */
    record Run(long at, Set<ClusterRef> clusters) {}

    /**
     * Offers {@code A} at each time; before each offer, runs what fell due since, at the time it fell due
     * (as the scheduler, which wakes at {@link ChangeDebouncer#nextDue}); then drains.
     */
    static List<Run> simulate(ChangeDebouncer d, List<Long> times) {
        List<Run> runs = new ArrayList<>();
        for (long t : times) {
            while (d.nextDue().isPresent() && d.nextDue().getAsLong() <= t) {
                long at = d.nextDue().getAsLong();
                runs.add(new Run(at, d.takeDue(at)));
            }
            d.offer(A, t);
        }
        while (d.nextDue().isPresent()) {
            long at = d.nextDue().getAsLong();
            runs.add(new Run(at, d.takeDue(at)));
        }
        return runs;
    }

    static List<Long> times(long start, List<Integer> gaps) {
        List<Long> out = new ArrayList<>();
        long t = start;
        out.add(t);
        for (int gap : gaps) {
            t += gap;
            out.add(t);
        }
        return out;
    }

    @Property
    void a_burst_with_gaps_shorter_than_the_quiet_time_and_shorter_than_the_cap_is_one_run(
            @ForAll @Size(max = 1000) List<@IntRange(min = 0, max = (int) QUIET - 1) Integer> gaps,
            @ForAll @LongRange(min = -1_000_000, max = 1_000_000) long start) {
        List<Long> times = times(start, gaps);
        long first = times.get(0);
        long last = times.get(times.size() - 1);
        ChangeDebouncer d = new ChangeDebouncer(QUIET, Long.MAX_VALUE / 4);

        List<Run> runs = simulate(d, times);

        assertThat(runs).hasSize(1);
        assertThat(runs.get(0).at()).isEqualTo(last + QUIET);
        assertThat(runs.get(0).clusters()).containsExactly(A);
        assertThat(runs.get(0).at() - first).isGreaterThanOrEqualTo(QUIET);
    }

    @Property
    void a_run_is_never_later_than_the_cap_nor_earlier_than_the_quiet_time_unless_capped(
            @ForAll @Size(max = 300) List<@IntRange(min = 0, max = 2 * (int) QUIET) Integer> gaps) {
        List<Long> times = times(0, gaps);
        ChangeDebouncer d = new ChangeDebouncer(QUIET, MAX);

        List<Run> runs = simulate(d, times);

        // every change is covered by exactly one run: the first run at or after it
        int covered = 0;
        for (Run run : runs) {
            List<Long> burst = new ArrayList<>();
            while (covered < times.size() && times.get(covered) < run.at()) {
                burst.add(times.get(covered++));
            }
            assertThat(burst).as("a run covers at least one change").isNotEmpty();
            long first = burst.get(0);
            long last = burst.get(burst.size() - 1);
            assertThat(run.at()).as("run no later than the cap").isLessThanOrEqualTo(first + MAX);
            assertThat(run.at())
                    .as("run no earlier than the quiet time after the last change, unless capped")
                    .isGreaterThanOrEqualTo(Math.min(last + QUIET, first + MAX));
        }
        assertThat(covered).as("every change is run").isEqualTo(times.size());
    }

    @Property
    void a_storm_that_never_pauses_still_runs_once_per_cap(
            @ForAll @IntRange(min = 1, max = 100) int gap, @ForAll @IntRange(min = 1, max = 20_000) int n) {
        List<Long> times = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            times.add((long) i * gap);
        }
        ChangeDebouncer d = new ChangeDebouncer(QUIET, MAX);

        List<Run> runs = simulate(d, times);

        long span = times.get(times.size() - 1);
        // a burst ends at its cap and the next starts with the next change (at most one gap later): at
        // least one run per cap plus a gap of the storm, at most one per cap and one for its end
        assertThat((long) runs.size()).isBetween(Math.max(1L, span / (MAX + gap)), span / MAX + 1);
    }

    @Example
    void clusters_are_independent_and_due_together_when_their_bursts_end_together() {
        ChangeDebouncer d = new ChangeDebouncer(QUIET, MAX);
        d.offer(A, 0);
        d.offer(B, 100);
        d.offer(A, 100);
        assertThat(d.takeDue(599)).isEmpty();
        assertThat(d.nextDue()).hasValue(600);
        assertThat(d.takeDue(600)).containsExactly(A, B);
        assertThat(d.pending()).isZero();
        assertThat(d.takeDue(10_000)).isEmpty();
        assertThat(d.nextDue()).isEmpty();
    }

    @Example
    void bounds_are_validated() {
        assertThatThrownBy(() -> new ChangeDebouncer(-1, MAX))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'quiet' must not be negative");
        assertThatThrownBy(() -> new ChangeDebouncer(QUIET, QUIET - 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'maxDelay' must not be shorter than 'quiet'");
    }
}
