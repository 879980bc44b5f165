package org.elb.warmkeeper.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.elb.warmkeeper.core.warm.LeaderElection;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link LeaderElection} keeps, seen from one replica: before it campaigns it is not
 * the leader; campaigning alone it becomes the leader; while another replica holds leadership it stays
 * a follower; when leadership is taken from it {@link LeaderElection#isLeader()} turns false (the
 * replica keeps running) and once the other replica steps down it leads again; a backend it cannot
 * reach makes it a follower, never an exception out of {@code isLeader()}.
 *
 * <p>Subclasses supply this replica's election and hooks that act as the other replica. Backends that
 * change leadership asynchronously (a Lease renewed every few hundred milliseconds) override
 * {@link #electionTimeout()} and {@link #followerWindow()}.
 */
public abstract class LeaderElectionContract {

    private LeaderElection election;

    /** This replica's election on a fresh backend where nobody holds leadership; not yet campaigning. */
    protected abstract LeaderElection createElection();

    /** This replica starts campaigning (e.g. {@code start()}). */
    protected abstract void campaign();

    /** Another replica holds leadership from now on, taking it from this one if it had it. */
    protected abstract void rivalTakesLeadership();

    /** The other replica steps down (releases leadership). */
    protected abstract void rivalStepsDown();

    /**
     * Makes the backend unreachable for this replica.
     *
     * @return false when the backend cannot be broken on purpose (the test is then skipped)
     */
    protected boolean makeUnreachable() {
        return false;
    }

    /** How long a change of leadership may take to show. Zero (default): at once. */
    protected Duration electionTimeout() {
        return Duration.ZERO;
    }

    /** How long a follower is watched to stay a follower. Zero (default): one look. */
    protected Duration followerWindow() {
        return Duration.ZERO;
    }

    @BeforeEach
    final void createElectionUnderTest() {
        election = createElection();
    }

    protected final LeaderElection election() {
        return election;
    }

    @Test
    void a_replica_that_has_not_campaigned_is_not_the_leader() {
        assertThat(election.isLeader()).isFalse();
    }

    @Test
    void a_replica_campaigning_alone_becomes_the_leader() {
        campaign();

        awaitLeader(true, "leader after campaigning alone");
    }

    @Test
    void a_replica_stays_a_follower_while_another_holds_leadership() {
        rivalTakesLeadership();
        campaign();

        assertStaysFollower();
    }

    @Test
    void leadership_taken_away_turns_isLeader_false_and_returns_when_the_other_steps_down() {
        campaign();
        awaitLeader(true, "leader after campaigning alone");

        rivalTakesLeadership();
        awaitLeader(false, "follower once leadership was taken");

        rivalStepsDown();
        awaitLeader(true, "leader again once the other stepped down");
    }

    @Test
    void an_unreachable_backend_makes_a_follower_not_an_exception() {
        campaign();
        awaitLeader(true, "leader after campaigning alone");
        Assumptions.assumeTrue(makeUnreachable(), "backend cannot be made unreachable");

        awaitLeader(false, "follower while the backend is unreachable");
    }

    /** Waits until {@code isLeader()} is {@code expected}, within {@link #electionTimeout()}. */
    protected final void awaitLeader(boolean expected, String what) {
        BooleanSupplier holds = () -> election.isLeader() == expected;
        long deadline = System.nanoTime() + electionTimeout().toNanos();
        while (!holds.getAsBoolean()) {
            if (System.nanoTime() >= deadline) {
                assertThat(election.isLeader())
                        .as(what + " (within " + electionTimeout() + ")")
                        .isEqualTo(expected);
                return;
            }
            sleepBriefly();
        }
    }

    private void assertStaysFollower() {
        long deadline = System.nanoTime() + followerWindow().toNanos();
        do {
            assertThat(election.isLeader())
                    .as("follower while another holds leadership")
                    .isFalse();
            sleepBriefly();
        } while (System.nanoTime() < deadline);
    }

    private static void sleepBriefly() {
        try {
            TimeUnit.MILLISECONDS.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
