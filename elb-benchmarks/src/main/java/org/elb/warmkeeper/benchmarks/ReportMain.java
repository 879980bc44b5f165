package org.elb.warmkeeper.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs every benchmark of this module and writes one Markdown report (default
 * {@code elb-benchmarks/RESULTS.md}) with the machine it ran on: cores, memory, JVM, OS, date.
 *
 * <p>Each benchmark runs in its own JVM on this JVM's class path (a failing one — e.g. PostgreSQL not
 * reachable — is reported as failed and the others go on). JMH benchmarks write JSON that becomes one
 * table (score, error, p50, p99); the plain runners' own output (tables, counts) is kept as printed.
 *
 * <p>Modes: {@code short} (default; about two minutes: fewer rows, keys and ticks, 1 s iterations) and
 * {@code full} (the figures quoted in the READMEs; about fifteen minutes). Args:
 * {@code [short|full] [output file]}. Run it with
 * {@code mvn -B -pl elb-benchmarks -am -DskipTests -Pbench-report verify [-Dbench.mode=full]}.
 */
public final class ReportMain {

    private ReportMain() {}

    /** One benchmark run: a title, the main class, its JVM flags and arguments; JMH when {@code jmh}. */
    record Step(String title, String what, boolean jmh, List<String> jvm, List<String> args) {}

    record Outcome(Step step, boolean ok, String output, Duration took, List<JsonNode> jmh) {}

    static List<Step> steps(boolean full) {
        List<Step> steps = new ArrayList<>();
        List<String> jmhShort = List.of("-wi", "1", "-w", "1s", "-i", "2", "-r", "1s", "-f", "1");
        String rows = full ? "1000000" : "100000";
        steps.add(new Step(
                "JDBI: recent failed provisions, repository vs the seed's newest-200 (PostgreSQL, " + rows + " rows)",
                "org.elb.warmkeeper.benchmarks.jdbi.RecentFailedMain",
                false,
                List.of("-Delb.bench.rows=" + rows),
                List.of(full ? "5000" : "1000")));
        List<String> jdbiJmh =
                new ArrayList<>(List.of("jdbi.RecentFailedBenchmark", "-jvmArgsAppend", "-Delb.bench.rows=" + rows));
        if (!full) {
            jdbiJmh.addAll(jmhShort);
        }
        steps.add(new Step(
                "JDBI: recent failed provisions (JMH, sample time)", "org.openjdk.jmh.Main", true, List.of(), jdbiJmh));
        List<String> redisJmh = new ArrayList<>(List.of("redis.InflightLockBenchmark"));
        if (!full) {
            redisJmh.addAll(jmhShort);
            redisJmh.addAll(List.of("-p", "keys=1,100"));
        }
        steps.add(new Step(
                "Redis: in-flight lock, batched vs one adapter call per key vs one SET NX PX per key (JMH, sample time)",
                "org.openjdk.jmh.Main",
                true,
                List.of(),
                redisJmh));
        steps.add(new Step(
                "Redis: the pipelined physical limit (redis-benchmark -P 100 -t set, own redis-server)",
                "org.elb.warmkeeper.benchmarks.redis.RedisPipelineLimit",
                false,
                List.of(),
                List.of("100000")));
        List<String> classifierJmh = new ArrayList<>(List.of("provision.ClassifierBenchmark"));
        if (!full) {
            classifierJmh.addAll(jmhShort);
        }
        steps.add(new Step(
                "Provisioning: error classifier on ordinary and hostile ARM error bodies (JMH, average time)",
                "org.openjdk.jmh.Main",
                true,
                List.of(),
                classifierJmh));
        steps.add(new Step(
                "Redis: time to fail open when Redis is gone (100 keys, 250 ms budget)",
                "org.elb.warmkeeper.benchmarks.redis.FailOpenLatency",
                false,
                List.of(),
                List.of(full ? "40" : "10")));
        steps.add(new Step(
                "Kubernetes: API calls per auto-warm tick, batched vs informer vs per-DB (loopback mock servers)",
                "org.elb.warmkeeper.benchmarks.k8s.K8sStatusCallCountBenchmark",
                false,
                List.of(),
                full ? List.of("10", "50", "20", "0") : List.of("3", "20", "5", "0")));
        steps.add(new Step(
                "Runner wiring: API calls per steady-state tick per cluster, by kind (mock API servers, local ARM)",
                "org.elb.warmkeeper.benchmarks.warm.TickApiCallsBenchmark",
                false,
                List.of(),
                full ? List.of("10", "20", "30") : List.of("3", "10", "10")));
        steps.add(new Step(
                "Reconciler: tick time vs fleet size and per-call latency, serial vs default concurrency (fakes)",
                "org.elb.warmkeeper.benchmarks.warm.FleetTickBenchmark",
                false,
                List.of(),
                List.of(full ? "full" : "short")));
        if (full) {
            steps.add(new Step(
                    "Kubernetes: the same with 5 ms per API request (a remote API server)",
                    "org.elb.warmkeeper.benchmarks.k8s.K8sStatusCallCountBenchmark",
                    false,
                    List.of(),
                    List.of("10", "50", "20", "5")));
        }
        return steps;
    }

    public static void main(String[] args) throws Exception {
        String mode = args.length > 0 ? args[0].toLowerCase(Locale.ROOT) : "short";
        if (!mode.equals("short") && !mode.equals("full")) {
            System.err.println("mode must be short or full, but was '" + args[0] + "'");
            System.exit(2);
        }
        Path output = Path.of(args.length > 1 ? args[1] : defaultOutput());
        Instant started = Instant.now();
        List<Outcome> outcomes = new ArrayList<>();
        for (Step step : steps(mode.equals("full"))) {
            System.out.println("== " + step.title());
            Outcome o = run(step);
            System.out.println(o.ok() ? "   done in " + seconds(o.took()) : "   FAILED after " + seconds(o.took()));
            outcomes.add(o);
        }
        String report = markdown(mode, started, outcomes);
        Files.createDirectories(output.toAbsolutePath().getParent());
        Files.writeString(output, report, StandardCharsets.UTF_8);
        System.out.println("wrote " + output.toAbsolutePath());
    }

    /** {@code elb-benchmarks/RESULTS.md} from the repository root, {@code RESULTS.md} inside the module. */
    private static String defaultOutput() {
        return Files.isDirectory(Path.of("elb-benchmarks")) ? "elb-benchmarks/RESULTS.md" : "RESULTS.md";
    }

    static Outcome run(Step step) throws IOException, InterruptedException {
        Path json = Files.createTempFile("elb-jmh-", ".json");
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
        cmd.addAll(step.jvm());
        cmd.add(step.what());
        cmd.addAll(step.args());
        if (step.jmh()) {
            cmd.addAll(List.of("-rf", "json", "-rff", json.toString()));
        }
        Path log = Files.createTempFile("elb-bench-", ".log");
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        boolean finished = p.waitFor(40, TimeUnit.MINUTES);
        if (!finished) {
            p.destroyForcibly();
        }
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        String out = Files.readString(log);
        Files.deleteIfExists(log);
        List<JsonNode> results = new ArrayList<>();
        if (step.jmh() && Files.size(json) > 0) {
            new ObjectMapper().readTree(json.toFile()).forEach(results::add);
        }
        Files.deleteIfExists(json);
        boolean ok = finished && p.exitValue() == 0 && (!step.jmh() || !results.isEmpty());
        return new Outcome(step, ok, out, took, results);
    }

    static String markdown(String mode, Instant started, List<Outcome> outcomes) {
        StringBuilder md = new StringBuilder();
        md.append("# ELB Warmkeeper benchmark results\n\n");
        md.append("Written by `org.elb.warmkeeper.benchmarks.ReportMain` (mode **")
                .append(mode)
                .append("**)");
        md.append(" on ").append(started.truncatedTo(ChronoUnit.SECONDS)).append(".\n\n");
        md.append("| machine | |\n|---|---|\n");
        machine()
                .forEach((k, v) ->
                        md.append("| ").append(k).append(" | ").append(v).append(" |\n"));
        md.append("\n## Summary\n\n| benchmark | status | took |\n|---|---|---|\n");
        for (Outcome o : outcomes) {
            md.append("| ")
                    .append(o.step().title())
                    .append(" | ")
                    .append(o.ok() ? "ok" : "**failed**")
                    .append(" | ")
                    .append(seconds(o.took()))
                    .append(" |\n");
        }
        List<JsonNode> jmh = outcomes.stream().flatMap(o -> o.jmh().stream()).toList();
        if (!jmh.isEmpty()) {
            md.append("\n## JMH\n\n| benchmark | params | mode | score | error (99.9%) | unit | p50 | p99 |\n")
                    .append("|---|---|---|---|---|---|---|---|\n");
            for (JsonNode r : jmh) {
                JsonNode m = r.get("primaryMetric");
                JsonNode pct = m.get("scorePercentiles");
                md.append("| ")
                        .append(shortName(r.get("benchmark").asText()))
                        .append(" | ")
                        .append(params(r.get("params")))
                        .append(" | ")
                        .append(r.get("mode").asText())
                        .append(" | ")
                        .append(num(m.get("score").asDouble()))
                        .append(" | ")
                        .append(
                                m.get("scoreError").isNumber()
                                        ? num(m.get("scoreError").asDouble())
                                        : "")
                        .append(" | ")
                        .append(m.get("scoreUnit").asText())
                        .append(" | ")
                        .append(
                                pct != null && pct.has("50.0")
                                        ? num(pct.get("50.0").asDouble())
                                        : "")
                        .append(" | ")
                        .append(
                                pct != null && pct.has("99.0")
                                        ? num(pct.get("99.0").asDouble())
                                        : "")
                        .append(" |\n");
            }
        }
        md.append("\n## Runs\n");
        for (Outcome o : outcomes) {
            md.append("\n### ").append(o.step().title()).append("\n\n");
            md.append("`")
                    .append(o.step().what().replace("org.elb.warmkeeper.benchmarks.", ""))
                    .append(" ")
                    .append(String.join(" ", o.step().args()))
                    .append("`")
                    .append(
                            o.step().jvm().isEmpty()
                                    ? ""
                                    : " (JVM " + String.join(" ", o.step().jvm()) + ")")
                    .append(" — ")
                    .append(o.ok() ? "ok" : "**failed**")
                    .append(", ")
                    .append(seconds(o.took()))
                    .append("\n\n");
            String shown =
                    !o.ok() ? tail(o.output(), 60) : o.step().jmh() ? jmhScores(o.output()) : withoutNoise(o.output());
            md.append("```\n").append(shown.strip()).append("\n```\n");
        }
        return md.toString();
    }

    static Map<String, String> machine() {
        Map<String, String> m = new java.util.LinkedHashMap<>();
        m.put(
                "cores (available to the JVM)",
                String.valueOf(Runtime.getRuntime().availableProcessors()));
        m.put("memory (physical)", physicalMemory());
        m.put(
                "JVM",
                System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version") + " ("
                        + System.getProperty("java.vendor") + ")");
        m.put(
                "OS",
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                        + System.getProperty("os.arch"));
        m.put("date (UTC)", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        return m;
    }

    private static String physicalMemory() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return String.format(Locale.ROOT, "%.1f GiB", os.getTotalMemorySize() / (1024.0 * 1024 * 1024));
        }
        return "unknown";
    }

    private static String shortName(String benchmark) {
        return benchmark.replace("org.elb.warmkeeper.benchmarks.", "");
    }

    private static String params(JsonNode params) {
        if (params == null) {
            return "";
        }
        List<String> out = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> it = params.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            out.add(e.getKey() + "=" + e.getValue().asText());
        }
        return String.join(", ", out);
    }

    private static String num(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, v >= 100 ? "%.1f" : "%.3f", v);
    }

    private static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }

    /** JMH's own result table without the percentile rows (they are in the table above). */
    private static String jmhScores(String output) {
        List<String> lines = output.lines().toList();
        int start = 0;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith("Benchmark ") && !lines.get(i).startsWith("Benchmark result")) {
                start = i;
            }
        }
        return String.join(
                "\n",
                lines.subList(start, lines.size()).stream()
                        .filter(l -> !l.contains(":p0.")
                                && !l.contains(":p1.")
                                && !l.startsWith("Benchmark result is saved"))
                        .toList());
    }

    /**
     * A successful plain run's output without shutdown noise: stack traces and the log lines of
     * client threads that outlive the benchmark's servers (Netty/Vert.x event loops closing).
     */
    static String withoutNoise(String output) {
        return String.join(
                "\n",
                output.lines()
                        .filter(l -> !l.matches("\\s+at .*")
                                && !l.matches("\\s*\\.\\.\\. \\d+ more")
                                && !l.matches("^(Caused by: )?[\\w.$]+(Exception|Error)(: .*)?$")
                                && !l.matches("^\\[[^]]+\\] (ERROR|WARN) .*"))
                        .toList());
    }

    private static String tail(String s, int lines) {
        List<String> all = s.lines().filter(l -> !l.isBlank()).toList();
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }
}
