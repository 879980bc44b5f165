package org.elb.warmkeeper.runner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import picocli.CommandLine;

/** Runs the runner's command line in process with a given environment and captures its output. */
final class Cli {

    /** One finished command: exit code, standard output and error. */
    record Result(int exit, String out, String err) {
        JsonNode json() {
            try {
                return new ObjectMapper().readTree(out);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + out + "\nerr: " + err, e);
            }
        }
    }

    final Map<String, String> env = new TreeMap<>();
    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();

    Cli env(String name, String value) {
        env.put(name, value);
        return this;
    }

    CommandLine commandLine() {
        return Runner.commandLine(env).setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true));
    }

    static Result run(Map<String, String> env, String... args) {
        Cli cli = new Cli();
        cli.env.putAll(env);
        int exit = cli.commandLine().execute(args);
        return new Result(exit, cli.out.toString(), cli.err.toString());
    }

    /** Writes a properties file (key=value lines) into {@code dir}. */
    static Path properties(Path dir, String... lines) throws IOException {
        Path file = dir.resolve("elb.properties");
        Files.writeString(file, String.join("\n", lines) + "\n");
        return file;
    }
}
