package org.elb.warmkeeper.json;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.elb.warmkeeper.core.cluster.ClusterRef;
import org.elb.warmkeeper.core.cluster.DatabaseName;
import org.elb.warmkeeper.core.warm.AutoWarmPreference;
import org.junit.jupiter.api.Test;

/** Golden JSON of an auto-warm preference. */
class AutoWarmPreferenceJsonTest {

    static final String SUB = "0f1e2d3c-4b5a-6978-8695-a4b3c2d1e0f9";
    static final ClusterRef A = ClusterRef.of(SUB, "rg", "elb-a");

    @Test
    void a_preference_lists_its_databases_and_pauses_in_the_cluster_order() {
        DatabaseName coreNt = DatabaseName.of("core_nt");
        DatabaseName nr = DatabaseName.of("nr");
        DatabaseName pdb = DatabaseName.of("pdb");
        AutoWarmPreference p = new AutoWarmPreference(A, List.of(coreNt, nr, pdb), true, false, Set.of(pdb, nr));
        assertThat(WireJson.write(AutoWarmPreferenceJson.list(List.of(p))))
                .isEqualTo("{\"clusters\":[{\"cluster_name\":\"elb-a\",\"subscription_id\":\"" + SUB
                        + "\",\"resource_group\":\"rg\",\"enabled\":true,\"paused\":false,\"last_ready\":true,"
                        + "\"databases\":[\"core_nt\",\"nr\",\"pdb\"],\"paused_databases\":[\"nr\",\"pdb\"]}]}");
        assertThat(WireJson.write(AutoWarmPreferenceJson.disabled(A)))
                .isEqualTo("{\"cluster_name\":\"elb-a\",\"subscription_id\":\"" + SUB
                        + "\",\"resource_group\":\"rg\",\"enabled\":false}");
    }
}
