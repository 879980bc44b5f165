package org.elb.warmkeeper.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.elb.warmkeeper.core.Secrets;
import org.elb.warmkeeper.core.cluster.ClusterRef;
import org.elb.warmkeeper.core.cluster.DatabaseName;
import org.elb.warmkeeper.core.warm.AutoWarmPreference;
import org.elb.warmkeeper.core.warm.AutoWarmReconciler;
import org.elb.warmkeeper.runner.RunConfig.ConfigException;
import org.elb.warmkeeper.testkit.FakeWarmStatusProbe;
import org.elb.warmkeeper.testkit.InMemoryAutoWarmPreferences;
import org.elb.warmkeeper.testkit.InMemoryDatabaseInventory;
import org.elb.warmkeeper.testkit.InMemoryInflightLock;
import org.elb.warmkeeper.testkit.MutableClock;
import org.elb.warmkeeper.testkit.RecordingWarmupDispatcher;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/** {@code elb.log.format=json}: one JSON object per line, with the MDC and masked secrets. */
class RunnerLogProviderTest {

    private final ObjectMapper json = new ObjectMapper();

    @AfterEach
    void textAgain() {
        RunnerLogProvider.json(false);
        MDC.clear();
    }

    private static String captured(Runnable logging) {
        PrintStream err = System.err;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setErr(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            logging.run();
        } finally {
            System.setErr(err);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void the_runner_selects_its_provider() {
        assertThat(LoggerFactory.getLogger(RunnerLogProviderTest.class))
                .isInstanceOf(RunnerLogProvider.RunnerLogger.class);
    }

    @Test
    void a_json_line_holds_the_mdc_and_masks_the_message_and_the_error() throws Exception {
        Logger log = LoggerFactory.getLogger("org.elb.warmkeeper.core.warm.TickRun");
        RunnerLogProvider.json(true);
        String out = captured(() -> {
            MDC.put(AutoWarmReconciler.MDC_CLUSTER, "sub/rg-elb/elb-a");
            MDC.put(AutoWarmReconciler.MDC_DB, "core_nt");
            log.warn(
                    "enqueue of {} failed: GET https://x/op?sig={} answered 403",
                    "core_nt",
                    "s3cr3tSig",
                    new IOException("password=hunter2xyz rejected"));
        });

        String[] lines = out.strip().split("\n");
        assertThat(lines).hasSize(1);
        JsonNode line = json.readTree(lines[0]);
        assertThat(line.get("level").asText()).isEqualTo("WARN");
        assertThat(line.get("logger").asText()).isEqualTo("org.elb.warmkeeper.core.warm.TickRun");
        assertThat(line.get("thread").asText()).isEqualTo(Thread.currentThread().getName());
        assertThat(line.get("ts").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
        assertThat(line.get("elb.cluster").asText()).isEqualTo("sub/rg-elb/elb-a");
        assertThat(line.get("elb.db").asText()).isEqualTo("core_nt");
        assertThat(line.get("message").asText())
                .startsWith("enqueue of core_nt failed")
                .contains(Secrets.MASK);
        assertThat(line.get("error").asText()).startsWith("java.io.IOException").contains(Secrets.MASK);
        assertThat(out).doesNotContain("s3cr3tSig").doesNotContain("hunter2xyz");
    }

    @Test
    void the_reconcilers_own_warning_carries_the_cluster_and_database_it_was_working_on() throws Exception {
        ClusterRef cluster = ClusterRef.of("00000000-0000-4000-8000-000000000001", "rg-elb", "elb-a");
        DatabaseName coreNt = DatabaseName.of("core_nt");
        MutableClock clock = MutableClock.start();
        RecordingWarmupDispatcher dispatcher = new RecordingWarmupDispatcher();
        dispatcher.faults().throwing(() -> new IllegalStateException("POST https://k8s/jobs?token=t0ps3cr3t refused"));
        AutoWarmReconciler reconciler = AutoWarmReconciler.builder(
                        new InMemoryAutoWarmPreferences().put(new AutoWarmPreference(cluster, List.of(coreNt), true)),
                        new InMemoryDatabaseInventory().markDownloaded(cluster, coreNt),
                        new FakeWarmStatusProbe(),
                        new InMemoryInflightLock(clock),
                        dispatcher)
                .clock(clock)
                .build();
        RunnerLogProvider.json(true);
        String out = captured(reconciler::tick);

        JsonNode warning = null;
        for (String l : out.strip().split("\n")) {
            JsonNode n = json.readTree(l);
            if (n.get("message").asText().startsWith("enqueue of core_nt")) {
                warning = n;
            }
        }
        assertThat(warning).as(out).isNotNull();
        assertThat(warning.get("elb.cluster").asText()).isEqualTo(cluster.display());
        assertThat(warning.get("elb.db").asText()).isEqualTo("core_nt");
        assertThat(out).doesNotContain("t0ps3cr3t");
    }

    @Test
    void text_is_the_default_and_levels_still_apply() {
        Logger log = LoggerFactory.getLogger("org.elb.warmkeeper.runner.SomeClass");
        String text = captured(() -> log.warn("plain line"));
        assertThat(text).contains("WARN").contains("plain line").doesNotStartWith("{");

        RunnerLogProvider.json(true);
        // simplelogger.properties: the default level is warn, so info is not written in either format
        assertThat(captured(() -> log.info("not shown"))).isEmpty();
    }

    @Test
    void the_setting_takes_text_or_json_and_names_the_key_otherwise() {
        assertThat(RunSettings.from(RunConfig.of(Map.of())).logFormat).isEqualTo(RunSettings.LogFormat.TEXT);
        assertThat(RunSettings.from(RunConfig.of(Map.of("elb.log.format", "json"))).logFormat)
                .isEqualTo(RunSettings.LogFormat.JSON);
        assertThatThrownBy(() -> RunSettings.from(RunConfig.of(Map.of("elb.log.format", "xml"))))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("'elb.log.format'")
                .hasMessageContaining("text");
    }
}
