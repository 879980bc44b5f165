package org.elb.warmkeeper.spring.boot;

import java.util.Arrays;
import java.util.stream.Stream;

/** The auto-configurations of the library's beans (not the actuator's or the web layer's), for context runners. */
public final class ElbConfigurations {

    private ElbConfigurations() {}

    /** Every capability's configuration and the core one. */
    public static Class<?>[] all(Class<?>... more) {
        return Stream.concat(
                        Stream.of(
                                ElbStoreAutoConfiguration.class,
                                ElbRedisConfiguration.class,
                                ElbMetricsConfiguration.class,
                                ElbAzureAutoConfiguration.class,
                                ElbKubernetesAutoConfiguration.class,
                                ElbAutoWarmAutoConfiguration.class,
                                ElbProvisioningAutoConfiguration.class,
                                ElbVersionGateAutoConfiguration.class,
                                ElbAutoConfiguration.class),
                        Arrays.stream(more))
                .toArray(Class<?>[]::new);
    }
}
