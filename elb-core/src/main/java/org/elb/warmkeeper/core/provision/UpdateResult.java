package org.elb.warmkeeper.core.provision;

/** The answer of a compare-and-set {@link JobStateRepository#update}. Nothing changed unless {@link Updated}. */
public sealed interface UpdateResult {

    /** The row now holds the update. */
    record Updated(JobState state) implements UpdateResult {}

    /** The row's version was not the expected one: re-read and retry. */
    record Stale(long currentVersion) implements UpdateResult {}

    /** The update breaks a rule (backward status, a terminal row, a second task id). */
    record Rejected(String reason) implements UpdateResult {}

    /** No row has this id. */
    record NotFound() implements UpdateResult {}

    default boolean isUpdated() {
        return this instanceof Updated;
    }
}
