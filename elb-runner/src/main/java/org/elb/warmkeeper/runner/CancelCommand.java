package org.elb.warmkeeper.runner;

import java.util.Locale;
import java.util.concurrent.Callable;
import org.elb.warmkeeper.core.provision.CancelMode;
import org.elb.warmkeeper.core.provision.CancelOutcome;
import org.elb.warmkeeper.core.provision.TaskId;
import org.elb.warmkeeper.runner.http.JsonViews;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code cancel TASK_ID}: cancels the owner's provision and prints the outcome as JSON; exit 3 when not found. */
@Command(
        name = "cancel",
        mixinStandardHelpOptions = true,
        description = "Cancels a provision by task id (only its owner may) and prints the outcome as JSON.")
final class CancelCommand extends ConfiguredCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "TASK_ID", description = "The task id that provision returned.")
    String taskId;

    @Option(
            names = "--mode",
            defaultValue = "stop",
            description =
                    "stop (stop tracking), abort_operation (ask ARM to abort the create) or delete_cluster (default: ${DEFAULT-VALUE}).")
    String mode;

    @Option(names = "--owner", description = "The caller's identity (default: elb.owner / ELB_OWNER).")
    @Nullable String owner;

    @Override
    public Integer call() {
        RunSettings settings = settings();
        CancelMode cancelMode;
        try {
            cancelMode = CancelMode.valueOf(mode.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new picocli.CommandLine.ParameterException(
                    spec.commandLine(),
                    "'--mode' must be one of stop, abort_operation, delete_cluster, but was '" + mode + "'");
        }
        var ownerId = owner(owner, settings);
        TaskId id = TaskId.of(taskId);
        try (Wiring w = wiring()) {
            CancelOutcome outcome = w.provisioning().cancel(ownerId, id, cancelMode);
            printJson(JsonViews.cancel(outcome));
            return outcome.result() == CancelOutcome.Result.NOT_FOUND ? 3 : 0;
        }
    }
}
