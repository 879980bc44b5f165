package org.elb.warmkeeper.runner;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import org.elb.warmkeeper.core.warm.AutoWarmPreference;
import org.elb.warmkeeper.jdbi.JdbiStore;
import org.elb.warmkeeper.testservers.TestPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class DemoCommandTest {

    private record Run(int exit, String out, String err) {}

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Runner.commandLine(java.util.Map.of());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    /** The cluster's outcome lines (one per tick), without its history lines. */
    private static List<String> linesOf(String out, String cluster) {
        return out.lines()
                .filter(l -> l.contains(" " + cluster + " ") && !l.contains(" history: "))
                .toList();
    }

    @Test
    void demo_shows_cold_db_triggered_then_ready_noop_an_inflight_skip_and_a_not_ready_cluster() {
        Run run = run("demo", "--ticks", "5", "--interval", "PT0.02S", "--store", "memory");

        assertThat(run.exit()).as(run.err()).isZero();
        List<String> main = linesOf(run.out(), "elb-cluster");
        assertThat(main).hasSize(5);
        assertThat(main.get(0)).contains("triggered").contains("enqueued=core_nt");
        assertThat(main.get(1)).contains("waiting").contains("core_nt:inflight");
        assertThat(main.get(2)).contains("ready_noop");

        List<String> east = linesOf(run.out(), "elb-east");
        assertThat(east.get(0))
                .contains("triggered")
                .contains("enqueued=env_nt")
                .contains("pdbaa:inflight")
                .contains("16S_ribosomal_RNA:not_downloaded");

        List<String> staging = linesOf(run.out(), "elb-staging");
        assertThat(staging.get(0)).contains("cluster_not_ready");
        assertThat(staging.get(2)).contains("triggered").contains("enqueued=nr");
    }

    @Test
    void by_default_the_demo_shows_a_failed_warmup_in_backoff_then_dispatched_again_and_ready() {
        Run run = run("demo", "--interval", "PT0.02S", "--store", "memory");

        assertThat(run.exit()).as(run.err()).isZero();
        String backoff = "skipped=16S_ribosomal_RNA:not_downloaded,env_nt:backoff(retry_at=2026-01-01T00:06:00Z),"
                + "pdbaa:inflight";
        assertThat(run.out().lines().filter(l -> l.contains("elb-east")).toList())
                .containsSubsequence(
                        "tick 1   elb-east     history: env_nt dispatched (job sim-warmup-env_nt-1)",
                        "tick 3   elb-east     history: env_nt loading",
                        "tick 5   elb-east     waiting            enqueued=-          " + backoff,
                        "tick 5   elb-east     history: env_nt failed (warmup_failed)",
                        "tick 6   elb-east     waiting            enqueued=-          " + backoff,
                        "tick 7   elb-east     triggered          enqueued=env_nt     "
                                + "skipped=16S_ribosomal_RNA:not_downloaded,pdbaa:inflight",
                        "tick 7   elb-east     history: env_nt dispatched (job sim-warmup-env_nt-2)",
                        "tick 9   elb-east     history: env_nt loading",
                        "tick 11  elb-east     history: env_nt ready (backoff reset)");
        assertThat(run.out()).contains("backoff base 2 simulated minutes");
        assertThat(linesOf(run.out(), "elb-east")).hasSize(12);
        assertThat(linesOf(run.out(), "elb-east").get(11)).doesNotContain("env_nt");
    }

    @Test
    void json_mode_prints_the_seed_shaped_report_per_tick() {
        Run run = run("demo", "--ticks", "2", "--interval", "PT0.02S", "--json", "--store", "memory");

        assertThat(run.exit()).as(run.err()).isZero();
        List<String> lines = run.out().lines().toList();
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0))
                .startsWith("{\"status\":\"completed\"")
                .contains("{\"cluster_name\":\"elb-cluster\"")
                .contains("\"enqueued\":[\"core_nt\"]")
                .contains("\"status\":\"triggered\"")
                .contains("{\"db\":\"pdbaa\",\"reason\":\"inflight\"}")
                .contains("\"status\":\"cluster_not_ready\"");
    }

    @Test
    void the_h2_store_keeps_preferences_across_runs_and_a_second_run_replays_the_seed_case(@TempDir Path dir) {
        Run first = run("demo", "--ticks", "3", "--interval", "PT0.02S", "--data-dir", dir.toString());
        assertThat(first.exit()).as(first.err()).isZero();
        assertThat(dir.resolve("demo.mv.db")).exists();

        try (JdbiStore store = JdbiStore.builder(
                        "jdbc:h2:file:" + dir.toAbsolutePath().resolve("demo"))
                .build()) {
            List<AutoWarmPreference> prefs = store.autoWarmPreferences().enabledClusters();
            assertThat(prefs)
                    .extracting(p -> p.cluster().clusterName())
                    .containsExactlyInAnyOrder("elb-cluster", "elb-east", "elb-staging");
            assertThat(prefs)
                    .filteredOn(p -> p.cluster().clusterName().equals("elb-cluster"))
                    .singleElement()
                    .extracting(AutoWarmPreference::lastReady)
                    .isEqualTo(true);
        }

        Run second = run("demo", "--ticks", "1", "--interval", "PT0.02S", "--data-dir", dir.toString());
        assertThat(second.exit()).as(second.err()).isZero();
        assertThat(linesOf(second.out(), "elb-cluster").get(0))
                .contains("triggered")
                .contains("enqueued=core_nt");
    }

    @Test
    void the_demo_takes_a_jdbc_url_for_postgresql() throws Exception {
        String schema = TestPostgres.schema();
        String base = TestPostgres.url();
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(base);
                java.sql.Statement st = c.createStatement()) {
            st.execute("CREATE SCHEMA " + schema);
        }
        String url = base + (base.contains("?") ? "&" : "?") + "currentSchema=" + schema;
        try {
            Run run = run("demo", "--ticks", "2", "--interval", "PT0.02S", "--jdbc-url", url);

            assertThat(run.exit()).as(run.err()).isZero();
            assertThat(run.out()).contains("preferences and inventory: jdbc:postgresql://");
            assertThat(linesOf(run.out(), "elb-cluster").get(0)).contains("triggered");
            try (java.sql.Connection c = java.sql.DriverManager.getConnection(url);
                    java.sql.Statement st = c.createStatement();
                    java.sql.ResultSet rs = st.executeQuery("SELECT count(*) FROM elb_autowarm_cluster")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).isEqualTo(3);
            }
        } finally {
            TestPostgres.drop(schema);
        }
    }

    @Test
    void an_unreachable_database_is_reported_without_its_password() {
        Run run = run(
                "demo", "--ticks", "1", "--jdbc-url", "jdbc:postgresql://127.0.0.1:1/elb?user=elb&password=hunter2");

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).contains("cannot open the store").doesNotContain("hunter2");
    }

    @Test
    void an_unknown_store_is_rejected_naming_the_option() {
        Run run = run("demo", "--store", "redis");

        assertThat(run.exit()).isNotZero();
        assertThat(run.err()).contains("'--store' must be h2 or memory, but was 'redis'");
    }

    @Test
    void a_non_positive_tick_count_is_rejected_naming_the_option() {
        Run run = run("demo", "--ticks", "0");

        assertThat(run.exit()).isNotZero();
        assertThat(run.err()).contains("'--ticks' must be a positive integer, but was 0");
    }
}
