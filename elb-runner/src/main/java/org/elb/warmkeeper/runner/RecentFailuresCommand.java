package org.elb.warmkeeper.runner;

import java.util.concurrent.Callable;
import org.elb.warmkeeper.core.provision.RecentFailedProvisions;
import org.elb.warmkeeper.runner.http.JsonViews;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code recent-failures}: the owner's recent failed provisions as JSON (the dashboard's shape). */
@Command(
        name = "recent-failures",
        mixinStandardHelpOptions = true,
        description =
                "Prints the owner's recent failed provisions as JSON; degraded=true when the store cannot answer.")
final class RecentFailuresCommand extends ConfiguredCommand implements Callable<Integer> {

    @Option(names = "--hours", description = "Window in hours, 1..168 (default 24).")
    @Nullable Integer hours;

    @Option(names = "--limit", description = "At most this many, 1..20 (default 10).")
    @Nullable Integer limit;

    @Option(names = "--owner", description = "The caller's identity (default: elb.owner / ELB_OWNER).")
    @Nullable String owner;

    @Override
    public Integer call() {
        RunSettings settings = settings();
        var ownerId = owner(owner, settings);
        try (Wiring w = wiring()) {
            RecentFailedProvisions result;
            try {
                result = w.provisioning().recentFailed(ownerId, hours, limit);
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage());
            }
            printJson(JsonViews.recentFailed(result));
            return result.degraded() ? 1 : 0;
        }
    }
}
