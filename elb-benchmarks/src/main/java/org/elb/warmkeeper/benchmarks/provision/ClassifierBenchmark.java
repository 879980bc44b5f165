package org.elb.warmkeeper.benchmarks.provision;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.elb.warmkeeper.core.provision.ArmError;
import org.elb.warmkeeper.core.provision.ErrorClassification;
import org.elb.warmkeeper.core.provision.ErrorClassifier;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Time of one {@link ErrorClassifier#classify(ArmError)} per error body, ordinary and hostile: a typical
 * nested quota error, a 4 KiB message (what the classifier reads of one message: the baseline the others
 * are compared with, since ratios measured in one run hold on a loaded machine), a 1 MB message, {@code "exceed "} repeated 16 000 times, a 210 KB message, a tree of
 * 20 levels whose 3 details per level are one shared child, a 900-level nested 400, and 1 000 details
 * of 14 KB messages each. Average time per
 * call. Run: {@code java -jar elb-benchmarks/target/benchmarks.jar ClassifierBenchmark -wi 3 -i 5 -f 1}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class ClassifierBenchmark {

    @Param({
        "typical",
        "message_4kb",
        "message_1mb",
        "exceed_x16000",
        "message_210kb",
        "shared_tree_20",
        "nested_400_x900",
        "wide_hostile_1000"
    })
    public String body;

    private ArmError error;

    @Setup
    public void setUp() {
        error = body(body);
    }

    /** The error body named {@code name}. */
    public static ArmError body(String name) {
        return switch (name) {
            case "typical" ->
                ArmError.of(
                        "InvalidTemplateDeployment",
                        "The template deployment 'elb-aks' is not valid according "
                                + "to the validation procedure. See inner errors for details.",
                        ArmError.of(
                                "QuotaExceeded",
                                "Operation could not be completed as it results in exceeding approved Total "
                                        + "Regional Cores quota. Location: koreacentral, Current Limit: 10, Current Usage: 8."));
            case "message_4kb" -> ArmError.of("DeploymentFailed", "x".repeat(4 << 10));
            case "message_1mb" -> ArmError.of("DeploymentFailed", "x".repeat(1 << 20));
            case "exceed_x16000" -> ArmError.of("DeploymentFailed", "exceed ".repeat(16_000));
            case "message_210kb" -> ArmError.of("ResourceDeploymentFailure", "limit of ".repeat(210_000 / 9));
            case "shared_tree_20" -> {
                ArmError node = ArmError.of("QuotaExceeded", "exceed ".repeat(1_000));
                for (int i = 0; i < 20; i++) {
                    ArmError[] children = new ArmError[3];
                    Arrays.fill(children, node);
                    node = ArmError.of("DeploymentFailed", "exceed ".repeat(1_000), children);
                }
                yield node;
            }
            case "nested_400_x900" -> {
                ArmError node = ArmError.of("BadRequest", "Bad Request");
                for (int i = 0; i < 900; i++) {
                    node = ArmError.of("BadRequest", "Bad Request", node);
                }
                yield node;
            }
            case "wide_hostile_1000" -> {
                ArmError[] children = new ArmError[1_000];
                for (int i = 0; i < children.length; i++) {
                    children[i] = ArmError.of("Child" + i, "exceed ".repeat(2_000));
                }
                yield ArmError.of("DeploymentFailed", "exceed ".repeat(2_000), children);
            }
            default -> throw new IllegalArgumentException("unknown body '" + name + "'");
        };
    }

    @Benchmark
    public ErrorClassification classify() {
        return ErrorClassifier.classify(error);
    }
}
