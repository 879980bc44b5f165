package org.elb.warmkeeper.core.provision;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** "Last attempt failed": the stored row wins only when strictly newer than the local snapshot. */
class LastFailedResolverProperties {

    /** Times from a few seconds, so that ties are frequent. */
    @Provide
    Arbitrary<Optional<LastFailed>> snapshots() {
        return Arbitraries.integers()
                .between(0, 5)
                .map(s -> new LastFailed(Instant.parse("2026-01-01T00:00:00Z").plusSeconds(s), "c" + s, "m", null))
                .optional(0.8);
    }

    @Property
    void stored_wins_only_when_strictly_newer(
            @ForAll("snapshots") Optional<LastFailed> local, @ForAll("snapshots") Optional<LastFailed> stored) {
        Optional<LastFailed> chosen = LastFailedResolver.resolve(local, stored);
        if (local.isPresent() && stored.isPresent()) {
            boolean storedNewer = stored.get().failedAt().isAfter(local.get().failedAt());
            assertThat(chosen).containsSame(storedNewer ? stored.get() : local.get());
        } else if (local.isPresent()) {
            assertThat(chosen).containsSame(local.get());
        } else if (stored.isPresent()) {
            assertThat(chosen).containsSame(stored.get());
        } else {
            assertThat(chosen).isEmpty();
        }
    }

    @Example
    void a_tie_keeps_the_local_snapshot() {
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        LastFailed local = new LastFailed(t, "local", null, null);
        LastFailed stored = new LastFailed(t, "stored", null, null);
        assertThat(LastFailedResolver.resolve(Optional.of(local), Optional.of(stored)))
                .containsSame(local);
        assertThat(LastFailedResolver.resolve(Optional.empty(), Optional.empty()))
                .isEmpty();
    }
}
