package org.elb.warmkeeper.runner;

import java.util.concurrent.Callable;
import org.elb.warmkeeper.core.version.GateDecision;
import org.elb.warmkeeper.core.version.ServiceName;
import org.elb.warmkeeper.runner.http.JsonViews;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code version-gate SERVICE}: whether to offer "Update SERVICE to its pinned tag", as JSON. */
@Command(
        name = "version-gate",
        mixinStandardHelpOptions = true,
        description =
                "Compares a service's pinned image tag (elb.image.<service>) with the version it reports and prints the decision as JSON.")
final class VersionGateCommand extends ConfiguredCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "SERVICE", description = "Service name, e.g. elb-openapi.")
    String service;

    @Override
    public Integer call() {
        ServiceName name;
        try {
            name = ServiceName.of(service);
        } catch (IllegalArgumentException e) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        try (Wiring w = wiring()) {
            GateDecision decision = w.gate().check(name);
            printJson(JsonViews.gate(name.value(), decision));
            return 0;
        }
    }
}
