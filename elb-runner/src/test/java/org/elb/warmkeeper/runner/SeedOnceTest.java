package org.elb.warmkeeper.runner;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.elb.warmkeeper.core.cluster.ClusterRef;
import org.elb.warmkeeper.core.cluster.DatabaseName;
import org.elb.warmkeeper.core.warm.AutoWarmPreference;
import org.junit.jupiter.api.Test;

/**
 * The runner seeds a cluster's preferences from its settings once: a second runner on the same store (a
 * restart, a rolling deploy) keeps what users changed through the API; {@code elb.autowarm.reseed=true}
 * writes the settings again.
 */
class SeedOnceTest {

    static final ClusterRef EAST = ClusterRef.of("00000000-0000-4000-8000-000000000001", "rg-elb", "east");

    private final String jdbcUrl = "jdbc:h2:mem:seed-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";

    @Test
    void a_second_runner_on_the_same_store_keeps_a_toggle_made_through_the_api() {
        try (Wiring first = wiring(false)) {
            first.seed();
            assertThat(databases(first)).containsExactly(List.of(db("core_nt"), db("swissprot")));
            // what PUT/DELETE /api/autowarm/... do
            first.store().autoWarmPreferences().disableDatabase(EAST, db("swissprot"));
        }
        try (Wiring second = wiring(false)) {
            second.seed();
            assertThat(databases(second)).containsExactly(List.of(db("core_nt")));
            second.store().autoWarmPreferences().disableCluster(EAST);
        }
        try (Wiring third = wiring(false)) {
            third.seed();
            assertThat(databases(third)).as("a cluster turned off stays off").isEmpty();
        }
        try (Wiring reseeded = wiring(true)) {
            reseeded.seed();
            assertThat(databases(reseeded)).containsExactly(List.of(db("core_nt"), db("swissprot")));
        }
    }

    private Wiring wiring(boolean reseed) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("elb.jdbc.url", jdbcUrl);
        values.put("elb.clusters", "east");
        values.put("elb.cluster.east.subscription", EAST.subscriptionId());
        values.put("elb.cluster.east.resource-group", EAST.resourceGroup());
        values.put("elb.cluster.east.databases", "core_nt,swissprot");
        if (reseed) {
            values.put("elb.autowarm.reseed", "true");
        }
        return new Wiring(RunSettings.from(RunConfig.of(values)), Clock.systemUTC());
    }

    private static List<List<DatabaseName>> databases(Wiring w) {
        return w.store().autoWarmPreferences().enabledClusters().stream()
                .map(AutoWarmPreference::databases)
                .toList();
    }

    private static DatabaseName db(String name) {
        return DatabaseName.of(name);
    }
}
