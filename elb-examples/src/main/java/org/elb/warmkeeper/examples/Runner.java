package org.elb.warmkeeper.examples;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The runner's entry point: {@code java -jar elb-runner.jar <command>}. */
@Command(name = "elb-runner", mixinStandardHelpOptions = true, version = "ELB Warmkeeper 0.1.0-SNAPSHOT",
        description = "Runs ELB Warmkeeper: keeps BLAST databases warm, gates image updates, tracks AKS provisioning.",
        subcommands = {DemoCommand.class, CommandLine.HelpCommand.class})
public final class Runner {

    Runner() {}

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs a command line and returns its exit code (for tests). */
    public static int run(String... args) {
        return new CommandLine(new Runner()).execute(args);
    }
}
