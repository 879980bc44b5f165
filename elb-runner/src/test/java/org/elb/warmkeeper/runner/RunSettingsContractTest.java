package org.elb.warmkeeper.runner;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.elb.warmkeeper.runner.RunConfig.ConfigException;
import org.elb.warmkeeper.testkit.contract.SettingsContract;

/** The runner's side of the settings table the starter passes too. */
class RunSettingsContractTest extends SettingsContract {

    @Override
    protected Side side() {
        return Side.RUNNER;
    }

    @Override
    protected Optional<String> check(Map<String, String> properties) {
        try {
            RunSettings.from(RunConfig.of(properties));
            return Optional.empty();
        } catch (ConfigException e) {
            return Optional.of(e.getMessage());
        }
    }

    @Override
    protected Set<String> keys() {
        RunConfig config = RunConfig.of(BASE);
        RunSettings.from(config);
        Set<String> keys = new TreeSet<>();
        for (String k : config.keysRead()) {
            keys.add(k.replaceFirst("^elb\\.cluster\\.east\\.", "elb.cluster.<name>.")
                    .replaceFirst("^(elb\\.(image|openapi))\\.\\*$", "$1.<service>"));
        }
        return keys;
    }

    /** A key the runner reads by its fixed name can be set from the environment alone (ELB_...). */
    @org.junit.jupiter.api.Test
    void every_fixed_key_it_reads_may_come_from_the_environment_alone() {
        Set<String> fixed = new TreeSet<>(keys());
        fixed.removeIf(k -> k.contains("<") || k.endsWith("*"));
        org.assertj.core.api.Assertions.assertThat(fixed)
                .as("keys read but missing from RunConfig.KNOWN")
                .isSubsetOf(RunConfig.KNOWN);
    }
}
