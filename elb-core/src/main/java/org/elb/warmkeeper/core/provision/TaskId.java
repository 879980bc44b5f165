package org.elb.warmkeeper.core.provision;

import java.util.regex.Pattern;
import org.elb.warmkeeper.core.cluster.Checks;

/** The id a provisioner returns for an enqueued create. Rule: 1-200 printable ASCII characters without whitespace. */
public record TaskId(String value) {

    static final Pattern PATTERN = Pattern.compile("[\\x21-\\x7E]{1,200}");

    public TaskId {
        Checks.matches(value, "taskId", PATTERN, "1-200 printable ASCII characters without whitespace");
    }

    public static TaskId of(String value) {
        return new TaskId(value);
    }

    @Override
    public String toString() {
        return value;
    }
}
