package org.elb.warmkeeper.runner;

import java.nio.file.Path;
import java.util.Map;
import org.elb.warmkeeper.core.Secrets;
import org.elb.warmkeeper.k8s.InCluster;
import org.elb.warmkeeper.runner.RunConfig.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The runner's entry point: {@code java -jar elb-runner.jar <command>}. A configuration error (a
 * {@link ConfigException}, naming the key and the expected form) exits with {@value #EXIT_CONFIG}.
 */
@Command(
        name = "elb-runner",
        mixinStandardHelpOptions = true,
        versionProvider = Runner.ManifestVersion.class,
        description = "Runs ELB Warmkeeper: keeps BLAST databases warm, gates image updates, tracks AKS provisioning.",
        subcommands = {
            DemoCommand.class,
            RunCommand.class,
            ProvisionCommand.class,
            CancelCommand.class,
            RecentFailuresCommand.class,
            VersionGateCommand.class,
            CommandLine.HelpCommand.class
        })
public final class Runner {

    /** {@code --version}: the Implementation-Version of the runner's jar manifest. */
    static final class ManifestVersion implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"ELB Warmkeeper " + version()};
        }
    }

    /** The version in the jar's manifest, or a plain word when the classes do not run from the jar. */
    static String version() {
        String v = Runner.class.getPackage().getImplementationVersion();
        return v != null ? v : "unknown (not run from its jar)";
    }

    /** Exit code of a configuration error. */
    public static final int EXIT_CONFIG = 2;

    final Map<String, String> env;
    /** Whether {@code run} takes over SIGTERM and SIGINT (the process's own command line only, not tests in process). */
    final boolean handleSignals;

    /** The service account's namespace file, read to tell whether the runner runs in a Kubernetes Pod. */
    final Path namespaceFile;

    Runner(Map<String, String> env, boolean handleSignals) {
        this(env, handleSignals, InCluster.SERVICE_ACCOUNT_NAMESPACE);
    }

    Runner(Map<String, String> env, boolean handleSignals, Path namespaceFile) {
        this.env = Map.copyOf(env);
        this.handleSignals = handleSignals;
        this.namespaceFile = namespaceFile;
    }

    public static void main(String[] args) {
        // Before the first logger: the runner's provider (SLF4J simple, with JSON lines on elb.log.format=json).
        if (System.getProperty("slf4j.provider") == null) {
            System.setProperty("slf4j.provider", RunnerLogProvider.class.getName());
            // SLF4J would announce the explicit choice on standard error (a line that is not JSON).
            if (System.getProperty("slf4j.internal.verbosity") == null) {
                System.setProperty("slf4j.internal.verbosity", "WARN");
            }
        }
        System.exit(commandLine(System.getenv(), true).execute(args));
    }

    /** Runs a command line with the process environment and returns its exit code. */
    public static int run(String... args) {
        return commandLine(System.getenv()).execute(args);
    }

    /** The command line with {@code env} as the environment (tests pass their own). */
    static CommandLine commandLine(Map<String, String> env) {
        return commandLine(env, false);
    }

    private static CommandLine commandLine(Map<String, String> env, boolean handleSignals) {
        CommandLine cl = new CommandLine(new Runner(env, handleSignals));
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof ConfigException) {
                commandLine.getErr().println("configuration error: " + Secrets.masked(String.valueOf(e.getMessage())));
                commandLine.getErr().flush();
                return EXIT_CONFIG;
            }
            throw e;
        });
        return cl;
    }
}
