package org.elb.warmkeeper.core.provision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.elb.warmkeeper.core.cluster.OwnerId;

/**
 * Job status moves only forward (queued -> running -> succeeded | failed | cancelled; queued -> failed |
 * cancelled); terminal states absorb; JobState.rejection/apply enforce it for any sequence of updates.
 */
class JobStatusProperties {

    static final EnumSet<JobStatus> TERMINAL = EnumSet.of(JobStatus.SUCCEEDED, JobStatus.FAILED, JobStatus.CANCELLED);

    /** The documented graph, written out independently of JobStatus.successors(). */
    static boolean legalMove(JobStatus from, JobStatus to) {
        return switch (from) {
            case QUEUED ->
                to == JobStatus.QUEUED
                        || to == JobStatus.RUNNING
                        || to == JobStatus.FAILED
                        || to == JobStatus.CANCELLED;
            case RUNNING -> to == JobStatus.RUNNING || TERMINAL.contains(to);
            case SUCCEEDED, FAILED, CANCELLED -> false;
        };
    }

    static int rank(JobStatus s) {
        return switch (s) {
            case QUEUED -> 0;
            case RUNNING -> 1;
            case SUCCEEDED, FAILED, CANCELLED -> 2;
        };
    }

    @Property
    void can_move_to_is_the_documented_graph(@ForAll JobStatus from, @ForAll JobStatus to) {
        assertThat(from.canMoveTo(to)).isEqualTo(legalMove(from, to));
        assertThat(from.successors().contains(to)).isEqualTo(legalMove(from, to) && from != to);
    }

    @Property
    void terminal_states_absorb(@ForAll JobStatus to) {
        for (JobStatus terminal : TERMINAL) {
            assertThat(terminal.isTerminal()).isTrue();
            assertThat(terminal.canMoveTo(to)).isFalse();
            assertThat(terminal.successors()).isEmpty();
        }
    }

    @Property
    void wire_names_round_trip(@ForAll JobStatus status) {
        assertThat(JobStatus.fromWireName(status.wireName())).contains(status);
        assertThat(status.wireName()).isEqualTo(status.name().toLowerCase(java.util.Locale.ROOT));
    }

    @Provide
    Arbitrary<JobUpdate> updates() {
        Arbitrary<JobStatus> status = Arbitraries.of(JobStatus.class).injectNull(0.3);
        Arbitrary<TaskId> task =
                Arbitraries.of("task-1", "task-2").map(TaskId::of).injectNull(0.7);
        Arbitrary<String> clusterState =
                Arbitraries.of("Creating", "Succeeded", "Failed", "Canceling").injectNull(0.6);
        Arbitrary<ErrorClassification> error = Arbitraries.just(ErrorClassifier.classify("QuotaExceeded", "quota"))
                .injectNull(0.8);
        Arbitrary<Map<String, String>> payload = Arbitraries.maps(
                        Arbitraries.of("a", "b", "poll_url"), Arbitraries.of("1", "2"))
                .ofMaxSize(2);
        return Combinators.combine(status, task, clusterState, error, payload).as(JobUpdate::new);
    }

    @Provide
    Arbitrary<List<JobUpdate>> updateSequences() {
        return updates().list().ofMaxSize(25);
    }

    @Property
    void any_sequence_of_attempted_updates_moves_only_forward(@ForAll("updateSequences") List<JobUpdate> attempts) {
        Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
        JobState state =
                JobState.created(new NewJob(JobId.random(), "aks_provision", OwnerId.of("owner"), Map.of(), t0));
        assertThat(state.status()).isEqualTo(JobStatus.QUEUED);
        assertThat(state.version()).isZero();
        List<JobStatus> path = new ArrayList<>(List.of(state.status()));
        int applied = 0;
        for (int i = 0; i < attempts.size(); i++) {
            JobUpdate update = attempts.get(i);
            Optional<String> rejection = state.rejection(update);
            JobState before = state;
            if (rejection.isEmpty()) {
                state = state.apply(update, t0.plusSeconds(i + 1));
                applied++;
                assertThat(state.version()).as("version +1 per applied update").isEqualTo(before.version() + 1);
                assertThat(legalMove(before.status(), state.status()) || before.status() == state.status())
                        .as("%s -> %s", before.status(), state.status())
                        .isTrue();
                if (before.status().isTerminal()) {
                    // the only update a terminal row takes: stamping its task id (absent, or the same again)
                    assertThat(state.status()).isEqualTo(before.status());
                    assertThat(update.status()).isNull();
                    assertThat(before.taskId() == null || before.taskId().equals(update.taskId()))
                            .isTrue();
                    assertThat(state)
                            .isEqualTo(new JobState(
                                    before.id(),
                                    before.type(),
                                    before.owner(),
                                    before.status(),
                                    update.taskId(),
                                    before.clusterState(),
                                    before.error(),
                                    before.payload(),
                                    before.version() + 1,
                                    before.createdAt(),
                                    state.updatedAt()));
                }
                if (before.taskId() != null) {
                    assertThat(state.taskId()).as("a task id is never replaced").isEqualTo(before.taskId());
                }
                path.add(state.status());
            } else {
                JobUpdate rejected = update;
                assertThatThrownBy(() -> before.apply(rejected, t0))
                        .isInstanceOf(IllegalStateException.class)
                        .hasMessage(rejection.get());
            }
        }
        assertThat(state.version()).isEqualTo(applied);
        for (int i = 0; i + 1 < path.size(); i++) {
            assertThat(rank(path.get(i)))
                    .as("path %s only moves forward", path)
                    .isLessThanOrEqualTo(rank(path.get(i + 1)));
            if (path.get(i).isTerminal()) {
                assertThat(path.get(i + 1)).as("terminal absorbs in %s", path).isEqualTo(path.get(i));
            }
        }
    }

    @Property
    void a_status_update_is_rejected_iff_the_move_is_illegal(@ForAll JobStatus from, @ForAll JobStatus to) {
        JobState state = stateWith(from);
        Optional<String> rejection = state.rejection(JobUpdate.status(to));
        assertThat(rejection.isEmpty()).isEqualTo(legalMove(from, to));
    }

    @Property
    void payload_entries_merge_and_updated_at_moves(@ForAll("updates") JobUpdate update) {
        JobState state = stateWith(JobStatus.RUNNING);
        net.jqwik.api.Assume.that(state.rejection(update).isEmpty());
        JobState next = state.apply(update, Instant.parse("2026-01-02T00:00:00Z"));
        assertThat(next.payload()).containsAllEntriesOf(update.payload());
        state.payload().forEach((k, v) -> {
            if (!update.payload().containsKey(k)) {
                assertThat(next.payload()).containsEntry(k, v);
            }
        });
        assertThat(next.updatedAt()).isEqualTo(Instant.parse("2026-01-02T00:00:00Z"));
        assertThat(next.createdAt()).isEqualTo(state.createdAt());
        if (update.status() == null) {
            assertThat(next.status()).isEqualTo(state.status());
        }
    }

    static JobState stateWith(JobStatus status) {
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        return new JobState(
                JobId.random(),
                "aks_provision",
                OwnerId.of("owner"),
                status,
                null,
                null,
                null,
                Map.of("region", "koreacentral"),
                3,
                t,
                t);
    }

    @Example
    void a_second_task_id_is_rejected_and_the_same_one_is_accepted() {
        JobState state = stateWith(JobStatus.RUNNING).apply(JobUpdate.taskId(TaskId.of("task-1")), Instant.EPOCH);
        assertThat(state.rejection(JobUpdate.taskId(TaskId.of("task-2")))).contains("taskId is already task-1");
        assertThat(state.rejection(JobUpdate.taskId(TaskId.of("task-1")))).isEmpty();
        JobState done = state.apply(JobUpdate.status(JobStatus.SUCCEEDED), Instant.EPOCH);
        assertThat(done.rejection(JobUpdate.clusterState("Succeeded"))).contains("job is succeeded (terminal)");
        assertThat(done.rejection(JobUpdate.status(JobStatus.FAILED))).contains("job is succeeded (terminal)");
    }
}
