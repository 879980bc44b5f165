package org.elb.warmkeeper.runner;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import org.elb.warmkeeper.core.cluster.OwnerId;
import org.elb.warmkeeper.k8s.InCluster;
import org.elb.warmkeeper.runner.RunConfig.ConfigException;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** What every configured command shares: {@code --config}, the environment, the wiring, JSON output. */
abstract class ConfiguredCommand {

    @ParentCommand
    Runner runner;

    @Spec
    CommandSpec spec;

    @Option(
            names = {"-c", "--config"},
            paramLabel = "FILE",
            description =
                    "Properties file (keys in elb-runner/README.md); environment variables override it, e.g. ELB_JDBC_URL.")
    @Nullable Path config;

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    RunSettings settings() {
        RunSettings s = RunSettings.from(
                RunConfig.load(config, runner.env), InCluster.detect(runner.env, runner.namespaceFile));
        RunnerLogProvider.json(s.logFormat == RunSettings.LogFormat.JSON);
        return s;
    }

    Wiring wiring() {
        return new Wiring(settings(), Clock.systemUTC());
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    void printJson(Object value) {
        try {
            out().println(JSON.writeValueAsString(value));
            out().flush();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static OwnerId owner(@Nullable String option, RunSettings settings) {
        String v = option != null ? option : settings.owner;
        if (v == null || v.isBlank()) {
            throw new ConfigException(
                    "'--owner' (or 'elb.owner' / ELB_OWNER) is required: the caller's identity, which scopes every job query");
        }
        try {
            return OwnerId.of(v.strip());
        } catch (IllegalArgumentException e) {
            throw new ConfigException("'--owner' must be an owner id: " + e.getMessage());
        }
    }
}
